#include "components/async_invocation_queue.hpp"

#include <algorithm>
#include <cmath>

#include "components/lambda_function.hpp"
#include "engine/runtime.hpp"

namespace sluice::components {

using kernel::SimTime;
using sluice::Failure;
using Kind = metrics::TimeSeriesRecorder::Kind;

namespace {
constexpr double kAsyncPayloadLimitBytes = 1024.0 * 1024;  // 1 MB since Oct 2025 (aws-facts §1.1)
constexpr double kThrottleBackoffFirstNs = 1e9;            // throttles: 1 s, doubling ...
constexpr double kThrottleBackoffMaxNs = 300e9;            // ... up to 5 min (aws-facts §1.4)
constexpr double kErrorRetryDelayNs[] = {60e9, 120e9};     // function errors: 1 min, then 2 min
}  // namespace

AsyncInvocationQueue::AsyncInvocationQueue(engine::Runtime& e, LambdaFunction& function, engine::EventRoute route)
    : engine_(&e),
      function_(&function),
      route_(route),
      index_(route.target),
      component_(e.component_index(function.spec().name)),
      config_(&function.config().async),
      rng_backoff_(e.stream(function.spec().name, "async_backoff")) {
  if (!config_->on_failure.empty()) on_failure_ = e.component_index(config_->on_failure);
  auto& ts = e.series();
  series_age_ = ts.add_mean_series(function.spec().name, "AsyncEventAge_mean_ms");
  series_dropped_ = ts.add_series(function.spec().name, "AsyncEventsDropped", Kind::sum);
  queued = metrics::Gauge(&ts, ts.add_series(function.spec().name, "AsyncEventsQueued", Kind::time_mean), e.warmup());
}

void AsyncInvocationQueue::invoke(const engine::Caller& caller, const engine::Lineage& lineage) {
  auto& e = *engine_;
  if (lineage.payload_bytes > kAsyncPayloadLimitBytes) {
    if (e.measuring()) ++function_->failed[static_cast<std::size_t>(Failure::rejected)];
    return e.reply(caller, Failure::rejected);
  }
  if (e.faults(component_).down()) return e.reply(caller, Failure::dependency_failed);
  enqueue(e.new_message(lineage, component_));
  e.reply(caller, Failure::none);  // 202 Accepted: the caller does not wait for the function
}

bool AsyncInvocationQueue::accept(const engine::Message& m) {
  if (engine_->faults(component_).down()) return false;
  enqueue(m);
  return true;
}

void AsyncInvocationQueue::enqueue(const engine::Message& m) {
  auto& e = *engine_;
  kernel::Handle h = events_.allocate();
  events_[h].message = m;
  queued.add(e.now(), 1);
  if (e.measuring()) ++received;
  // Reserved concurrency of zero: events go straight to the failure path, untried (aws-facts §1.4).
  const auto& reserved = function_->config().reserved_concurrency;
  if (reserved && *reserved == 0) return give_up(h, Failure::throttled);
  e.schedule(e.now(), route_, Timer::ready, h.pack());
}

void AsyncInvocationQueue::on_ready(kernel::Handle h) {
  if (!events_.alive(h)) return;
  auto& e = *engine_;
  Event& ev = events_[h];
  double age_ms = (e.now() - ev.message.created).to_ms();
  if (e.measuring()) event_age_ms.record(age_ms);
  e.series().add_sample(series_age_, e.now(), age_ms);
  function_->receive(engine::Caller{engine::Caller::Kind::async_event, route_.owner(), index_, h}, ev.message.lineage);
}

void AsyncInvocationQueue::on_reply(kernel::Handle h, Failure outcome, engine::Handler handler) {
  auto& e = *engine_;
  Event& ev = events_[h];
  if (outcome == Failure::none) {
    e.end_message(ev.message, Failure::none);
    events_.release(h);
    queued.add(e.now(), -1);
    return;
  }
  if (handler == engine::Handler::refused) {
    // Throttles (429) and the service's own errors (5xx): the handler never ran. Back to the
    // queue, retried with growing backoff (with jitter, so a burst of throttled events does not
    // return all at once) until the maximum event age (aws-facts §1.4).
    double ceiling = std::min(kThrottleBackoffMaxNs,
                              kThrottleBackoffFirstNs * std::ldexp(1.0, std::min<int>(ev.throttle_retries, 20)));
    ++ev.throttle_retries;
    return retry_or_give_up(h, ceiling / 2 + rng_backoff_.uniform01() * ceiling / 2);
  }
  if (outcome == Failure::rejected) return give_up(h, outcome);  // e.g. a recursive loop stopped
  // The handler ran and failed: an error of its own, a timeout, out of memory, or a call it made
  // that failed (dependency_failed). All are function errors, retried max_retries times (§1.4).
  if (ev.error_retries < config_->max_retries) {
    double delay = kErrorRetryDelayNs[ev.error_retries];
    ++ev.error_retries;
    return retry_or_give_up(h, delay);
  }
  give_up(h, outcome);
}

void AsyncInvocationQueue::retry_or_give_up(kernel::Handle h, double delay_ns) {
  auto& e = *engine_;
  Event& ev = events_[h];
  SimTime at = e.now() + SimTime::from_ns_rounded(delay_ns);
  // Past the maximum event age the event is discarded instead of tried again.
  if (static_cast<double>((at - ev.message.created).ns) > config_->max_event_age_ns)
    return give_up(h, Failure::expired);
  if (e.measuring()) ++retries;
  e.schedule(at, route_, Timer::ready, h.pack());
}

void AsyncInvocationQueue::give_up(kernel::Handle h, Failure reason) {
  auto& e = *engine_;
  engine::Message m = events_[h].message;
  events_.release(h);
  queued.add(e.now(), -1);
  if (e.measuring()) {
    ++dropped;
    ++function_->failed[static_cast<std::size_t>(on_failure_ >= 0 ? Failure::dead_lettered : reason)];
  }
  e.series().add(series_dropped_, e.now(), 1);
  if (on_failure_ < 0) return e.end_message(m, reason);  // lost, with its reason
  // The on-failure destination receives a record of the event; the event itself has failed.
  e.end_message(m, Failure::dead_lettered);
  engine::Lineage record = m.lineage;
  record.request = kernel::Handle{};  // the record does not hold the request open
  auto destination = static_cast<std::uint32_t>(on_failure_);
  engine::Message copy = e.new_message(record, destination);
  copy.poison = m.poison;
  if (e.hand_over(destination, copy)) {
    if (e.measuring()) ++destination_deliveries;
  } else {
    e.end_message(copy, Failure::dependency_failed);
  }
}

}  // namespace sluice::components
