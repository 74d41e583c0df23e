#pragma once
// What a component sees of the run: the clock and scheduling, calls and replies between
// components, the ledger of units of work, charging, the time series, random streams, the faults
// and the account's shared quotas. Components hold a Runtime&, never the engine: they include
// this header, not engine/engine.hpp (the build's include directories enforce it, CMakeLists.txt).
// The engine derives from it and routes the calls; the routing members are defined in engine.cpp,
// without virtual calls.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "components/concurrency_pool.hpp"
#include "components/token_bucket.hpp"
#include "engine/call.hpp"
#include "engine/event_route.hpp"
#include "engine/fault_state.hpp"
#include "engine/message.hpp"
#include "engine/table_request.hpp"
#include "kernel/event_calendar.hpp"
#include "kernel/pool.hpp"
#include "kernel/random_stream.hpp"
#include "metrics/time_series.hpp"
#include "model/roles.hpp"
#include "sluice/model.hpp"
#include "sluice/run.hpp"

namespace sluice::components {
class SqsQueue;
class KinesisStream;
}  // namespace sluice::components

namespace sluice::engine {

// What an event source mapping polls: a queue, a stream (a table's stream for a table), or
// nothing (a component no mapping can poll: the loader refuses such a trigger).
using Polled = std::variant<std::monostate, components::SqsQueue*, components::KinesisStream*>;

class Runtime {
 public:
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  kernel::SimTime now() const { return now_; }
  bool measuring() const { return now_ >= warmup_; }
  kernel::SimTime warmup() const { return warmup_; }
  kernel::SimTime end() const { return end_; }
  // `event` (a component's own Event) at time t, to the component its route names; nothing
  // at or after the end of the run.
  template <class E>
  void schedule(kernel::SimTime t, const EventRoute& route, E event, std::uint64_t payload) {
    if (t < end_) calendar_.schedule(t, route.target, route.kind(event), payload);
  }
  void schedule(kernel::SimTime t, EngineEvent event, std::uint32_t target, std::uint64_t payload) {
    schedule(t, EventRoute::of(EventRoute::kEngine, target), event, payload);
  }
  // A source's next arrival (the calendar keeps the sources' arrivals apart: event_calendar.hpp).
  void schedule_arrival(kernel::SimTime t, std::uint32_t source) {
    if (t < end_)
      calendar_.schedule_arrival(t, source,
                                 EventRoute::of(EventRoute::kEngine, source).kind(EngineEvent::source_arrival), 0);
  }
  // The place in the order of events a schedule() now would take, for an event scheduled later
  // (a timer re-armed from it runs where it would have: kernel/event_calendar.hpp). Only for a
  // time before end(), where schedule() would have scheduled it.
  kernel::EventCalendar::Ticket reserve_order() { return calendar_.reserve(); }
  template <class E>
  void schedule_reserved(kernel::SimTime t, kernel::EventCalendar::Ticket ticket, const EventRoute& route, E event,
                         std::uint64_t payload) {
    calendar_.schedule_reserved(t, ticket, route.target, route.kind(event), payload);
  }
  void cancel_order(kernel::EventCalendar::Ticket ticket) { calendar_.cancel(ticket); }
  // A call to a component: a synchronous invocation, or a service's API call (SendMessage,
  // Publish, PutRecord); the answer comes back through reply().
  void call(std::uint32_t component, const Caller& caller, const Lineage& lineage);
  // A DynamoDB request from a function's step.
  void call_table(std::uint32_t component, const Caller& caller, const Lineage& lineage, const TableRequest& request);
  // Lambda's Invoke with the Event invocation type: queued by the function, answered at once.
  void call_async(std::uint32_t component, const Caller& caller, const Lineage& lineage);
  // A message a service delivers to a queue, a topic or a function's asynchronous queue (an SNS
  // delivery, a dead-letter move, an on-failure record). False while the receiver is down.
  bool hand_over(std::uint32_t component, const Message& m);
  // records_done: for a batch, how many of its records the function got through (in order).
  void reply(const Caller& caller, Failure outcome, std::uint32_t records_done = 0) {
    answer(caller, outcome, records_done, Handler::ran);
  }
  // The Lambda service turned an invocation away before its handler ran: `why` is throttled (429)
  // or dependency_failed (5xx, the function is down). See Handler.
  void refuse(const Caller& caller, Failure why) { answer(caller, why, 0, Handler::refused); }
  // A service's answer after its API call's latency.
  void reply_after(kernel::SimTime delay, const Caller& caller, Failure outcome);

  // What a trigger on `component` polls.
  Polled polled(std::uint32_t component);

  // Units of work: a new message counts in the ledger and keeps its request open until it ends.
  Message new_message(const Lineage& lineage, std::uint32_t component);
  void end_message(const Message& m, Failure outcome);
  // A message that has reached a place the model has no consumer for (a queue nobody polls, a
  // stream nobody reads): it stays a unit in flight there, but no longer holds its request open.
  void detach(Message& m);

  // Where a component (a function) sits for Lambda's recursive-loop detection.
  LoopSeat loop_seat(std::uint32_t component) const { return loop_seats_[component]; }

  FaultState& faults(std::uint32_t component) { return faults_[component]; }
  const FaultState& faults(std::uint32_t component) const { return faults_[component]; }

  kernel::RandomStream stream(const std::string& component, const std::string& purpose) const;
  std::uint32_t component_index(const std::string& name) const;

  kernel::Pool<Request>& requests() { return requests_; }
  const kernel::Pool<Request>& requests() const { return requests_; }
  // API Gateway's account-level throttle, shared by every API of the model.
  components::TokenBucket& api_account_throttle() { return api_account_throttle_; }
  // SNS's Publish quota, per account and Region: shared by every topic of the model (aws-facts §3).
  components::TokenBucket& sns_publish_quota() { return sns_publish_quota_; }
  // The account's concurrency not reserved by any function, shared by the unreserved ones.
  components::ConcurrencyPool& unreserved_concurrency() { return unreserved_; }
  metrics::TimeSeriesRecorder& series() { return series_; }
  const ModelSpec& model() const { return model_; }
  // What each component is to the others (a dead-letter queue, an asynchronous target).
  const model::Roles& roles() const { return roles_; }
  // Cost caused by a request, attributed to its source (after the warm-up).
  void charge(std::uint32_t source, double usd) {
    if (measuring()) source_cost_[source] += usd;
  }
  // A standing cost (shard-hours, capacity-hours, idle polling) shared among the sources by how
  // much each used the component. False when none did: the cost then stays the component's own.
  template <class Weight>
  bool charge_shared(double usd, const std::vector<Weight>& by_source) {
    double total = 0;
    for (Weight w : by_source) total += static_cast<double>(w);
    if (total == 0) return false;
    for (std::size_t s = 0; s < by_source.size(); ++s)
      if (by_source[s] > 0) charge(static_cast<std::uint32_t>(s), usd * static_cast<double>(by_source[s]) / total);
    return true;
  }

  // Units of work: source requests and messages together; of them, the source requests alone.
  struct LedgerCounts {
    std::uint64_t created = 0, completed = 0, failed = 0;
    std::uint64_t requests_created = 0, requests_completed = 0, requests_failed = 0;
  };
  LedgerCounts& ledger() { return ledger_; }
  const LedgerCounts& ledger() const { return ledger_; }

 protected:
  Runtime(const ModelSpec& model, const RunOptions& options);
  ~Runtime() = default;
  struct PendingReply {
    Caller caller;
    Failure outcome = Failure::none;
  };
  void answer(const Caller& caller, Failure outcome, std::uint32_t records_done, Handler handler);
  void request_descendant_ended(kernel::Handle request, Failure outcome);

  const ModelSpec& model_;
  RunOptions options_;
  model::Roles roles_;
  kernel::SimTime now_{}, warmup_{}, end_{};
  kernel::EventCalendar calendar_;
  kernel::Pool<Request> requests_;
  kernel::Pool<PendingReply> pending_replies_;
  metrics::TimeSeriesRecorder series_;
  std::vector<FaultState> faults_;    // by the model's component order
  std::vector<LoopSeat> loop_seats_;  // by the model's component order
  components::ConcurrencyPool unreserved_;
  components::TokenBucket api_account_throttle_;
  components::TokenBucket sns_publish_quota_;
  std::vector<double> source_cost_;
  LedgerCounts ledger_;
};

}  // namespace sluice::engine
