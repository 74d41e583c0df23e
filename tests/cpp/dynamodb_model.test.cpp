// The model language's DynamoDB part as the loader reads it: dynamodb components (capacity
// modes, auto scaling, warm throughput, latency, the callers' SDK retries), the read, write,
// query and transact_write steps, and the architecture graph's table edges.
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

using sluice::DynamoDbSpec;
using sluice::ModelSpec;
using sluice::RetryPolicy;
using sluice::Step;

using sluice::test::config;
using sluice::test::load;

using sluice::test::check_lognormal;

bool has_warning_about(const ModelSpec& m, const std::string& key_path) {
  return std::any_of(m.warnings.begin(), m.warnings.end(), [&](const auto& w) { return w.key_path == key_path; });
}

// Every key written out, none left to its default.
const char* const kEveryKey = R"(
sluice: 1
name: every-key
run: {duration: 1h}
sources:
  checkout: {target: f, arrivals: {rate: 10/s}}
components:
  f:
    type: lambda
    steps:
      - {cpu: 1ms}
      - {write: orders, items: 3, item_size: 2KB}
      - {read: orders, items: 7, item_size: {distribution: uniform, min: 100B, max: 3KB}, consistent: true}
      - {query: sessions, items: 20, item_size: 400B, consistent: false}
      - {transact_write: orders, items: 4, item_size: 512B}
  orders:
    type: dynamodb
    mode: provisioned
    read_capacity: 100
    write_capacity: 50
    autoscaling: {min: 50, max: 1000, target: 60%}
    table_size: 25GB
    latency: {distribution: lognormal, median: 4ms, p99: 15ms}
    sdk_retries: {max_attempts: 5, base: 25ms, cap: 2s, jitter: equal}
  sessions:
    type: dynamodb
    mode: on_demand
    warm_throughput: {read: 20000, write: 8000}
    table_size: 1TB
    latency: 3ms
    sdk_retries: {mode: legacy}
faults:
  - {at: 10m, for: 2m, kind: latency, target: orders, add: 200ms}
  - {at: 20m, for: 1m, kind: outage, target: sessions}
)";

// Only what is required.
const char* const kDefaults = R"(
sluice: 1
sources:
  web: {target: f, arrivals: {rate: 1/s}}
components:
  f:
    type: lambda
    steps: [{cpu: 1ms}, {write: orders}, {read: orders}, {query: orders}, {transact_write: orders}]
  orders: {type: dynamodb, read_capacity: 5, write_capacity: 5}
  cache: {type: dynamodb, mode: on_demand}
)";

}  // namespace

TEST_CASE("dynamodb is a supported component type", "[model][dynamodb]") {
  const auto& types = sluice::supported_component_types();
  CHECK(std::find(types.begin(), types.end(), "dynamodb") != types.end());
}

TEST_CASE("Every key of a table is read with its unit", "[model][dynamodb]") {
  ModelSpec m = load(kEveryKey);
  const auto& t = config<DynamoDbSpec>(m, "orders");
  CHECK(t.mode == DynamoDbSpec::Mode::provisioned);
  CHECK(t.read_capacity == 100);
  CHECK(t.write_capacity == 50);
  REQUIRE(t.autoscaling);
  CHECK(t.autoscaling->min_units == 50);
  CHECK(t.autoscaling->max_units == 1000);
  CHECK(t.autoscaling->target == Approx(0.60));
  CHECK(t.table_size_bytes == 25.0 * 1024 * 1024 * 1024);
  check_lognormal(t.latency, 4e6, 15e6);
  CHECK(t.sdk_retries.max_attempts == 5);
  CHECK(t.sdk_retries.base_ns == 25e6);
  CHECK(t.sdk_retries.cap_ns == 2e9);
  CHECK(t.sdk_retries.jitter == RetryPolicy::Jitter::equal);

  const auto& s = config<DynamoDbSpec>(m, "sessions");
  CHECK(s.mode == DynamoDbSpec::Mode::on_demand);
  CHECK(s.warm_read_units == 20000);
  CHECK(s.warm_write_units == 8000);
  CHECK_FALSE(s.autoscaling);
  CHECK(s.table_size_bytes == 1024.0 * 1024 * 1024 * 1024);
  CHECK(s.latency == sluice::Distribution::constant(3e6));
  // Legacy mode: the DynamoDB policy of 10 retries, base 25 ms (aws-facts §5 S-R4).
  CHECK(s.sdk_retries.max_attempts == 11);
  CHECK(s.sdk_retries.base_ns == 25e6);
  CHECK(s.sdk_retries.cap_ns == 20e9);
  CHECK(s.sdk_retries.jitter == RetryPolicy::Jitter::full);

  // Latency and outage faults reach a table.
  REQUIRE(m.faults.size() == 2);
  CHECK(m.faults[0].target == "orders");
  CHECK(m.faults[0].add_ns == 200e6);
  CHECK(m.faults[1].target == "sessions");
  CHECK(m.faults[1].kind == sluice::FaultSpec::Kind::outage);
}

TEST_CASE("Every key of the table steps is read", "[model][dynamodb]") {
  ModelSpec m = load(kEveryKey);
  const auto& steps = config<sluice::LambdaSpec>(m, "f").steps;
  REQUIRE(steps.size() == 5);
  const Step& write = steps[1];
  CHECK(write.kind == Step::Kind::write);
  CHECK(write.target == "orders");
  CHECK(write.items == 3);
  CHECK(write.item_size == sluice::Distribution::constant(2048));
  CHECK_FALSE(write.consistent);
  CHECK(write.where.line == 12);  // the text starts with a newline

  const Step& read = steps[2];
  CHECK(read.kind == Step::Kind::read);
  CHECK(read.target == "orders");
  CHECK(read.items == 7);
  CHECK(read.item_size.kind == sluice::Distribution::Kind::uniform);
  CHECK(read.item_size.a == 100);
  CHECK(read.item_size.b == 3072);
  CHECK(read.consistent);

  const Step& query = steps[3];
  CHECK(query.kind == Step::Kind::query);
  CHECK(query.target == "sessions");
  CHECK(query.items == 20);
  CHECK(query.item_size == sluice::Distribution::constant(400));
  CHECK_FALSE(query.consistent);

  const Step& transact = steps[4];
  CHECK(transact.kind == Step::Kind::transact_write);
  CHECK(transact.target == "orders");
  CHECK(transact.items == 4);
  CHECK(transact.item_size == sluice::Distribution::constant(512));
}

TEST_CASE("A table's keys left out take the AWS defaults and the named assumptions", "[model][dynamodb]") {
  ModelSpec m = load(kDefaults);
  const auto& t = config<DynamoDbSpec>(m, "orders");
  CHECK(t.mode == DynamoDbSpec::Mode::provisioned);
  CHECK(t.read_capacity == 5);
  CHECK(t.write_capacity == 5);
  CHECK_FALSE(t.autoscaling);
  CHECK(t.table_size_bytes == 0);
  // "Single-digit millisecond" (aws-facts §5): lognormal, median 5 ms, p99 20 ms (assumption).
  check_lognormal(t.latency, 5e6, 20e6);
  // Standard mode: 3 attempts, base 100 ms, cap 20 s, full jitter (aws-facts §5 S-R1, S-R2).
  CHECK(t.sdk_retries.max_attempts == 3);
  CHECK(t.sdk_retries.base_ns == 100e6);
  CHECK(t.sdk_retries.cap_ns == 20e9);
  CHECK(t.sdk_retries.jitter == RetryPolicy::Jitter::full);

  // On-demand: a new table sustains 12,000 RRU/s and 4,000 WRU/s (aws-facts §5 S-D2).
  const auto& c = config<DynamoDbSpec>(m, "cache");
  CHECK(c.mode == DynamoDbSpec::Mode::on_demand);
  CHECK(c.warm_read_units == 12000);
  CHECK(c.warm_write_units == 4000);
  CHECK(c.sdk_retries == t.sdk_retries);

  // Steps: one item of 1 KB, eventually consistent.
  const auto& steps = config<sluice::LambdaSpec>(m, "f").steps;
  REQUIRE(steps.size() == 5);
  const Step::Kind kinds[] = {Step::Kind::write, Step::Kind::read, Step::Kind::query, Step::Kind::transact_write};
  for (std::size_t i = 1; i < steps.size(); ++i) {
    CHECK(steps[i].kind == kinds[i - 1]);
    CHECK(steps[i].target == "orders");
    CHECK(steps[i].items == 1);
    CHECK(steps[i].item_size == sluice::Distribution::constant(1024));
    CHECK_FALSE(steps[i].consistent);
  }

  // Auto scaling's target defaults to 70% (the console's default, aws-facts §5 S-D5).
  m = load(kDefaults, {{"components.orders.autoscaling", "{min: 5, max: 100}"}});
  REQUIRE(config<DynamoDbSpec>(m, "orders").autoscaling);
  CHECK(config<DynamoDbSpec>(m, "orders").autoscaling->target == Approx(0.70));
  // Warm throughput: a key left out keeps the new table's value.
  m = load(kDefaults, {{"components.cache.warm_throughput", "{write: 10000}"}});
  CHECK(config<DynamoDbSpec>(m, "cache").warm_read_units == 12000);
  CHECK(config<DynamoDbSpec>(m, "cache").warm_write_units == 10000);
}

TEST_CASE("SDK retry modes: explicit keys override the mode's values", "[model][dynamodb]") {
  auto retries = [](const std::string& value) {
    return config<DynamoDbSpec>(load(kDefaults, {{"components.orders.sdk_retries", value}}), "orders").sdk_retries;
  };
  RetryPolicy standard = retries("{mode: standard}");
  CHECK(standard.max_attempts == 3);
  CHECK(standard.base_ns == 100e6);
  RetryPolicy legacy = retries("{mode: legacy, base: 50ms}");
  CHECK(legacy.max_attempts == 11);
  CHECK(legacy.base_ns == 50e6);
  CHECK(legacy.cap_ns == 20e9);
  RetryPolicy few = retries("{mode: legacy, max_attempts: 2}");
  CHECK(few.max_attempts == 2);
  CHECK(few.base_ns == 25e6);
  // the original contract's example: no mode, so standard's values where a key is left out.
  RetryPolicy example = retries("{max_attempts: 3, base: 25ms}");
  CHECK(example.max_attempts == 3);
  CHECK(example.base_ns == 25e6);
  CHECK(example.cap_ns == 20e9);
  CHECK(example.jitter == RetryPolicy::Jitter::full);
  CHECK_THROWS_WITH(retries("{mode: legasy}"),
                    Catch::Contains("'legasy' is not one of: standard, legacy (did you mean 'legacy'?)"));
  CHECK_THROWS_WITH(retries("{max_attempts: 0}"), Catch::Contains("0 is out of range: allowed 1..100"));
}

TEST_CASE("Overrides (--set) reach a table and its steps", "[model][dynamodb]") {
  ModelSpec m = load(kDefaults, {{"components.orders.write_capacity", "250"},
                                 {"components.f.steps.1.items", "7"},
                                 {"components.f.steps.2.consistent", "true"},
                                 {"components.cache.warm_throughput.read", "30000"}});
  CHECK(config<DynamoDbSpec>(m, "orders").write_capacity == 250);
  CHECK(config<sluice::LambdaSpec>(m, "f").steps[1].items == 7);
  CHECK(config<sluice::LambdaSpec>(m, "f").steps[2].consistent);
  CHECK(config<DynamoDbSpec>(m, "cache").warm_read_units == 30000);
  // Switching the mode alone leaves the provisioned capacities behind: an error at the table.
  CHECK_THROWS_WITH(load(kDefaults, {{"components.orders.mode", "on_demand"}}),
                    Catch::Contains("on-demand tables have no provisioned capacity"));
  CHECK(config<DynamoDbSpec>(load(kDefaults, {{"components.orders", "{type: dynamodb, mode: on_demand}"}}), "orders")
            .mode == DynamoDbSpec::Mode::on_demand);
  // Errors name the override.
  CHECK_THROWS_WITH(load(kDefaults, {{"components.orders.write_capacity", "0"}}),
                    Catch::StartsWith("--set components.orders.write_capacity=0: ") &&
                        Catch::Contains("0 is out of range: allowed 1..40000 WCU"));
  CHECK_THROWS_WITH(load(kDefaults, {{"components.f.steps.1.items", "26"}}),
                    Catch::StartsWith("--set components.f.steps.1.items=26: ") &&
                        Catch::Contains("BatchWriteItem writes at most 25 items"));
  // The effective model carries the table.
  std::string yaml = sluice::effective_yaml(kDefaults, {{"components.orders.write_capacity", "250"}});
  CHECK(config<DynamoDbSpec>(load(yaml), "orders").write_capacity == 250);
}

TEST_CASE("Capacity, auto scaling and step limits follow AWS's rules", "[model][dynamodb]") {
  auto fails_with = [](std::vector<sluice::Override> o, const std::string& fragment) {
    INFO(fragment);
    CHECK_THROWS_WITH(load(kDefaults, std::move(o)), Catch::Contains(fragment));
  };
  // The per-table quota: 40,000 units per second (aws-facts §5).
  CHECK(config<DynamoDbSpec>(load(kDefaults, {{"components.orders.read_capacity", "40000"}}), "orders").read_capacity ==
        40000);
  fails_with({{"components.orders.read_capacity", "40001"}}, "40001 is out of range: allowed 1..40000 RCU");
  fails_with({{"components.orders.read_capacity", "2.5"}}, "expected a whole number; got '2.5'");
  // A capacity outside the auto scaling range: a warning (auto scaling brings it into the range).
  ModelSpec scaled = load(kDefaults, {{"components.orders.autoscaling", "{min: 10, max: 100}"}});
  CHECK(config<DynamoDbSpec>(scaled, "orders").read_capacity == 5);
  REQUIRE(has_warning_about(scaled, "components.orders.read_capacity"));
  REQUIRE(has_warning_about(scaled, "components.orders.write_capacity"));
  for (const auto& w : scaled.warnings)
    if (w.key_path == "components.orders.read_capacity")
      CHECK(w.message ==
            "read_capacity 5 is outside the auto scaling range 10..100: auto scaling sets it to 10 at "
            "the start (autoscaling: min and max apply to reads and writes alike)");
  CHECK_FALSE(has_warning_about(load(kDefaults, {{"components.orders.autoscaling", "{min: 5, max: 100}"}}),
                                "components.orders.read_capacity"));
  fails_with({{"components.orders.autoscaling", "{min: 1, max: 40001}"}}, "40001 is out of range: allowed 1..40000");
  fails_with({{"components.orders.autoscaling", "{min: 1, max: 100, target: 91%}"}},
             "91% is out of range: a target utilization is 20%..90%");
  CHECK(config<DynamoDbSpec>(load(kDefaults, {{"components.orders.autoscaling", "{min: 1, max: 5, target: 20%}"}}),
                             "orders")
            .autoscaling->target == Approx(0.20));
  fails_with({{"components.orders.autoscaling", "{min: 1}"}}, "the key 'max' is required here");
  fails_with({{"components.cache.warm_throughput", "{read: 1000}"}}, "allowed 12000..40000 RRU");
  fails_with({{"components.orders.table_size", "200TB"}}, "200TB is above the maximum of 100TB");
  // Steps: per-call limits of the API calls.
  fails_with({{"components.f.steps.2.items", "101"}}, "BatchGetItem reads at most 100 items");
  fails_with({{"components.f.steps.4.items", "101"}}, "TransactWriteItems takes at most 100 items");
  CHECK(config<sluice::LambdaSpec>(load(kDefaults, {{"components.f.steps.4.items", "100"}}), "f").steps[4].items ==
        100);
  fails_with({{"components.f.steps.4.items", "100"}, {"components.f.steps.4.item_size", "50KB"}},
             "a TransactWriteItems call writes at most 4MB per call");
  fails_with({{"components.f.steps.2.items", "100"}, {"components.f.steps.2.item_size", "200KB"}},
             "a BatchGetItem call returns at most 16MB per call");
  fails_with({{"components.f.steps.3.items", "1025"}}, "a query returns at most 1MB per call, but 1025 items of 1KB");
  CHECK(config<sluice::LambdaSpec>(load(kDefaults, {{"components.f.steps.3.items", "1024"}}), "f").steps[3].items ==
        1024);
  fails_with({{"components.f.steps.1.item_size", "401KB"}}, "401KB is above the maximum of 400KB");
  CHECK(config<sluice::LambdaSpec>(load(kDefaults, {{"components.f.steps.1.item_size", "400KB"}}), "f")
            .steps[1]
            .item_size.a == 400 * 1024);
  fails_with({{"components.f.steps.1.item_size", "{distribution: uniform, min: 1KB, max: 500KB}"}},
             "500KB is above the maximum of 400KB");
  fails_with({{"components.f.steps.1.item_size", "0B"}}, "an item's size must be above zero");
  fails_with({{"components.f.steps.4.consistent", "true"}}, "'consistent' applies to read and query steps only");
  fails_with({{"components.f.steps.1.item_size", "1KB"}, {"components.f.steps.1.size", "1KB"}}, "unknown key 'size'");
}

TEST_CASE("Table steps must name a table: a source cannot", "[model][dynamodb]") {
  const std::string head = R"(
sluice: 1
sources:
  web: {target: f, arrivals: {rate: 1/s}}
components:
  orders: {type: dynamodb, mode: on_demand}
  q: {type: sqs}
)";
  CHECK_THROWS_WITH(load(head + "  f: {type: lambda, steps: [{write: q}]}\n"),
                    Catch::Contains("a write step's target must be dynamodb; 'q' is an sqs (a send step"));
  CHECK_THROWS_WITH(load(head + "  f: {type: lambda, steps: [{read: order}]}\n"),
                    Catch::Contains("'order' is not a component of this model (did you mean 'orders'?)"));
  CHECK_THROWS_WITH(load(head + "  f: {type: lambda, steps: [{send: orders}]}\n"),
                    Catch::Contains("read, write, query and transact_write steps call a DynamoDB table"));
  CHECK_THROWS_WITH(load(head + "  f: {type: lambda, steps: [{write: orders}]}\n", {{"sources.web.target", "orders"}}),
                    Catch::Contains("'orders' is a dynamodb (a table is called from functions' steps"));
  CHECK_THROWS_WITH(load(head + "  f: {type: lambda, steps: [{write: orders}], trigger: {source: orders}}\n"),
                    Catch::Contains("the table 'orders' has no stream: set stream: true on it"));
  CHECK_THROWS_WITH(load(head + "  f: {type: lambda, steps: [{write: orders, read: orders}]}\n"),
                    Catch::Contains("a step does one thing"));
}

TEST_CASE("The architecture graph draws table calls: a table no step calls is unreachable",
          "[model][dynamodb][graph]") {
  ModelSpec m = load(kEveryKey);
  std::string dot = sluice::to_dot(m);
  for (const char* line : {
           R"("f" -> "orders" [label="write"];)",
           R"("f" -> "orders" [label="read"];)",
           R"("f" -> "sessions" [label="query"];)",
           R"("f" -> "orders" [label="transact_write"];)",
           R"x("orders" [shape=box3d, label="orders\n(dynamodb)"];)x",
       }) {
    INFO(dot);
    CHECK(dot.find(line) != std::string::npos);
  }
  // Reached only through the function's steps.
  CHECK_FALSE(has_warning_about(m, "components.orders"));
  CHECK_FALSE(has_warning_about(m, "components.sessions"));
  CHECK(sluice::model::sources_reaching(m, "sessions") == std::vector<std::string>{"checkout"});

  m = load(R"(
sluice: 1
sources:
  web: {target: f, arrivals: {rate: 1/s}}
components:
  f: {type: lambda, steps: [{write: orders}]}
  orders: {type: dynamodb, read_capacity: 1, write_capacity: 1}
  archive: {type: dynamodb, mode: on_demand}
)");
  CHECK_FALSE(has_warning_about(m, "components.orders"));
  CHECK(has_warning_about(m, "components.archive"));
  CHECK(sluice::model::sources_reaching(m, "archive").empty());
}
