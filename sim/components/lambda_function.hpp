#pragma once
// A Lambda function (aws-facts §1): concurrency (reserved, or the account's unreserved pool),
// provisioned concurrency with spill-over to on-demand, the scaling rate for new environments,
// cold starts, steps whose CPU time shrinks with the memory's vCPU share, timeouts, out of
// memory, injected errors, and billing rounded up to the millisecond.
#include <optional>
#include <variant>
#include <vector>

#include "components/async_invocation_queue.hpp"
#include "components/concurrency_pool.hpp"
#include "components/execution_environment.hpp"
#include "components/kinesis_event_source_mapping.hpp"
#include "components/sqs_event_source_mapping.hpp"
#include "components/token_bucket.hpp"
#include "engine/call.hpp"
#include "engine/event_route.hpp"
#include "kernel/event_calendar.hpp"
#include "kernel/exponential_ahead.hpp"
#include "kernel/pool.hpp"
#include "metrics/latency_histogram.hpp"
#include "metrics/time_series.hpp"
#include "sluice/failure.hpp"
#include "sluice/model.hpp"
#include "sluice/summary/lambda.hpp"

namespace sluice::engine {
class Runtime;
}

namespace sluice::components {

class LambdaFunction {
 public:
  static constexpr std::string_view kType = "lambda";  // the model's type: engine/services.hpp
  LambdaFunction(engine::Runtime& e, const ComponentSpec& spec, engine::EventRoute route);
  // Once every component exists: the event source mapping of its trigger, which polls the
  // queue or stream the trigger names.
  void connect();

  void start();          // provisioned environments exist, initialised, before the first request
  void start_polling();  // its event source mapping starts, once every component has started
  // A synchronous invocation: from a client, an API, another function, or an event source
  // mapping's batch (its records run through the steps one after another).
  void receive(const engine::Caller& caller, const engine::Lineage& lineage);
  // Asynchronous invocation (InvocationType=Event) and events handed over by SNS or a destination.
  void invoke_async(const engine::Caller& caller, const engine::Lineage& lineage) { async_.invoke(caller, lineage); }
  bool accept(const engine::Message& m) { return async_.accept(m); }
  // An answer to what it or one of its parts called: a step's call, an asynchronous event's
  // invocation, a batch of its event source mapping (records [0, records_done) were processed).
  void on_reply(const engine::Caller& caller, sluice::Failure outcome, std::uint32_t records_done,
                engine::Handler handler);
  std::uint64_t messages_in_flight() const { return async_.in_flight(); }  // asynchronous events
  const AsyncInvocationQueue& async_queue() const { return async_; }
  void deploy();  // a deploy fault: every on-demand environment initialises again
  enum class Event : std::uint8_t {
    init_done,           // payload: invocation; the cold start is over
    steps_done,          // payload: invocation; a run of cpu/io steps is over
    timeout,             // payload: invocation; the function's timeout expires
    environment_expire,  // payload: environment and timer; idle too long
    async_event,         // its asynchronous queue's (AsyncInvocationQueue::Event)
    trigger,             // its event source mapping's (one event each)
  };
  void on_event(Event event, std::uint64_t payload);
  void finish_run();  // closes gauges and the provisioned-concurrency bill at the end of the run

  const ComponentSpec& spec() const { return *spec_; }
  const LambdaSpec& config() const { return *config_; }
  summary::Lambda summary() const;
  double vcpus() const { return vcpus_; }

  // CloudWatch names (AWS/Lambda), counted after the warm-up.
  summary::LambdaCounts counts;
  sluice::FailureCounts failed{};
  metrics::LatencyHistogram duration_ms, init_duration_ms;
  metrics::Gauge concurrent_executions, execution_environments;
  metrics::Gauge provisioned_concurrent_executions;  // busy provisioned environments
  // duration: on-demand; provisioned_duration: executions on provisioned environments;
  // provisioned: the standing charge while provisioned concurrency is configured.
  double cost_requests_usd = 0, cost_duration_usd = 0, cost_provisioned_duration_usd = 0, cost_provisioned_usd = 0;
  double cost_total_usd() const {
    return cost_requests_usd + cost_duration_usd + cost_provisioned_duration_usd + cost_provisioned_usd;
  }
  std::vector<std::uint64_t> invocations_by_source;  // to share standing costs among sources

 private:
  // The event source mapping that polls for the function (its trigger): a part of it.
  std::variant<std::monostate, SqsEventSourceMapping, KinesisEventSourceMapping> trigger_;
  // Anything can invoke the function asynchronously: its asynchronous queue's metrics are written
  // even when no event came, so every run of the model has the same summary keys.
  bool invoked_asynchronously_ = false;
  struct Invocation {
    Invocation() = default;
    // Built in its pool slot (kernel::Pool::emplace): the fields known when it starts.
    Invocation(const engine::Caller& c, const engine::Lineage& l, bool measured_, std::uint32_t environment_,
               bool on_provisioned_, std::uint32_t records_)
        : caller(c),
          lineage(l),
          measured(measured_),
          environment(environment_),
          records(records_),
          on_provisioned(on_provisioned_) {}
    engine::Caller caller;
    engine::Lineage lineage;
    bool measured = false;
    std::uint32_t environment = 0;
    std::uint32_t step = 0;
    std::uint32_t records = 1, record = 0;  // a batch's records run the steps one after another
    std::uint32_t fail_at_record = 0;       // where an injected error or out-of-memory strikes
    double extra_ns = 0;                    // added by a latency fault, paid with the first steps
    bool replay = false;                    // the current record was written by an earlier attempt
    bool cold = false, on_provisioned = false, deadline_scheduled = false;
    double init_ns = 0;
    kernel::SimTime started, deadline;
    sluice::Failure verdict = sluice::Failure::none;  // decided when the code starts: error or OOM
  };
  enum class PartialBatch { off, skip_failed, stop_at_failed };
  // f(mapping) for its event source mapping, if it has one.
  template <class F>
  void with_trigger(F&& f) {
    std::visit(
        [&](auto& mapping) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(mapping)>, std::monostate>) f(mapping);
        },
        trigger_);
  }
  void on_callee_reply(kernel::Handle invocation, sluice::Failure outcome);
  void on_batch_reply(kernel::Handle batch, sluice::Failure outcome, std::uint32_t records_done,
                      engine::Handler handler);
  void on_init_done(kernel::Handle invocation);
  [[gnu::always_inline]] inline void on_steps_done(kernel::Handle invocation);  // into on_event: most events
  void on_timeout(kernel::Handle invocation);
  void on_environment_expire(std::uint64_t payload);
  engine::Message& batch_record(kernel::Handle batch, std::uint32_t i);
  std::uint32_t batch_records(kernel::Handle batch) const;
  // Inlined into their callers (each has one or two, all in lambda_function.cpp): an invocation
  // passes through all of them, and a call each would save and restore registers for nothing.
  [[gnu::always_inline]] inline void begin_execution(kernel::Handle h);
  [[gnu::always_inline]] inline bool begin_record(kernel::Handle h);
  void run_steps(kernel::Handle h);
  [[gnu::always_inline]] inline void end_record(kernel::Handle h);
  void call_step(kernel::Handle h, const Step& step, std::uint32_t target);
  // The message of the record being processed: a batch's record or an asynchronous event; none
  // for a synchronous invocation (inline: asked several times per invocation).
  engine::Message* record_message(const Invocation& inv) {
    using Kind = engine::Caller::Kind;
    Kind k = inv.caller.kind;
    if (k != Kind::sqs_batch && k != Kind::kinesis_batch && k != Kind::async_event) return nullptr;
    return queued_message(inv);
  }
  engine::Message* queued_message(const Invocation& inv);
  const engine::Lineage& record_lineage(const Invocation& inv) {
    const engine::Message* m = record_message(inv);
    return m ? m->lineage : inv.lineage;
  }
  void finish(kernel::Handle h, sluice::Failure outcome);
  void throttle(const engine::Caller& caller);
  void arm_expiry(std::uint32_t env, kernel::SimTime expiry);
  void schedule_expiry(std::uint32_t env, kernel::SimTime at, const kernel::EventCalendar::Ticket* ticket);

  engine::Runtime* engine_;
  const ComponentSpec* spec_;
  const LambdaSpec* config_;
  engine::EventRoute route_;
  std::uint32_t index_;
  ConcurrencyPool own_pool_;
  ConcurrencyPool* pool_;
  TokenBucket scaling_;
  EnvironmentPool environments_;
  kernel::Pool<Invocation> invocations_;
  std::vector<std::uint32_t> call_targets_;  // per step: the component a call step addresses
  std::uint32_t component_;
  engine::LoopSeat loop_seat_;  // its counter for Lambda's recursive-loop detection
  PartialBatch partial_batch_ = PartialBatch::off;
  AsyncInvocationQueue async_;
  kernel::RandomStream rng_sizes_, rng_steps_, rng_init_, rng_errors_, rng_memory_, rng_keep_alive_, rng_reuse_;
  bool steps_exponential_ = false;       // every cpu and io step's amount is exponential (run_steps)
  kernel::ExponentialAhead step_draws_;  // then: the draws from rng_steps_, one ahead
  double vcpus_, memory_gb_;
  kernel::SimTime timeout_;  // the function's timeout, rounded once
  double price_request_, price_duration_, price_provisioned_, price_provisioned_duration_;
  int series_invocations_, series_errors_, series_throttles_, series_cold_starts_, series_duration_, series_billed_,
      series_concurrency_, series_environments_, series_provisioned_, series_duplicates_;
};

}  // namespace sluice::components
