// The model language's messaging part as the loader reads it: sqs, sns and kinesis components,
// a lambda's async: and trigger:, the send/publish/put/invoke_async steps, asynchronous
// sources, faults:, the architecture graph's asynchronous edges and the warnings about them.
// (Malformed inputs are in the corpus, tests/data/bad/.)
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "catch.hpp"
#include "kernel/sampling.hpp"
#include "model/architecture_graph.hpp"
#include "sluice/model.hpp"
#include "spec_helpers.hpp"

namespace {

using sluice::ModelSpec;

using sluice::test::config;
using sluice::test::load;

// The loader's lognormal, and its mu is the log of the median.
void check_lognormal(const sluice::Distribution& d, double median, double p99) {
  sluice::test::check_lognormal(d, median, p99);
  CHECK(d.a == Approx(std::log(median)));
}

// Warnings whose message contains `fragment`.
std::vector<sluice::Warning> warnings_with(const ModelSpec& m, const std::string& fragment) {
  std::vector<sluice::Warning> out;
  for (const auto& w : m.warnings)
    if (w.message.find(fragment) != std::string::npos) out.push_back(w);
  return out;
}

bool has_warning_about(const ModelSpec& m, const std::string& key_path) {
  return std::any_of(m.warnings.begin(), m.warnings.end(), [&](const auto& w) { return w.key_path == key_path; });
}

// Every key of the messaging part written out, none left to its default.
const char* const kEveryKey = R"(
sluice: 1
name: every-key
run: {duration: 1h}
sources:
  checkout: {target: api, arrivals: {rate: 10/s}}
  clickstream: {target: clicks, arrivals: {rate: 5/s}}
  audits: {target: audit, invocation: async, arrivals: {rate: 1/s}}
  orders-in: {target: orders, arrivals: {rate: 1/s}}
  events-in: {target: events, arrivals: {rate: 1/s}}
components:
  api: {type: api_gateway, target: ingest}
  ingest:
    type: lambda
    timeout: 10s
    steps:
      - cpu: 5ms
      - send: orders
        size: 2KB
      - publish: events
      - put: clicks
        size: {distribution: uniform, min: 1KB, max: 3KB}
      - invoke_async: audit
  orders:
    type: sqs
    fifo: true
    high_throughput: true
    visibility_timeout: 90s
    retention: 2d
    delay: 30s
    dead_letter: {target: orders-dlq, max_receive_count: 7}
    latency: {distribution: lognormal, median: 4ms, p99: 30ms}
  orders-dlq: {type: sqs, fifo: true}
  plain-dlq: {type: sqs}
  events:
    type: sns
    subscribers:
      - target: plain-queue
      - {target: audit, filter: 30%}
    latency: 12ms
    delivery_latency: {distribution: exponential, mean: 50ms}
  plain-queue: {type: sqs, visibility_timeout: 5m}
  clicks:
    type: kinesis
    mode: provisioned
    shards: 8
    retention: 7d
    producer_retries: {max_attempts: 5, base: 50ms, cap: 5s, jitter: equal}
    latency: 20ms
  fulfil:
    type: lambda
    timeout: 30s
    steps: [{cpu: 1ms}]
    trigger:
      source: plain-queue
      batch_size: 500
      batching_window: 2s
      max_concurrency: 40
      report_batch_item_failures: true
  fifo-reader:
    type: lambda
    timeout: 10s
    steps: [{cpu: 1ms}]
    trigger: {source: orders, batch_size: 5}
  click-reader:
    type: lambda
    steps: [{cpu: 1ms}]
    trigger:
      source: clicks
      batch_size: 250
      batching_window: 1s
      parallelization_factor: 4
      max_retry_attempts: 3
      max_record_age: 1h
      bisect_batch_on_error: true
      report_batch_item_failures: true
      on_failure: plain-dlq
  audit:
    type: lambda
    steps: [{cpu: 1ms}]
    async: {max_retries: 1, max_event_age: 2h, on_failure: plain-dlq}
faults:
  - {at: 1m, kind: poison_message, target: orders, count: 3}
  - {at: 2m, for: 30s, kind: error_rate, target: fulfil, rate: 25%}
  - {at: 3m, for: 1m, kind: latency, target: clicks, add: 200ms}
  - {at: 4m, for: 10s, kind: outage, target: events}
  - {at: 5m, kind: deploy, target: ingest}
)";

// The same shapes with every key that has a default left out.
const char* const kDefaults = R"(
sluice: 1
sources:
  s: {target: f, arrivals: {rate: 1/s}}
  t: {target: topic, arrivals: {rate: 1/s}}
components:
  f:
    type: lambda
    steps: [{send: q}, {publish: topic}, {put: stream}, {invoke_async: g}]
  q:
    type: sqs
    dead_letter: {target: dlq, max_receive_count: 5}
  dlq: {type: sqs}
  topic:
    type: sns
    subscribers: [{target: q}]
  stream: {type: kinesis, shards: 1}
  on-demand: {type: kinesis, mode: on_demand}
  g: {type: lambda, steps: [{cpu: 1ms}], async: {}}
  q-reader: {type: lambda, steps: [{cpu: 1ms}], trigger: {source: q}}
  stream-reader: {type: lambda, steps: [{cpu: 1ms}], trigger: {source: stream}}
faults:
  - {at: 1m, kind: poison_message, target: q}
)";

}  // namespace

TEST_CASE("The messaging component types are supported", "[model][messaging]") {
  CHECK(sluice::supported_component_types() ==
        std::vector<std::string>{"api_gateway", "lambda", "sqs", "sns", "kinesis", "dynamodb"});
}

TEST_CASE("Every key of a queue, topic and stream is read with its unit", "[model][messaging]") {
  ModelSpec m = load(kEveryKey);
  const auto& q = config<sluice::SqsSpec>(m, "orders");
  CHECK(q.fifo);
  CHECK(q.high_throughput);
  CHECK(q.visibility_timeout_ns == 90e9);
  CHECK(q.retention_ns == 2 * 86400e9);
  CHECK(q.delay_ns == 30e9);
  CHECK(q.dead_letter_target == "orders-dlq");
  CHECK(q.max_receive_count == 7);
  check_lognormal(q.latency, 4e6, 30e6);

  const auto& t = config<sluice::SnsSpec>(m, "events");
  REQUIRE(t.subscribers.size() == 2);
  CHECK(t.subscribers[0].target == "plain-queue");
  CHECK(t.subscribers[0].filter == 1.0);
  CHECK(t.subscribers[1].target == "audit");
  CHECK(t.subscribers[1].filter == Approx(0.30));
  CHECK(t.subscribers[1].where.line > 0);
  CHECK(t.latency == sluice::Distribution::constant(12e6));
  CHECK(t.delivery_latency.kind == sluice::Distribution::Kind::exponential);
  CHECK(t.delivery_latency.a == 50e6);

  const auto& k = config<sluice::KinesisSpec>(m, "clicks");
  CHECK(k.mode == sluice::KinesisSpec::Mode::provisioned);
  CHECK(k.shards == 8);
  CHECK(k.retention_ns == 7 * 86400e9);
  CHECK(k.producer_retries.max_attempts == 5);
  CHECK(k.producer_retries.base_ns == 50e6);
  CHECK(k.producer_retries.cap_ns == 5e9);
  CHECK(k.producer_retries.jitter == sluice::RetryPolicy::Jitter::equal);
  CHECK(k.latency == sluice::Distribution::constant(20e6));
}

TEST_CASE("Every key of a function's steps, async: and trigger: is read", "[model][messaging]") {
  ModelSpec m = load(kEveryKey);
  const auto& ingest = config<sluice::LambdaSpec>(m, "ingest");
  REQUIRE(ingest.steps.size() == 5);
  CHECK(ingest.steps[1].kind == sluice::Step::Kind::send);
  CHECK(ingest.steps[1].target == "orders");
  REQUIRE(ingest.steps[1].size.has_value());
  CHECK(*ingest.steps[1].size == sluice::Distribution::constant(2048));
  CHECK(ingest.steps[2].kind == sluice::Step::Kind::publish);
  CHECK(ingest.steps[2].target == "events");
  CHECK_FALSE(ingest.steps[2].size.has_value());  // the record's own size
  CHECK(ingest.steps[3].kind == sluice::Step::Kind::put);
  CHECK(ingest.steps[3].target == "clicks");
  REQUIRE(ingest.steps[3].size.has_value());
  CHECK(ingest.steps[3].size->kind == sluice::Distribution::Kind::uniform);
  CHECK(ingest.steps[3].size->b == 3072);
  CHECK(ingest.steps[4].kind == sluice::Step::Kind::invoke_async);
  CHECK(ingest.steps[4].target == "audit");

  const auto& audit = config<sluice::LambdaSpec>(m, "audit");
  CHECK(audit.async.max_retries == 1);
  CHECK(audit.async.max_event_age_ns == 2 * 3600e9);
  CHECK(audit.async.on_failure == "plain-dlq");
  CHECK_FALSE(audit.trigger.has_value());

  const auto& fulfil = config<sluice::LambdaSpec>(m, "fulfil");
  REQUIRE(fulfil.trigger.has_value());
  const auto& sqs = *fulfil.trigger;
  CHECK(sqs.source == "plain-queue");
  CHECK(sqs.batch_size == 500);
  CHECK(sqs.batching_window_ns == 2e9);
  CHECK(sqs.max_concurrency == 40);
  CHECK(sqs.report_batch_item_failures);
  CHECK(sqs.where.line > 0);

  const auto& fifo = *config<sluice::LambdaSpec>(m, "fifo-reader").trigger;
  CHECK(fifo.source == "orders");
  CHECK(fifo.batch_size == 5);

  const auto& kinesis = *config<sluice::LambdaSpec>(m, "click-reader").trigger;
  CHECK(kinesis.source == "clicks");
  CHECK(kinesis.batch_size == 250);
  CHECK(kinesis.batching_window_ns == 1e9);
  CHECK_FALSE(kinesis.max_concurrency.has_value());
  CHECK(kinesis.parallelization_factor == 4);
  CHECK(kinesis.max_retry_attempts == 3);
  CHECK(kinesis.max_record_age_ns == 3600e9);
  CHECK(kinesis.bisect_batch_on_error);
  CHECK(kinesis.report_batch_item_failures);
  CHECK(kinesis.on_failure == "plain-dlq");
}

TEST_CASE("Asynchronous sources and every kind of fault are read", "[model][messaging]") {
  ModelSpec m = load(kEveryKey);
  REQUIRE(m.sources.size() == 5);
  CHECK_FALSE(m.sources[0].async);
  CHECK(m.sources[2].name == "audits");
  CHECK(m.sources[2].async);
  CHECK(m.sources[3].target == "orders");

  REQUIRE(m.faults.size() == 5);
  using K = sluice::FaultSpec::Kind;
  CHECK(m.faults[0].kind == K::poison_message);
  CHECK(m.faults[0].target == "orders");
  CHECK(m.faults[0].at_ns == 60e9);
  CHECK(m.faults[0].count == 3);
  CHECK(m.faults[0].where.line > 0);
  CHECK(m.faults[1].kind == K::error_rate);
  CHECK(m.faults[1].for_ns == 30e9);
  CHECK(m.faults[1].rate == Approx(0.25));
  CHECK(m.faults[2].kind == K::latency);
  CHECK(m.faults[2].target == "clicks");
  CHECK(m.faults[2].add_ns == 200e6);
  CHECK(m.faults[2].for_ns == 60e9);
  CHECK(m.faults[3].kind == K::outage);
  CHECK(m.faults[3].target == "events");
  CHECK(m.faults[3].for_ns == 10e9);
  CHECK(m.faults[4].kind == K::deploy);
  CHECK(m.faults[4].at_ns == 300e9);
  CHECK(m.faults[4].for_ns == 0);
}

TEST_CASE("Keys left out take the AWS defaults and the named assumptions", "[model][messaging]") {
  ModelSpec m = load(kDefaults);
  // SQS (aws-facts §2.2): visibility 30 s, retention 4 d, no delay; SendMessage 5 ms / 25 ms (assumption).
  const auto& q = config<sluice::SqsSpec>(m, "q");
  CHECK_FALSE(q.fifo);
  CHECK_FALSE(q.high_throughput);
  CHECK(q.visibility_timeout_ns == 30e9);
  CHECK(q.retention_ns == 345600e9);
  CHECK(q.delay_ns == 0);
  check_lognormal(q.latency, 5e6, 25e6);
  CHECK(config<sluice::SqsSpec>(m, "dlq").dead_letter_target.empty());

  // SNS: Publish 10 ms / 40 ms, delivery 30 ms / 200 ms (assumptions), filter 100%.
  const auto& t = config<sluice::SnsSpec>(m, "topic");
  check_lognormal(t.latency, 10e6, 40e6);
  check_lognormal(t.delivery_latency, 30e6, 200e6);
  CHECK(t.subscribers.at(0).filter == 1.0);

  // Kinesis (aws-facts §4): provisioned, retention 24 h; SDK standard retries (§5); PutRecord 10 ms / 50 ms.
  const auto& k = config<sluice::KinesisSpec>(m, "stream");
  CHECK(k.mode == sluice::KinesisSpec::Mode::provisioned);
  CHECK(k.shards == 1);
  CHECK(k.retention_ns == 86400e9);
  CHECK(k.producer_retries.max_attempts == 3);
  CHECK(k.producer_retries.base_ns == 100e6);
  CHECK(k.producer_retries.cap_ns == 20e9);
  CHECK(k.producer_retries.jitter == sluice::RetryPolicy::Jitter::full);
  check_lognormal(k.latency, 10e6, 50e6);
  CHECK(config<sluice::KinesisSpec>(m, "on-demand").mode == sluice::KinesisSpec::Mode::on_demand);

  // Asynchronous invocation (aws-facts §1.4): 2 retries, 6 h, no destination.
  const auto& g = config<sluice::LambdaSpec>(m, "g");
  CHECK(g.async.max_retries == 2);
  CHECK(g.async.max_event_age_ns == 21600e9);
  CHECK(g.async.on_failure.empty());
  CHECK(config<sluice::LambdaSpec>(m, "f").async == sluice::AsyncInvokeSpec{});

  // Triggers: SQS batch 10 (§2.1), Kinesis batch 100 and the stream defaults (§4).
  const auto& sqs = *config<sluice::LambdaSpec>(m, "q-reader").trigger;
  CHECK(sqs.batch_size == 10);
  CHECK(sqs.batching_window_ns == 0);
  CHECK_FALSE(sqs.max_concurrency.has_value());
  CHECK_FALSE(sqs.report_batch_item_failures);
  const auto& kinesis = *config<sluice::LambdaSpec>(m, "stream-reader").trigger;
  CHECK(kinesis.batch_size == 100);
  CHECK(kinesis.parallelization_factor == 1);
  CHECK(kinesis.max_retry_attempts == -1);
  CHECK(kinesis.max_record_age_ns == -1);
  CHECK_FALSE(kinesis.bisect_batch_on_error);
  CHECK(kinesis.on_failure.empty());

  // Steps carry no size of their own; a poison_message fault poisons one message.
  for (const auto& step : config<sluice::LambdaSpec>(m, "f").steps) CHECK_FALSE(step.size.has_value());
  REQUIRE(m.faults.size() == 1);
  CHECK(m.faults[0].count == 1);
}

TEST_CASE("max_record_age takes -1 for no limit", "[model][messaging]") {
  std::string yaml = std::string(kDefaults);
  ModelSpec m = load(yaml, {{"components.stream-reader.trigger.max_record_age", "-1"},
                            {"components.stream-reader.trigger.max_retry_attempts", "-1"}});
  const auto& t = *config<sluice::LambdaSpec>(m, "stream-reader").trigger;
  CHECK(t.max_record_age_ns == -1);
  CHECK(t.max_retry_attempts == -1);
  m = load(yaml, {{"components.stream-reader.trigger.max_record_age", "7d"}});
  CHECK(config<sluice::LambdaSpec>(m, "stream-reader").trigger->max_record_age_ns == 7 * 86400e9);
  CHECK_THROWS_WITH(load(yaml, {{"components.stream-reader.trigger.max_record_age", "8d"}}),
                    Catch::Contains("8d is above the maximum of 7d"));
}

TEST_CASE("Overrides (--set) reach the new sections", "[model][messaging]") {
  ModelSpec m = load(kDefaults, {{"components.q.visibility_timeout", "90s"},
                                 {"components.q-reader.trigger.batch_size", "5"},
                                 {"components.g.async.max_retries", "0"},
                                 {"components.topic.subscribers.0.filter", "10%"},
                                 {"components.stream.shards", "3"},
                                 {"faults.0.at", "2m"}});
  CHECK(config<sluice::SqsSpec>(m, "q").visibility_timeout_ns == 90e9);
  CHECK(config<sluice::LambdaSpec>(m, "q-reader").trigger->batch_size == 5);
  CHECK(config<sluice::LambdaSpec>(m, "g").async.max_retries == 0);
  CHECK(config<sluice::SnsSpec>(m, "topic").subscribers[0].filter == Approx(0.10));
  CHECK(config<sluice::KinesisSpec>(m, "stream").shards == 3);
  CHECK(m.faults.at(0).at_ns == 120e9);
  // A section the model does not have is created, then read like the file.
  m = load(kDefaults, {{"components.f.async.max_event_age", "1h"}});
  CHECK(config<sluice::LambdaSpec>(m, "f").async.max_event_age_ns == 3600e9);
  // Errors name the override.
  CHECK_THROWS_WITH(load(kDefaults, {{"components.q-reader.trigger.parallelization_factor", "2"}}),
                    Catch::StartsWith("--set components.q-reader.trigger.parallelization_factor=2: ") &&
                        Catch::Contains("applies to Kinesis triggers only"));
  // The effective model carries the new sections.
  std::string yaml = sluice::effective_yaml(kDefaults, {{"components.q.visibility_timeout", "90s"}});
  CHECK(yaml.find("visibility_timeout: 90s") != std::string::npos);
  CHECK(config<sluice::SqsSpec>(load(yaml), "q").visibility_timeout_ns == 90e9);
}

TEST_CASE("The architecture graph draws every asynchronous hop", "[model][messaging][graph]") {
  ModelSpec m = load(kEveryKey);
  std::string dot = sluice::to_dot(m);
  for (const char* edge : {
           R"("checkout" -> "api" [label="invoke"];)",
           R"("api" -> "ingest" [label="invoke"];)",
           R"("clickstream" -> "clicks" [label="put", style=dashed];)",
           R"("audits" -> "audit" [label="invoke_async", style=dashed];)",
           R"("orders-in" -> "orders" [label="send", style=dashed];)",
           R"("events-in" -> "events" [label="publish", style=dashed];)",
           R"("ingest" -> "orders" [label="send", style=dashed];)",
           R"("ingest" -> "events" [label="publish", style=dashed];)",
           R"("ingest" -> "clicks" [label="put", style=dashed];)",
           R"("ingest" -> "audit" [label="invoke_async", style=dashed];)",
           R"("orders" -> "orders-dlq" [label="dead_letter", style=dashed];)",
           R"("events" -> "plain-queue" [label="subscription", style=dashed];)",
           R"("events" -> "audit" [label="subscription", style=dashed];)",
           R"("plain-queue" -> "fulfil" [label="poll", style=dashed];)",
           R"("orders" -> "fifo-reader" [label="poll", style=dashed];)",
           R"("clicks" -> "click-reader" [label="poll", style=dashed];)",
           R"("click-reader" -> "plain-dlq" [label="on_failure", style=dashed];)",
           R"("audit" -> "plain-dlq" [label="on_failure", style=dashed];)",
       }) {
    INFO(dot);
    CHECK(dot.find(edge) != std::string::npos);
  }
  // Everything is reached: dead-letter queues through dead_letter and on_failure, consumers
  // through their queue or stream.
  for (const auto& w : m.warnings) CHECK(w.message.find("no source reaches") == std::string::npos);
}

TEST_CASE("Reachability and sources_reaching follow queues, topics and streams", "[model][messaging][graph]") {
  ModelSpec m = load(R"(
sluice: 1
sources:
  web: {target: api, arrivals: {rate: 1/s}}
  feed: {target: stream, arrivals: {rate: 1/s}}
components:
  api: {type: api_gateway, target: a}
  a: {type: lambda, steps: [{publish: topic}]}
  topic: {type: sns, subscribers: [{target: q}]}
  q: {type: sqs, dead_letter: {target: dlq, max_receive_count: 5}}
  dlq: {type: sqs}
  b: {type: lambda, steps: [{cpu: 1ms}], trigger: {source: q}}
  stream: {type: kinesis, shards: 1}
  c: {type: lambda, steps: [{cpu: 1ms}], trigger: {source: stream}}
  idle-queue: {type: sqs}
  idle-reader: {type: lambda, steps: [{cpu: 1ms}], trigger: {source: idle-queue}}
)");
  CHECK(sluice::model::sources_reaching(m, "b") == std::vector<std::string>{"web"});
  CHECK(sluice::model::sources_reaching(m, "dlq") == std::vector<std::string>{"web"});
  CHECK(sluice::model::sources_reaching(m, "c") == std::vector<std::string>{"feed"});
  CHECK(sluice::model::sources_reaching(m, "idle-reader").empty());
  CHECK_FALSE(has_warning_about(m, "components.dlq"));
  CHECK_FALSE(has_warning_about(m, "components.b"));
  CHECK_FALSE(has_warning_about(m, "components.c"));
  CHECK(has_warning_about(m, "components.idle-queue"));
  CHECK(has_warning_about(m, "components.idle-reader"));
}

TEST_CASE("A loop through an asynchronous hop is a warning: a synchronous loop stays an error",
          "[model][messaging][graph]") {
  const std::string head = R"(
sluice: 1
sources:
  s: {target: a, arrivals: {rate: 1/s}}
components:
)";
  SECTION("through a queue") {
    ModelSpec m = load(head + R"(
  a: {type: lambda, steps: [{send: q}]}
  q: {type: sqs}
  b: {type: lambda, steps: [{invoke: a}], trigger: {source: q}}
)");
    auto loops = warnings_with(m, "recursive loop");
    REQUIRE(loops.size() == 1);
    CHECK(loops[0].key_path == "components.a");
    CHECK(loops[0].message ==
          "recursive loop a -> q -> b -> a through asynchronous hops: Lambda stops such a chain after 16 "
          "invocations (aws-facts §1.5)");
    CHECK(loops[0].where.line == 7);
  }
  SECTION("an asynchronous invocation of itself") {
    ModelSpec m = load(head + "  a: {type: lambda, steps: [{invoke_async: a}]}\n");
    auto loops = warnings_with(m, "recursive loop a -> a through asynchronous hops");
    CHECK(loops.size() == 1);
  }
  SECTION("through a topic and its subscription") {
    ModelSpec m = load(head + R"(
  a: {type: lambda, steps: [{publish: t}]}
  t: {type: sns, subscribers: [{target: a, filter: 10%}]}
)");
    CHECK(warnings_with(m, "recursive loop a -> t -> a through asynchronous hops").size() == 1);
  }
  SECTION("through a Kinesis stream, which Lambda's detection does not cover") {
    ModelSpec m = load(head + R"(
  a: {type: lambda, steps: [{put: k}], trigger: {source: k}}
  k: {type: kinesis, shards: 1}
)");
    auto loops = warnings_with(m, "recursive loop a -> k -> a");
    REQUIRE(loops.size() == 1);
    CHECK(loops[0].message.find("covers SQS, SNS and Lambda only") != std::string::npos);
  }
  SECTION("an on-failure destination that fails back") {
    ModelSpec m = load(head + R"(
  a: {type: lambda, steps: [{cpu: 1ms}], async: {on_failure: b}}
  b: {type: lambda, steps: [{invoke_async: a}]}
)");
    CHECK(warnings_with(m, "recursive loop a -> b -> a").size() == 1);
  }
  SECTION("two queues that are each other's dead-letter queue") {
    ModelSpec m = load(head + R"(
  a: {type: lambda, steps: [{send: q1}]}
  q1: {type: sqs, dead_letter: {target: q2, max_receive_count: 5}}
  q2: {type: sqs, dead_letter: {target: q1, max_receive_count: 5}}
)");
    CHECK(warnings_with(m, "dead-letter loop q1 -> q2 -> q1").size() == 1);
  }
  SECTION("synchronous invocations only") {
    CHECK_THROWS_WITH(load(head + R"(
  a: {type: lambda, steps: [{invoke: b}, {send: q}]}
  b: {type: lambda, steps: [{invoke: a}]}
  q: {type: sqs}
)"),
                      Catch::Contains("components.a: recursion loop: a -> b -> a (each invocation calls the next "
                                      "synchronously"));
  }
}

TEST_CASE("Settings AWS advises against are warnings", "[model][messaging]") {
  const std::string model = R"(
sluice: 1
sources:
  s: {target: q, arrivals: {rate: 1/s}}
components:
  q:
    type: sqs
    visibility_timeout: 30s
    dead_letter: {target: dlq, max_receive_count: 3}
  dlq: {type: sqs}
  f:
    type: lambda
    timeout: 60s
    steps: [{cpu: 1ms}]
    trigger: {source: q, batch_size: 20, batching_window: 5s}
  g:
    type: lambda
    timeout: 3s
    steps: [{cpu: 1ms}]
    trigger: {source: q}
)";
  ModelSpec m = load(model);
  auto visibility = warnings_with(m, "visibility timeout");
  REQUIRE(visibility.size() == 1);
  CHECK(visibility[0].key_path == "components.f.trigger");
  CHECK(visibility[0].where.line == 15);
  CHECK(visibility[0].message ==
        "the queue 'q' has a visibility timeout of 30s, shorter than this function's timeout of 1m: a message still "
        "being processed becomes visible again and is received twice. AWS advises a visibility timeout of at least "
        "6 x the function timeout + the batching window (365s here) (aws-facts §2.1)");
  auto receives = warnings_with(m, "max_receive_count 3 is below the 5 AWS advises");
  REQUIRE(receives.size() == 1);
  CHECK(receives[0].key_path == "components.q.dead_letter.max_receive_count");
  auto competing = warnings_with(m, "competing consumers");
  REQUIRE(competing.size() == 1);
  CHECK(competing[0].message.find("2 functions poll this queue (f, g)") == 0);

  // With a long enough visibility timeout, a single consumer and the advised receive count: quiet.
  m = load(model, {{"components.q.visibility_timeout", "10m"},
                   {"components.q.dead_letter.max_receive_count", "5"},
                   {"components.g.trigger.source", "dlq"}});
  CHECK(m.warnings.empty());
}

TEST_CASE("A visibility timeout between 1 x and 6 x the function timeout + the window is a warning",
          "[model][messaging]") {
  // AWS advises at least 6 x the function timeout + the batching window (aws-facts §2.1 S-L19o).
  const std::string model = R"(
sluice: 1
sources:
  s: {target: q, arrivals: {rate: 1/s}}
components:
  q: {type: sqs, visibility_timeout: 30s}
  f:
    type: lambda
    timeout: 10s
    steps: [{cpu: 1ms}]
    trigger: {source: q, batching_window: 2s}
)";
  ModelSpec m = load(model);  // 10s <= 30s < 6 x 10s + 2s
  auto advised = warnings_with(m, "visibility timeout");
  REQUIRE(advised.size() == 1);
  CHECK(advised[0].key_path == "components.f.trigger");
  CHECK(advised[0].where.line == 11);
  CHECK(advised[0].message ==
        "the queue 'q' has a visibility timeout of 30s, below the 6 x the function timeout + the batching window "
        "that AWS advises (62s here, aws-facts §2.1): the margin lets Lambda retry a throttled batch before its "
        "messages become visible again and are received twice");
  // Just below the advice still warns; at it, nothing.
  CHECK(warnings_with(load(model, {{"components.q.visibility_timeout", "61.999s"}}), "visibility timeout").size() == 1);
  CHECK(load(model, {{"components.q.visibility_timeout", "62s"}}).warnings.empty());
  // Below 1 x stays the warning about messages received while still being processed (a warning,
  // as before: the model runs).
  auto shorter = warnings_with(load(model, {{"components.q.visibility_timeout", "9s"}}), "visibility timeout");
  REQUIRE(shorter.size() == 1);
  CHECK(shorter[0].message.find("shorter than this function's timeout of 10s") != std::string::npos);
}

TEST_CASE("A queue or stream nothing consumes is a warning, but a dead-letter queue or destination is not",
          "[model][messaging][graph]") {
  ModelSpec m = load(R"(
sluice: 1
sources:
  web: {target: api, arrivals: {rate: 1/s}}
  feed: {target: stream, arrivals: {rate: 1/s}}
components:
  api: {type: api_gateway, target: f}
  f:
    type: lambda
    steps: [{send: orphan}, {send: q}, {put: idle-stream}, {write: orders}, {write: plain-table}]
    async: {on_failure: failures}
  orphan: {type: sqs, retention: 2d}
  q: {type: sqs, dead_letter: {target: dlq, max_receive_count: 5}}
  dlq: {type: sqs}
  failures: {type: sqs}
  g: {type: lambda, steps: [{cpu: 1ms}], trigger: {source: q}}
  stream: {type: kinesis, shards: 1}
  reader: {type: lambda, steps: [{cpu: 1ms}], trigger: {source: stream, on_failure: stream-failures}}
  stream-failures: {type: sqs}
  idle-stream: {type: kinesis, shards: 1, retention: 48h}
  orders: {type: dynamodb, mode: on_demand, stream: true}
  plain-table: {type: dynamodb, mode: on_demand}
  forgotten: {type: sqs}
)");
  auto unconsumed = warnings_with(m, "nothing consumes");
  REQUIRE(unconsumed.size() == 2);
  CHECK(unconsumed[0].key_path == "components.orphan");
  CHECK(unconsumed[0].where.line == 12);
  CHECK(unconsumed[0].message ==
        "nothing consumes this queue (no function has a trigger on it): its messages wait until its retention of 2d "
        "deletes them");
  CHECK(unconsumed[1].key_path == "components.idle-stream");
  CHECK(unconsumed[1].message ==
        "nothing consumes this stream (no function has a trigger on it): its records expire after its retention of 2d");
  auto unread = warnings_with(m, "nothing reads this table's stream");
  REQUIRE(unread.size() == 1);
  CHECK(unread[0].key_path == "components.orders");
  // Parking places for failures, consumed queues and streams, and a table without a stream: quiet.
  for (const char* quiet : {"components.dlq", "components.failures", "components.stream-failures", "components.q",
                            "components.stream", "components.plain-table"})
    CHECK_FALSE(has_warning_about(m, quiet));
  // A queue no source reaches has that warning only, not a second one about its consumer.
  auto forgotten = std::count_if(m.warnings.begin(), m.warnings.end(),
                                 [](const auto& w) { return w.key_path == "components.forgotten"; });
  CHECK(forgotten == 1);
  CHECK(warnings_with(m, "no source reaches").size() == 1);

  // Given a consumer, the queue is quiet.
  ModelSpec consumed = load(R"(
sluice: 1
sources:
  s: {target: orphan, arrivals: {rate: 1/s}}
components:
  orphan: {type: sqs}
  h: {type: lambda, steps: [{cpu: 1ms}], trigger: {source: orphan}}
)");
  CHECK(consumed.warnings.empty());
}
