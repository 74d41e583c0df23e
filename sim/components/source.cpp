#include "components/source.hpp"

#include <algorithm>
#include <cmath>

#include "components/retry_backoff.hpp"
#include "engine/runtime.hpp"
#include "kernel/sampling.hpp"

namespace sluice::components {

using engine::EngineEvent;
using kernel::SimTime;
using sluice::Failure;
using Kind = metrics::TimeSeriesRecorder::Kind;

Source::Source(engine::Runtime& e, const SourceSpec& spec, std::uint32_t index)
    : engine_(&e),
      spec_(&spec),
      index_(index),
      target_(e.component_index(spec.target)),
      arrivals_(spec.arrivals, e.stream(spec.name, "arrivals")),
      payload_rng_(e.stream(spec.name, "payload")),
      key_rng_(e.stream(spec.name, "key")),
      retry_rng_(e.stream(spec.name, "retries")),
      keys_(spec.payload.key) {
  auto& ts = e.series();
  series_requests_ = ts.add_series(spec.name, "Requests", Kind::sum);
  series_completed_ = ts.add_series(spec.name, "Completed", Kind::sum);
  series_failed_ = ts.add_series(spec.name, "Failed", Kind::sum);
  series_latency_ = ts.add_mean_series(spec.name, "Latency_mean_ms");
  series_latency_percentiles_ = ts.add_percentile_series(spec.name, "Latency", {0.5, 0.99});
}

void Source::start() {
  SimTime first = arrivals_.next();
  if (first != SimTime::max()) engine_->schedule_arrival(first, index_);
}

void Source::on_arrival() {
  auto& e = *engine_;
  kernel::Handle h = e.requests().allocate();
  engine::Request& r = e.requests()[h];
  r.source = index_;
  r.first_arrival = e.now();
  r.measured = e.measuring();
  r.payload_bytes = kernel::sample(spec_->payload.size, payload_rng_);
  // Keys drawn from their own stream, so adding keys to a model leaves its other draws alone.
  if (spec_->payload.key.kind != KeyDistribution::Kind::none)
    r.key = static_cast<std::uint32_t>(keys_.sample(key_rng_));
  ++e.ledger().created;
  ++e.ledger().requests_created;
  if (r.measured) ++requests;
  e.series().add(series_requests_, e.now(), 1);
  SimTime next = arrivals_.next();
  if (next != SimTime::max()) e.schedule_arrival(next, index_);
  send(h);
}

void Source::send(kernel::Handle request) {
  const engine::Request& r = engine_->requests()[request];
  engine::Caller caller{engine::Caller::Kind::call, engine::EventRoute::kEngine, index_, request};
  engine::Lineage lineage{index_, r.key, request, r.payload_bytes, 0};
  if (spec_->async) engine_->call_async(target_, caller, lineage);
  else engine_->call(target_, caller, lineage);
}

void Source::on_retry(kernel::Handle request) {
  if (!engine_->requests().alive(request)) return;
  ++engine_->requests()[request].attempt;
  send(request);
}

void Source::on_reply(kernel::Handle request, Failure outcome) {
  auto& e = *engine_;
  engine::Request& r = e.requests()[request];
  // A request refused for what it is (its payload) would be refused again: not retried.
  bool retryable = outcome != Failure::none && outcome != Failure::rejected;
  if (retryable && r.attempt < static_cast<std::uint32_t>(spec_->retries.max_attempts)) {
    if (r.measured) ++retries;
    // The client backs off as the AWS SDKs do, by the source's policy (retry_backoff.hpp).
    double backoff_ns = retry_backoff_ns(spec_->retries, r.attempt, retry_rng_);
    e.schedule(e.now() + SimTime::from_ns_rounded(backoff_ns), EngineEvent::source_retry, index_, request.pack());
    return;
  }
  // The call is over; the request is complete once the messages it caused have ended too.
  r.answered = true;
  if (r.outcome == Failure::none) r.outcome = outcome;
  if (r.outstanding == 0) end(request);
}

void Source::complete(kernel::Handle request) { end(request); }

void Source::end(kernel::Handle request) {
  auto& e = *engine_;
  const engine::Request& r = e.requests()[request];
  Failure outcome = r.outcome;
  if (outcome == Failure::none) {
    ++e.ledger().completed;
    ++e.ledger().requests_completed;
    e.series().add(series_completed_, e.now(), 1);
    double ms = (e.now() - r.first_arrival).to_ms();
    e.series().add_sample(series_latency_, e.now(), ms);
    e.series().add_percentile_sample(series_latency_percentiles_, e.now(), ms);
    if (r.measured) {
      ++completed;
      latency_ms.record(ms);
    }
  } else {
    ++e.ledger().failed;
    ++e.ledger().requests_failed;
    e.series().add(series_failed_, e.now(), 1);
    if (r.measured) ++failed[static_cast<std::size_t>(outcome)];
  }
  e.requests().release(request);
}

}  // namespace sluice::components
