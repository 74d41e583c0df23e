#pragma once
// A function's queue for asynchronous invocations (aws-facts §1.4): events wait here and are
// tried by Lambda's poller; throttles and 5xx of the Lambda service (the handler never ran) are
// retried with backoff from 1 s to 5 min until the maximum event age; function errors (the
// handler failed, on its own or on a call it made) are retried max_retries times, 1 and 2
// minutes apart;
// an event that fails for good goes to the on-failure destination or is lost with its reason.
#include <cstdint>

#include "engine/call.hpp"
#include "engine/event_route.hpp"
#include "engine/message.hpp"
#include "kernel/pool.hpp"
#include "kernel/random_stream.hpp"
#include "metrics/latency_histogram.hpp"
#include "metrics/time_series.hpp"
#include "sluice/failure.hpp"
#include "sluice/model.hpp"

namespace sluice::engine {
class Runtime;
}

namespace sluice::components {

class LambdaFunction;

class AsyncInvocationQueue {
 public:
  // `route`: the function's, to its event for the queue (a part of the function).
  AsyncInvocationQueue(engine::Runtime& e, LambdaFunction& function, engine::EventRoute route);

  // Invoke with InvocationType=Event: accepted (202) or refused at once.
  void invoke(const engine::Caller& caller, const engine::Lineage& lineage);
  bool accept(const engine::Message& m);      // an SNS delivery or an on-failure record
  enum class Timer : std::uint8_t { ready };  // its one event (payload: an event, to be tried)
  void on_ready(kernel::Handle event);
  void on_reply(kernel::Handle event, sluice::Failure outcome, engine::Handler handler);
  engine::Message& message(kernel::Handle event) { return events_[event].message; }
  std::uint64_t in_flight() const { return events_.live(); }

  // CloudWatch names (AWS/Lambda async metrics), after the warm-up.
  std::uint64_t received = 0, dropped = 0, retries = 0, destination_deliveries = 0;
  metrics::LatencyHistogram event_age_ms;  // AsyncEventAge: from enqueue to each attempt
  metrics::Gauge queued;                   // events waiting or being tried: the backlog
  void finish_run(kernel::SimTime end) { queued.finish(end); }

 private:
  struct Event {
    engine::Message message;
    std::uint16_t error_retries = 0, throttle_retries = 0;
  };
  void enqueue(const engine::Message& m);
  void retry_or_give_up(kernel::Handle h, double delay_ns);
  void give_up(kernel::Handle h, sluice::Failure reason);

  engine::Runtime* engine_;
  LambdaFunction* function_;
  engine::EventRoute route_;
  std::uint32_t index_, component_;
  const AsyncInvokeSpec* config_;
  std::int64_t on_failure_ = -1;  // component index of the destination
  kernel::Pool<Event> events_;
  kernel::RandomStream rng_backoff_;
  int series_age_, series_dropped_;
};

}  // namespace sluice::components
