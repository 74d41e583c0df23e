// Lambda's asynchronous invocation and SNS (aws-facts §1.4, §1.5, §3): retries, the maximum event
// age, the on-failure destination, recursive loops, fan-out with filters, and end-to-end latency
// across asynchronous hops.
#include <cmath>
#include <string>
#include <vector>

#include "catch.hpp"
#include "model_helpers.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

using sluice::test::run_yaml;

namespace {

const char* kTopicToFunction = R"(
sluice: 1
name: async
run: {duration: 20m, seed: 3}
sources:
  events: {target: topic, arrivals: {process: poisson, rate: 5/s}}
components:
  topic:
    type: sns
    latency: 10ms
    delivery_latency: 30ms
    subscribers: [{target: worker}, {target: audit, filter: 30%}]
  worker:
    type: lambda
    provisioned_concurrency: 5
    reserved_concurrency: 20
    steps: [{io: 100ms}]
  audit:
    type: lambda
    steps: [{io: 5ms}]
)";

}  // namespace

TEST_CASE("SNS delivers each publish to every subscriber whose filter it passes", "[async][sns]") {
  auto r = doc(run_yaml(kTopicToFunction));
  auto published = r["components"]["topic"]["metrics"]["NumberOfMessagesPublished"].get<double>();
  auto worker = r["components"]["worker"]["metrics"]["Invocations"].get<double>();
  auto audit = r["components"]["audit"]["metrics"]["Invocations"].get<double>();
  CHECK(worker == published);  // no filter: every publish
  // 30% filter: binomial(published, 0.3), within 4.8 standard deviations.
  double sd = std::sqrt(published * 0.3 * 0.7);
  CHECK(std::abs(audit - 0.3 * published) < 4.8 * sd);
  CHECK(r["components"]["topic"]["metrics"]["NumberOfNotificationsDelivered"].get<double>() == worker + audit);
  CHECK(r["ledger"]["balanced"].get<bool>());
}

TEST_CASE("End-to-end latency runs until the last asynchronous descendant ends", "[async][lineage]") {
  // Publish answers after 10 ms, but the request is complete only when the worker (30 ms
  // delivery + 100 ms on a warm provisioned environment) and the audit have finished.
  auto r = doc(run_yaml(kTopicToFunction));
  double p50 = r["sources"]["events"]["latency_ms"]["p50"].get<double>();
  CHECK(p50 == Approx(130).epsilon(0.01));
  CHECK(r["sources"]["events"]["completed"].get<double>() ==
        r["sources"]["events"]["requests"].get<double>() - r["sources"]["events"]["in_flight"].get<double>());
}

TEST_CASE("A failing asynchronous event is tried 1 + max_retries times, then goes to its destination",
          "[async][retries]") {
  const std::string model = R"(
sluice: 1
name: retries
run: {duration: 30m, seed: 5}
sources:
  events: {target: worker, invocation: async, arrivals: {process: uniform, rate: 1/s}}
components:
  worker:
    type: lambda
    errors: 100%
    steps: [{io: 10ms}]
    async: {max_retries: 2, on_failure: dlq}
  dlq: {type: sqs}
)";
  auto r = doc(run_yaml(model));
  const auto& m = r["components"]["worker"]["metrics"];
  // Events of the last 3 minutes are still waiting for their retries (1 min, then 2 min later).
  double given_up = m["AsyncEventsDropped"].get<double>();
  CHECK(given_up > 0);
  CHECK(m["Invocations"].get<double>() == Approx(3 * m["AsyncEventsReceived"].get<double>()).margin(3 * 180));
  CHECK(r["components"]["worker"]["failed"]["dead_lettered"].get<double>() == given_up);
  CHECK(m["DestinationDeliveries"].get<double>() == given_up);
  CHECK(r["sources"]["events"]["failed"]["dead_lettered"].get<double>() == given_up);
  CHECK(r["components"]["dlq"]["metrics"]["NumberOfMessagesSent"].get<double>() == given_up);
  CHECK(r["ledger"]["balanced"].get<bool>());

  auto none = doc(run_yaml(model, 5, {{"components.worker.async.max_retries", "0"}}));
  const auto& n = none["components"]["worker"]["metrics"];
  CHECK(n["Invocations"].get<double>() == n["AsyncEventsReceived"].get<double>());
  CHECK(n["AsyncEventRetries"].get<double>() == 0);
}

TEST_CASE("Throttled asynchronous events are retried until the maximum event age, then expire", "[async][retries]") {
  const std::string model = R"(
sluice: 1
name: throttled
run: {duration: 20m, seed: 9}
sources:
  events: {target: worker, invocation: async, arrivals: {process: poisson, rate: 50/s}}
components:
  worker:
    type: lambda
    reserved_concurrency: 1
    steps: [{io: 100ms}]
    async: {max_event_age: 60s}
)";
  auto r = doc(run_yaml(model));
  const auto& m = r["components"]["worker"]["metrics"];
  CHECK(m["Throttles"].get<double>() > 0);
  CHECK(r["sources"]["events"]["failed"]["expired"].get<double>() > 0);
  CHECK(r["components"]["worker"]["failed"]["expired"].get<double>() > 0);
  // No event is tried after its maximum age.
  CHECK(m["AsyncEventAge_ms"]["max"].get<double>() <= 60'000 * 1.01);
  // The one environment does at most 10 a second, and stays busy most of the time (it idles
  // only while every waiting event is in its backoff).
  CHECK(m["RecordsProcessed"].get<double>() <= 10.0 * 1200);
  CHECK(m["RecordsProcessed"].get<double>() >= 0.9 * 10.0 * 1200);
  CHECK(r["ledger"]["balanced"].get<bool>());
}

TEST_CASE("A handler that fails on a call is retried as a function error: max_retries times, then given up",
          "[async][retries]") {
  // SNS -> Lambda (asynchronous) -> DynamoDB at 20 orders/s; the table is down from 10 min for
  // 5 min. The handler runs and fails on its write: a function error (aws-facts §1.4), retried
  // max_retries times, 1 and then 2 minutes later. An event is given up when every one of its
  // 1 + max_retries tries falls inside the outage: the events that arrived in its first
  // 300 s - (60 s + 120 s) = 120 s with max_retries 2, 240 s with 1, 300 s with 0.
  const std::string model = R"(
sluice: 1
name: outage
run: {duration: 30m, seed: 7}
sources:
  orders: {target: orders-in, arrivals: {process: poisson, rate: 20/s}}
components:
  orders-in:
    type: sns
    subscribers: [{target: fulfil}]
  fulfil:
    type: lambda
    memory: 512MB
    timeout: 10s
    steps: [{cpu: 5ms}, {write: orders-table}]
    async: {max_retries: 2}
  orders-table:
    type: dynamodb
    mode: on_demand
faults:
  - {at: 10m, for: 5m, kind: outage, target: orders-table}
)";
  const double rate = 20;
  for (int max_retries : {0, 1, 2}) {
    std::vector<sluice::Override> set{{"components.fulfil.async.max_retries", std::to_string(max_retries)}};
    auto r = doc(run_yaml(model, 7, set));
    const auto& m = r["components"]["fulfil"]["metrics"];
    double given_up = m["AsyncEventsDropped"].get<double>();
    double window_s = 300.0 - (max_retries >= 1 ? 60 : 0) - (max_retries >= 2 ? 120 : 0);
    // The arrivals of a Poisson process in the window: mean and variance rate x window (each try
    // lasts a fraction of a second, which shortens the window by less than a second).
    double expected = rate * window_s;
    INFO("max_retries " << max_retries << ": given up " << given_up << ", expected " << expected);
    CHECK(std::abs(given_up - expected) < 4.8 * std::sqrt(expected) + rate);
    // Every failed try leads to one retry or to giving up: no backoff loop until the event's
    // maximum age (the retries of a throttle).
    CHECK(m["Errors"].get<double>() == m["AsyncEventRetries"].get<double>() + given_up);
    // The public reason stays dependency_failed.
    CHECK(r["components"]["fulfil"]["failed"]["dependency_failed"].get<double>() ==
          m["Errors"].get<double>() + given_up);
    CHECK(r["sources"]["orders"]["failed"]["dependency_failed"].get<double>() == given_up);
    CHECK(r["ledger"]["balanced"].get<bool>());
    if (max_retries != 2) continue;
    // The same count as a 100% error rate of the function over the same window: the same arrivals
    // (same seed, same source), so the two differ only where a try's duration moves it across the
    // window's edges; the binomial standard deviation of the count bounds that amply.
    auto errors =
        doc(run_yaml(model, 7, {{"faults", "[{at: 10m, for: 5m, kind: error_rate, target: fulfil, rate: 100%}]"}}));
    double given_up_errors = errors["components"]["fulfil"]["metrics"]["AsyncEventsDropped"].get<double>();
    CHECK(std::abs(given_up - given_up_errors) < 4.8 * std::sqrt(expected));
    CHECK(errors["sources"]["orders"]["failed"]["function_error"].get<double>() == given_up_errors);
  }
}

TEST_CASE("A recursive loop through a topic is stopped after 16 invocations", "[async][recursion]") {
  const std::string model = R"(
sluice: 1
name: loop
run: {duration: 5m, seed: 2}
sources:
  events: {target: loop-topic, arrivals: {process: uniform, rate: 1/s}}
components:
  loop-topic:
    type: sns
    subscribers: [{target: looper}]
  looper:
    type: lambda
    steps: [{cpu: 1ms}, {publish: loop-topic}]
)";
  sluice::ModelSpec spec = sluice::load_model_from_string(model, {}, "<test>", SLUICE_SOURCE_DIR);
  bool warned = false;
  for (const auto& w : spec.warnings) warned = warned || w.message.find("recursive loop") != std::string::npos;
  CHECK(warned);
  auto r = doc(run_yaml(model));
  const auto& m = r["components"]["looper"]["metrics"];
  double dropped = m["RecursiveInvocationsDropped"].get<double>();
  double completed_chains = r["sources"]["events"]["failed"]["rejected"].get<double>();
  CHECK(dropped > 250);
  CHECK(completed_chains == dropped);
  // Each chain: 16 invocations that ran, and a 17th stopped before it started.
  CHECK(m["RecordsProcessed"].get<double>() == Approx(16 * dropped).margin(16 * 2));
  CHECK(r["ledger"]["balanced"].get<bool>());
}

TEST_CASE("Faults show in the ledger: a deploy brings cold starts, an outage makes SNS retry", "[async][faults]") {
  const std::string model = std::string(kTopicToFunction) + R"(
faults:
  - {at: 10m, kind: deploy, target: audit}
  - {at: 12m, for: 30s, kind: outage, target: audit}
  - {at: 14m, for: 1m, kind: error_rate, target: worker, rate: 100%}
)";
  auto base = doc(run_yaml(kTopicToFunction));
  auto r = doc(run_yaml(model));
  CHECK(r["components"]["audit"]["metrics"]["ColdStarts"].get<double>() >
        base["components"]["audit"]["metrics"]["ColdStarts"].get<double>());
  CHECK(r["components"]["topic"]["metrics"]["NumberOfNotificationsFailed"].get<double>() > 0);
  // Deliveries during the outage are retried and delivered once it is over: none lost.
  CHECK(r["components"]["topic"]["metrics"]["NumberOfNotificationsDelivered"].get<double>() ==
        r["components"]["worker"]["metrics"]["Invocations"].get<double>() -
            r["components"]["worker"]["metrics"]["AsyncEventRetries"].get<double>() +
            r["components"]["audit"]["metrics"]["AsyncEventsReceived"].get<double>());
  // A minute of errors: those events are retried 1 and 2 minutes later and then succeed.
  CHECK(r["components"]["worker"]["metrics"]["Errors"].get<double>() > 200);
  CHECK(r["sources"]["events"]["failed"]["function_error"].get<double>() == 0);
  CHECK(r["ledger"]["balanced"].get<bool>());
}
