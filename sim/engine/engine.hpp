#pragma once
// The engine: the clock, the event calendar, the pools of work in flight, and the components,
// all built from a ModelSpec with every name resolved to an index. It routes calls, replies and
// messages between components and keeps the ledger of units of work; the components own the
// services' behaviour.
#include <chrono>
#include <memory>
#include <vector>

#include "components/source.hpp"
#include "engine/call.hpp"
#include "engine/event_route.hpp"
#include "engine/fault_state.hpp"
#include "engine/message.hpp"
#include "engine/runtime.hpp"
#include "engine/services.hpp"
#include "engine/table_request.hpp"
#include "kernel/event_calendar.hpp"
#include "kernel/pool.hpp"
#include "metrics/time_series.hpp"
#include "sluice/model.hpp"
#include "sluice/run.hpp"

namespace sluice::engine {

// A component as the engine addresses it: its service (a position in Services) and its index
// among that service's components.
struct ComponentRef {
  std::uint8_t service;
  std::uint32_t index;
};
using ServiceComponents = ServiceStore<Services>;

class Engine : public Runtime {
 public:
  Engine(const ModelSpec& model, const RunOptions& options);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Runs to the end of the simulated time (or throws RunAborted when the budget is exceeded).
  void run();

  // --- read by the summary ---
  const std::vector<components::Source>& sources() const { return sources_; }
  const ServiceComponents& services() const { return services_; }
  const std::vector<ComponentRef>& components() const { return refs_; }
  const std::vector<double>& source_cost() const { return source_cost_; }
  std::uint64_t events() const { return events_; }
  double wall_seconds() const { return wall_s_; }
  std::uint64_t requests_in_flight() const;  // counted from the pool itself, not from the counters
  std::uint64_t messages_in_flight() const;  // counted from the components' pools of messages

 private:
  friend class Runtime;  // its routing members (engine.cpp) reach the components
  // Inlined into run() (its only caller): one call less per event.
  [[gnu::always_inline]] inline void dispatch(const kernel::Event& e);
  // f(c) for the model's component `component` (c: its service's class); R is what f returns.
  template <class R = void, class F>
  R visit_component(std::uint32_t component, F&& f) {
    const ComponentRef& ref = refs_[component];
    return services_.visit<R>(ref.service, ref.index, f);
  }
  void check_budget();
  // The bytes the run holds, as the engine counts them for run.budget.memory: its time series,
  // the calendar, the request pool, and each message in flight at kBytesPerMessage.
  double bytes_held(std::uint64_t messages_in_flight) const;
  void on_fault(std::uint32_t fault, bool starts);

  std::vector<components::Source> sources_;
  ServiceComponents services_;
  std::vector<ComponentRef> refs_;            // by the model's component order
  std::vector<std::uint32_t> fault_targets_;  // by fault: the component index
  std::uint64_t events_ = 0;
  double wall_s_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace sluice::engine
