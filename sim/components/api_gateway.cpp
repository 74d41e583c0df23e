#include "components/api_gateway.hpp"

#include <cmath>

#include "engine/runtime.hpp"
#include "kernel/sampling.hpp"
#include "metrics/summary_figures.hpp"

namespace sluice::components {

using kernel::SimTime;
using sluice::Failure;
using Kind = metrics::TimeSeriesRecorder::Kind;

namespace {
constexpr double kPayloadLimitBytes = 10.0 * 1024 * 1024;  // aws-facts §6
constexpr double kHttpMeteringBytes = 512.0 * 1024;        // HTTP APIs: metered per 512 KB
}  // namespace

ApiGateway::ApiGateway(engine::Runtime& e, const ComponentSpec& spec, engine::EventRoute route)
    : engine_(&e),
      spec_(&spec),
      config_(&std::get<ApiGatewaySpec>(spec.config)),
      route_(route),
      index_(route.target),
      target_(e.component_index(config_->target)),
      overhead_rng_(e.stream(spec.name, "overhead")) {
  if (config_->throttle_rate_per_s) stage_throttle_.emplace(*config_->throttle_rate_per_s, config_->throttle_burst);
  bool rest = config_->flavor == ApiGatewaySpec::Flavor::rest;
  price_per_request_ =
      e.model().account.prices.at(rest ? "api_gateway.rest_per_million" : "api_gateway.http_per_million") / 1e6;
  auto& ts = e.series();
  series_count_ = ts.add_series(spec.name, "Count", Kind::sum);
  series_4xx_ = ts.add_series(spec.name, "4XXError", Kind::sum);
  series_5xx_ = ts.add_series(spec.name, "5XXError", Kind::sum);
  series_latency_ = ts.add_mean_series(spec.name, "Latency_mean_ms");
}

void ApiGateway::count_status(Failure outcome) {
  auto& e = *engine_;
  bool client_error = outcome == Failure::throttled || outcome == Failure::rejected;
  if (outcome != Failure::none) e.series().add(client_error ? series_4xx_ : series_5xx_, e.now(), 1);
  if (!e.measuring()) return;
  if (outcome == Failure::none) return;
  ++failed[static_cast<std::size_t>(outcome)];
  ++(client_error ? errors_4xx : errors_5xx);
}

void ApiGateway::receive(const engine::Caller& caller, const engine::Lineage& lineage) {
  auto& e = *engine_;
  if (e.measuring()) ++count;
  e.series().add(series_count_, e.now(), 1);
  // Throttled (429) and oversized (413) requests are answered at once and not billed
  // (assumption, docs/assumptions.md).
  // The stage's own throttle (if any), then the account's, shared by all APIs.
  auto within_throttle = [&] {
    return (!stage_throttle_ || stage_throttle_->try_take(e.now())) && e.api_account_throttle().try_take(e.now());
  };
  Failure refused = lineage.payload_bytes > kPayloadLimitBytes ? Failure::rejected
                    : !within_throttle()                       ? Failure::throttled
                                                               : Failure::none;
  if (refused != Failure::none) {
    count_status(refused);  // answered by the gateway itself: no integration, no Latency sample
    e.reply(caller, refused);
    return;
  }
  double units = config_->flavor == ApiGatewaySpec::Flavor::http
                     ? std::max(1.0, std::ceil(lineage.payload_bytes / kHttpMeteringBytes))
                     : 1.0;
  double usd = units * price_per_request_;
  if (e.measuring()) cost_requests_usd += usd;
  e.charge(lineage.source, usd);

  kernel::Handle h = calls_.allocate();
  Call& c = calls_[h];
  c.caller = caller;
  c.received = e.now();
  c.forwarded = e.now();
  e.schedule(e.now() + SimTime::from_ns_rounded(config_->timeout_ns), route_, Event::timeout, h.pack());
  e.call(target_, engine::Caller{engine::Caller::Kind::call, route_.owner(), index_, h}, lineage);
}

void ApiGateway::on_integration_reply(kernel::Handle call, Failure outcome) {
  if (!calls_.alive(call)) return;
  Call& c = calls_[call];
  if (c.answered) {  // the client already has its 504; the function has now finished too
    calls_.release(call);
    return;
  }
  auto& e = *engine_;
  if (e.measuring()) integration_latency_ms.record((e.now() - c.forwarded).to_ms());
  // A throttled function is a 429 to the client, as Lambda's own 429 passes through
  // (assumption); any other function failure is a 5XX (502).
  c.outcome = outcome;
  c.answered = true;
  e.schedule(e.now() + SimTime::from_ns_rounded(kernel::sample(config_->overhead, overhead_rng_)), route_,
             Event::respond, call.pack());
}

void ApiGateway::on_event(Event event, std::uint64_t payload) {
  kernel::Handle call = kernel::Handle::unpack(payload);
  switch (event) {
    case Event::respond:
      on_respond(call);
      break;
    case Event::timeout:
      on_timeout(call);
      break;
  }
}

void ApiGateway::on_respond(kernel::Handle call) {
  if (!calls_.alive(call)) return;
  Call c = calls_[call];
  calls_.release(call);
  answer_client(c, c.outcome);
}

void ApiGateway::on_timeout(kernel::Handle call) {
  if (!calls_.alive(call)) return;
  Call& c = calls_[call];
  if (c.answered) return;  // answered in time; the response is on its way
  c.answered = true;       // the call stays until the function replies, which releases it
  answer_client(c, Failure::timeout);
}

void ApiGateway::answer_client(const Call& c, Failure outcome) {
  auto& e = *engine_;
  count_status(outcome);
  double ms = (e.now() - c.received).to_ms();
  if (e.measuring()) latency_ms.record(ms);
  e.series().add_sample(series_latency_, e.now(), ms);
  e.reply(c.caller, outcome);
}

summary::ApiGateway ApiGateway::summary() const {
  summary::ApiGateway s;
  s.flavor = config().flavor == ApiGatewaySpec::Flavor::rest ? "rest" : "http";
  s.metrics = {count, errors_4xx, errors_5xx, metrics::latency(latency_ms), metrics::latency(integration_latency_ms)};
  s.failed = metrics::failed(failed, {Failure::throttled, Failure::rejected, Failure::timeout, Failure::out_of_memory,
                                      Failure::function_error, Failure::dependency_failed});
  s.cost_usd = {{{"requests", cost_requests_usd}}, cost_requests_usd};
  return s;
}

}  // namespace sluice::components
