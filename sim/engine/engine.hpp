#pragma once
// The engine: the clock, the event calendar, the pools of work in flight, and the components,
// all built from a ModelSpec with every name resolved to an index. It routes synchronous calls
// and their replies between components; the components own the services' behaviour.
#include <chrono>
#include <memory>
#include <vector>

#include "components/api_gateway.hpp"
#include "components/lambda_function.hpp"
#include "components/source.hpp"
#include "engine/call.hpp"
#include "engine/event_kind.hpp"
#include "kernel/event_calendar.hpp"
#include "kernel/pool.hpp"
#include "metrics/time_series.hpp"
#include "sluice/model.hpp"
#include "sluice/run.hpp"

namespace sluice::engine {

// A component as the engine addresses it: its type and its index among its kind.
struct ComponentRef {
  enum class Type : std::uint8_t { api_gateway, lambda };
  Type type;
  std::uint32_t index;
};

class Engine {
 public:
  Engine(const ModelSpec& model, const RunOptions& options);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Runs to the end of the simulated time (or throws RunAborted when the budget is exceeded).
  void run();

  // --- services for components ---
  kernel::SimTime now() const { return now_; }
  bool measuring() const { return now_ >= warmup_; }
  kernel::SimTime warmup() const { return warmup_; }
  kernel::SimTime end() const { return end_; }
  void schedule(kernel::SimTime t, EventKind kind, std::uint32_t target, std::uint64_t payload) {
    if (t < end_) calendar_.schedule(t, target, static_cast<std::uint32_t>(kind), payload);
  }
  // Starts a synchronous call to a component; the reply comes back through reply().
  void call(std::uint32_t component, const Caller& caller, const Lineage& lineage);
  void reply(const Caller& caller, Failure outcome);
  kernel::RandomStream stream(const std::string& component, const std::string& purpose) const;
  std::uint32_t component_index(const std::string& name) const;

  kernel::Pool<Request>& requests() { return requests_; }
  const kernel::Pool<Request>& requests() const { return requests_; }
  // API Gateway's account-level throttle, shared by every API of the model.
  components::TokenBucket& api_account_throttle() { return api_account_throttle_; }
  metrics::TimeSeriesRecorder& series() { return series_; }
  const ModelSpec& model() const { return model_; }
  // Cost caused by a request, attributed to its source (after the warm-up).
  void charge(std::uint32_t source, double usd) {
    if (measuring()) source_cost_[source] += usd;
  }

  // --- read by the summary ---
  const std::vector<components::Source>& sources() const { return sources_; }
  const std::vector<components::ApiGateway>& apis() const { return apis_; }
  const std::vector<components::LambdaFunction>& functions() const { return functions_; }
  const std::vector<ComponentRef>& components() const { return refs_; }
  const std::vector<double>& source_cost() const { return source_cost_; }
  std::uint64_t events() const { return events_; }
  double wall_seconds() const { return wall_s_; }
  struct LedgerCounts {
    std::uint64_t created = 0, completed = 0, failed = 0;
  };
  LedgerCounts& ledger() { return ledger_; }
  const LedgerCounts& ledger() const { return ledger_; }
  std::uint64_t requests_in_flight() const;  // counted from the pool itself, not from the counters

 private:
  void dispatch(const kernel::Event& e);
  void check_budget();

  const ModelSpec& model_;
  RunOptions options_;
  kernel::SimTime now_{}, warmup_{}, end_{};
  kernel::EventCalendar calendar_;
  kernel::Pool<Request> requests_;
  metrics::TimeSeriesRecorder series_;
  std::vector<components::Source> sources_;
  std::vector<components::ApiGateway> apis_;
  std::vector<components::LambdaFunction> functions_;
  std::vector<ComponentRef> refs_;  // by the model's component order
  components::ConcurrencyPool unreserved_;
  components::TokenBucket api_account_throttle_;
  std::vector<double> source_cost_;
  LedgerCounts ledger_;
  std::uint64_t events_ = 0;
  double wall_s_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace sluice::engine
