// DynamoDB tables through the public API: capacity units from item sizes, provisioned capacity
// with burst (the token-bucket closed form), per-partition limits and a hot key, auto scaling's
// reaction times, the SDK's retries and what they add to the caller's duration, duplicate writes
// from replayed SQS batches, and on-demand throughput. Every run's ledger must balance.
//
// The models are read from YAML without their table (its loader comes separately), then the
// table and the functions' table steps are added to the ModelSpec in C++.
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "components/dynamodb_autoscaling.hpp"
#include "components/dynamodb_capacity.hpp"
#include "components/dynamodb_on_demand.hpp"
#include "components/dynamodb_partitions.hpp"
#include "model_helpers.hpp"
#include "sluice/model.hpp"
#include "sluice/results.hpp"
#include "sluice/run.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

namespace {

using json = nlohmann::ordered_json;
using sluice::DynamoDbSpec;
using sluice::Step;
using sluice::test::check_balanced;
using sluice::test::fill;
using sluice::test::num;
using sluice::test::u64;

// Clients calling a function synchronously; the function's table steps are added in C++.
const char* kDirect = R"(
sluice: 1
name: dynamodb
run: {duration: $DURATION, seed: 5, bucket: $BUCKET}
sources:
  clients:
    target: writer
    arrivals: $ARRIVALS
    payload: {size: 1KB$KEY}
components:
  writer:
    type: lambda
    memory: 1024MB
    timeout: 120s
    cold_start: 100ms
    keep_alive: 1h
    steps: [{io: 1ms}]
)";

sluice::ModelSpec direct_model(std::vector<std::pair<std::string, std::string>> values) {
  const std::vector<std::pair<std::string, std::string>> defaults{
      {"$DURATION", "60s"}, {"$BUCKET", "60s"}, {"$ARRIVALS", "{process: uniform, rate: 10/s}"}, {"$KEY", ""}};
  for (const auto& d : defaults) values.push_back(d);
  return sluice::load_model_from_string(fill(kDirect, values), {}, "<test>", SLUICE_SOURCE_DIR);
}

DynamoDbSpec provisioned(double rcu, double wcu, int max_attempts = 1) {
  DynamoDbSpec t;
  t.mode = DynamoDbSpec::Mode::provisioned;
  t.read_capacity = rcu;
  t.write_capacity = wcu;
  t.latency = sluice::Distribution::constant(5e6);
  t.sdk_retries.max_attempts = max_attempts;
  return t;
}

DynamoDbSpec on_demand(int max_attempts = 1) {
  DynamoDbSpec t = provisioned(0, 0, max_attempts);
  t.mode = DynamoDbSpec::Mode::on_demand;
  return t;
}

Step table_step(Step::Kind kind, int items, double item_bytes, bool consistent = false) {
  Step s;
  s.kind = kind;
  s.target = "table";
  s.items = items;
  s.item_size = sluice::Distribution::constant(item_bytes);
  s.consistent = consistent;
  return s;
}

// Adds the table and appends the steps to `function`'s.
void add_table(sluice::ModelSpec& m, const DynamoDbSpec& table, const std::string& function,
               const std::vector<Step>& steps) {
  sluice::ComponentSpec c;
  c.name = "table";
  c.type = "dynamodb";
  c.config = table;
  m.components.push_back(c);
  for (auto& comp : m.components)
    if (comp.name == function) {
      auto& f = std::get<sluice::LambdaSpec>(comp.config);
      f.steps.insert(f.steps.end(), steps.begin(), steps.end());
    }
}

sluice::Results run_checked(const sluice::ModelSpec& m) {
  auto r = sluice::run(m);
  check_balanced(r);
  return r;
}

json table(const sluice::Results& r) { return doc(r)["components"]["table"]; }
double metric(const sluice::Results& r, const std::string& name) { return num(table(r)["metrics"][name]); }

// A series of the table, as (bucket start, value) pairs.
std::vector<std::pair<double, double>> series(const sluice::Results& r, const std::string& metric_name) {
  const auto& ts = r.timeseries;
  std::vector<std::pair<double, double>> out;
  for (std::size_t i = 0; i < ts.rows(); ++i)
    if (ts.components[ts.component[i]] == "table" && ts.metrics[ts.metric[i]] == metric_name)
      out.emplace_back(ts.time_s[i], ts.value[i]);
  return out;
}

}  // namespace

TEST_CASE("dynamodb: capacity units from item sizes", "[dynamodb]") {
  using sluice::components::read_units;
  using sluice::components::table_request;
  using sluice::components::write_units;
  using Op = sluice::engine::TableRequest::Operation;
  CHECK(write_units(1024) == 1);
  CHECK(write_units(1536) == 2);
  CHECK(write_units(100) == 1);
  CHECK(read_units(4096, true) == 1);
  CHECK(read_units(4096, false) == 0.5);
  CHECK(read_units(4.1 * 1024, true) == 2);
  CHECK(read_units(4.1 * 1024, false) == 1);
  CHECK(table_request(Op::transact_write, 1, 1024, false).write_units == 2);
  CHECK(table_request(Op::write, 3, 1536, false).write_units == 6);
  CHECK(table_request(Op::query, 20, 400, false).read_units == 1);  // 8,000 B together: 2 x 4 KB, eventual
  CHECK(table_request(Op::read, 2, 4096, true).read_units == 2);

  // The same units consumed in a run: 100 calls, each with four steps.
  auto m = direct_model(
      {{"$DURATION", "10s"},
       {"$BUCKET", "1s"},
       {"$ARRIVALS", "{process: uniform, phases: [{duration: 5s, rate: 20/s}, {duration: 5s, rate: 0/s}]}"}});
  add_table(m, on_demand(), "writer",
            {table_step(Step::Kind::write, 1, 1536), table_step(Step::Kind::read, 1, 4.1 * 1024, true),
             table_step(Step::Kind::query, 20, 400), table_step(Step::Kind::transact_write, 2, 1024)});
  auto r = run_checked(m);
  INFO(table(r).dump());
  const double calls = num(doc(r)["components"]["writer"]["metrics"]["Invocations"]);
  CHECK(calls == 100);
  CHECK(metric(r, "ConsumedWriteCapacityUnits") == calls * (2 + 4));
  CHECK(metric(r, "ConsumedReadCapacityUnits") == calls * (2 + 1));
  CHECK(u64(table(r)["metrics"]["Requests"]) == 4 * 100);
  // On-demand: billed per request unit at the November 2024 prices.
  CHECK(num(table(r)["cost_usd"]["write_request_units"]) == Approx(600 * 0.625e-6));
  CHECK(num(table(r)["cost_usd"]["read_request_units"]) == Approx(300 * 0.125e-6));
  CHECK(num(doc(r)["cost_usd"]["by_dimension"]["dynamodb.write_request_units"]) == Approx(600 * 0.625e-6));
}

TEST_CASE("dynamodb: a constant demand above provisioned capacity drains the 300 s burst, then runs at capacity",
          "[dynamodb]") {
  // Demand D WCU/s against capacity C, starting with a full burst of 300 C: the burst lasts
  // 300 C / (D - C) seconds, after which C per second is accepted. Over T seconds (T past the knee)
  // C T + 300 C units are accepted. No retries: a throttled write fails its call.
  struct Case {
    double c, d, t;
  };
  for (Case k : {Case{10, 20, 600}, Case{10, 40, 300}}) {
    auto m = direct_model({{"$DURATION", std::to_string(static_cast<int>(k.t)) + "s"},
                           {"$BUCKET", "20s"},
                           {"$ARRIVALS", "{process: uniform, rate: " + std::to_string(static_cast<int>(k.d)) + "/s}"}});
    add_table(m, provisioned(5, k.c), "writer", {table_step(Step::Kind::write, 1, 1024)});
    auto r = run_checked(m);
    INFO(table(r).dump());
    const double knee = 300 * k.c / (k.d - k.c);
    const double accepted = k.c * k.t + 300 * k.c;
    // Uniform arrivals make it exact but for the first call's cold start and the last moments.
    CHECK(metric(r, "ConsumedWriteCapacityUnits") == Approx(accepted).margin(k.d * 0.5));
    CHECK(num(table(r)["failed"]["throttled"]) == Approx(k.d * k.t - accepted).margin(k.d * 0.5));
    CHECK(num(table(r)["metrics"]["ThrottledRequests"]) == num(table(r)["failed"]["throttled"]));
    CHECK(num(table(r)["metrics"]["ProvisionedWriteCapacityUnits"]["mean"]) == k.c);
    // The knee in the time series: D per second before it, C after.
    for (auto [t, v] : series(r, "ConsumedWriteCapacityUnits")) {
      INFO("t = " << t << " s, knee " << knee << " s");
      if (t + 20 <= knee && t >= 20) CHECK(v == Approx(20 * k.d).margin(1));
      if (t >= knee + 20) CHECK(v == Approx(20 * k.c).margin(1));
    }
    // Capacity-hours over the run: C WCU and 5 RCU.
    CHECK(num(table(r)["cost_usd"]["write_capacity_hours"]) == Approx(k.c * k.t / 3600 * 0.00065));
    CHECK(num(table(r)["cost_usd"]["read_capacity_hours"]) == Approx(5 * k.t / 3600 * 0.00013));
  }
}

TEST_CASE("dynamodb: a hot key throttles its partition while the table is under capacity", "[dynamodb]") {
  // 10,000 WCU: 11 partitions of 1,000 WCU/s each. 150 writes/s of 10 items (1,500 WCU/s) to a
  // single key: its partition takes 1,000 WCU/s at most.
  auto hot = direct_model({{"$DURATION", "10s"},
                           {"$BUCKET", "1s"},
                           {"$ARRIVALS", "{process: uniform, rate: 150/s}"},
                           {"$KEY", ", key: {distribution: uniform, keys: 1}"}});
  add_table(hot, provisioned(5, 10000), "writer", {table_step(Step::Kind::write, 10, 1024)});
  auto r = run_checked(hot);
  INFO(table(r).dump());
  CHECK(u64(table(r)["partitions"]) == 11);
  CHECK(u64(table(r)["metrics"]["WriteThrottleEvents"]) > 0);
  // After the partition's first second is spent, about a third of the writes are refused.
  CHECK(metric(r, "ConsumedWriteCapacityUnits") == Approx(1000 * 10 + 1000).epsilon(0.02));
  // The same load over 10,000 keys: about 140 WCU/s per partition, never throttled.
  auto spread = direct_model({{"$DURATION", "10s"},
                              {"$BUCKET", "1s"},
                              {"$ARRIVALS", "{process: uniform, rate: 150/s}"},
                              {"$KEY", ", key: {distribution: uniform, keys: 10000}"}});
  add_table(spread, provisioned(5, 10000), "writer", {table_step(Step::Kind::write, 10, 1024)});
  auto s = run_checked(spread);
  CHECK(u64(table(s)["metrics"]["WriteThrottleEvents"]) == 0);
  CHECK(metric(s, "ConsumedWriteCapacityUnits") == Approx(1500 * 10).epsilon(0.02));
}

TEST_CASE("dynamodb: partitions from capacity and size", "[dynamodb]") {
  using sluice::components::partitions_for;
  CHECK(partitions_for(5, 5, 0) == 1);
  CHECK(partitions_for(3000, 1000, 0) == 2);
  CHECK(partitions_for(12000, 4000, 0) == 8);  // a new on-demand table
  CHECK(partitions_for(5, 10000, 0) == 11);
  CHECK(partitions_for(5, 5, 25.0 * 1024 * 1024 * 1024) == 3);
}

TEST_CASE(
    "dynamodb: auto scaling raises capacity after its alarm and the provisioning delay, lowers it after 15 minutes low",
    "[dynamodb]") {
  // 10 WCU, target 70%: 10 min at 5 writes/s (50%), 20 min at 20/s (200%, carried by the burst),
  // then 2/s. Scale-out: 2 minutes above target, then 2 minutes to provision -> 29 WCU (20 / 0.7)
  // about 4 minutes after the step. Scale-in: 15 minutes low, then 2 to provision -> min 5 WCU.
  auto m = direct_model({{"$DURATION", "50m"},
                         {"$BUCKET", "10s"},
                         {"$ARRIVALS",
                          "{process: uniform, phases: [{duration: 10m, rate: 5/s}, "
                          "{duration: 20m, rate: 20/s}, {duration: 20m, rate: 2/s}]}"}});
  DynamoDbSpec t = provisioned(5, 10);
  t.autoscaling = sluice::AutoscalingSpec{5, 1000, 0.7};
  add_table(m, t, "writer", {table_step(Step::Kind::write, 1, 1024)});
  auto r = run_checked(m);
  INFO(table(r).dump());
  auto capacity = series(r, "ProvisionedWriteCapacityUnits");
  REQUIRE(!capacity.empty());
  double first_increase = -1, first_decrease = -1, after_increase = 0;
  for (auto [time, v] : capacity) {
    if (first_increase < 0 && v > 10.001) first_increase = time;
    if (first_increase >= 0 && time < 1800) after_increase = std::max(after_increase, v);
    if (first_increase >= 0 && time >= 1800 && first_decrease < 0 && v < after_increase - 0.001) first_decrease = time;
  }
  INFO("first increase at " << first_increase << " s, first decrease at " << first_decrease << " s");
  // Step up at 600 s; the bucket (10 s) holding the change.
  CHECK(first_increase >= 600 + 180);
  CHECK(first_increase <= 600 + 300);
  CHECK(after_increase == 29);
  // Step down at 1800 s: at least 15 minutes low, at most 15 + 1 + 2 (+ a bucket).
  CHECK(first_decrease >= 1800 + 15 * 60);
  CHECK(first_decrease <= 1800 + 19 * 60);
  CHECK(num(table(r)["metrics"]["ProvisionedWriteCapacityUnits"]["max"]) == 29);
  CHECK(u64(table(r)["autoscaling"]["increases"]) >= 1);
  CHECK(u64(table(r)["autoscaling"]["decreases"]) >= 1);
  // Read capacity: never used, 5 RCU is the minimum already.
  CHECK(num(table(r)["metrics"]["ProvisionedReadCapacityUnits"]["max"]) == 5);
  // The burst carried the demand until the capacity came: nothing throttled.
  CHECK(u64(table(r)["metrics"]["ThrottledRequests"]) == 0);
  // Capacity-hours follow the scaled capacity: between 10 WCU and 29 WCU over 50 minutes.
  double wcu_hours = num(table(r)["cost_usd"]["write_capacity_hours"]) / 0.00065;
  CHECK(wcu_hours > 10 * 50.0 / 60);
  CHECK(wcu_hours < 29 * 50.0 / 60);
  // Same seed, same summary.
  CHECK(sluice::summary_to_json(r) == sluice::summary_to_json(run_checked(m)));
}

TEST_CASE("dynamodb: target tracking's alarms and the daily limit on decreases", "[dynamodb]") {
  sluice::components::TargetTracking policy(sluice::AutoscalingSpec{5, 100, 0.5});
  CHECK_FALSE(policy.observe(20, 10));  // one minute above
  CHECK(policy.observe(20, 10) == 40);  // two: 20 / 0.5
  policy.reset();
  CHECK_FALSE(policy.observe(100, 10));
  CHECK(policy.observe(100, 10) == 100);  // capped at max
  policy.reset();
  for (int i = 0; i < 14; ++i) CHECK_FALSE(policy.observe(1, 40));
  CHECK(policy.observe(1, 40) == 5);  // the 15th low minute: down to min
  policy.reset();
  for (int i = 0; i < 30; ++i) CHECK_FALSE(policy.observe(19, 40));  // 47.5%: near the target is not low

  sluice::components::DailyDecreaseLimit limit;
  using sluice::kernel::SimTime;
  int allowed = 0;
  // Try every minute of two days: 4 in the first hour of each, then one an hour.
  for (int minute = 0; minute < 2 * 24 * 60; ++minute) {
    SimTime t = SimTime::seconds(60.0 * minute);
    if (limit.allowed(t)) {
      limit.record(t);
      ++allowed;
    }
    if (minute == 59) CHECK(allowed == 4);
    if (minute == 24 * 60 - 1) CHECK(allowed == 27);
  }
  CHECK(allowed == 54);
}

TEST_CASE("dynamodb: SDK retries follow the policy and lengthen the caller's duration", "[dynamodb]") {
  // 1 WCU with 300 units of burst; 5 writes/s: the burst lasts 75 s, then 4 in 5 are refused at
  // first try.
  auto model = [](int max_attempts, double base_ms, double wcu) {
    auto m = direct_model({{"$DURATION", "300s"}, {"$ARRIVALS", "{process: poisson, rate: 5/s}"}});
    DynamoDbSpec t = provisioned(5, wcu, max_attempts);
    t.sdk_retries.base_ns = base_ms * 1e6;
    add_table(m, t, "writer", {table_step(Step::Kind::write, 1, 1024)});
    return m;
  };
  auto standard = run_checked(model(3, 100, 1));
  auto legacy = run_checked(model(11, 25, 1));
  auto ample = run_checked(model(3, 100, 100));
  for (const auto* r : {&standard, &legacy}) {
    const json& t = table(*r);
    INFO(t.dump());
    const json& attempts = t["metrics"]["SdkAttempts"];
    std::uint64_t calls = 0, retries = 0;
    // An object keyed by the number of attempts, "1" to max_attempts.
    for (std::size_t k = 0; k < attempts.size(); ++k) {
      calls += u64(attempts[std::to_string(k + 1)]);
      retries += k * u64(attempts[std::to_string(k + 1)]);
    }
    // Every call that ended is counted once; its retries are the attempts after its first (calls
    // still retrying at the end of the run have retried but not ended).
    CHECK(calls <= u64(t["metrics"]["Requests"]));
    CHECK(static_cast<double>(calls) >= 0.9 * num(t["metrics"]["Requests"]));
    CHECK(retries <= u64(t["metrics"]["SdkRetries"]));
    CHECK(static_cast<double>(retries) >= 0.9 * num(t["metrics"]["SdkRetries"]));
    // A call given up used all its attempts.
    CHECK(u64(t["failed"]["throttled"]) > 0);
    CHECK(u64(t["failed"]["throttled"]) <= u64(attempts[std::to_string(attempts.size())]));
    // Throttled calls fail their invocation with dependency_failed.
    CHECK(u64(doc(*r)["sources"]["clients"]["failed"]["dependency_failed"]) == u64(t["failed"]["throttled"]));
  }
  CHECK(table(standard)["metrics"]["SdkAttempts"].size() == 3);
  CHECK(table(legacy)["metrics"]["SdkAttempts"].size() == 11);
  // Legacy mode (10 retries) retries on: some calls need more than 3 attempts.
  std::uint64_t beyond_three = 0;
  for (int k = 4; k <= 11; ++k) beyond_three += u64(table(legacy)["metrics"]["SdkAttempts"][std::to_string(k)]);
  CHECK(beyond_three > 0);
  // The table accepts the same units either way (1 WCU/s after the burst); with more retries,
  // fewer calls are given up, each after a longer wait.
  CHECK(u64(table(legacy)["failed"]["throttled"]) < u64(table(standard)["failed"]["throttled"]));
  // Retries add to the calling function's duration.
  auto duration = [](const sluice::Results& r) {
    return num(doc(r)["components"]["writer"]["metrics"]["Duration_ms"]["mean"]);
  };
  INFO("mean duration: ample " << duration(ample) << " ms, standard " << duration(standard) << " ms, legacy "
                               << duration(legacy) << " ms");
  CHECK(u64(table(ample)["metrics"]["ThrottledRequests"]) == 0);
  CHECK(duration(standard) > duration(ample) + 50);
  CHECK(duration(legacy) > duration(standard));
}

TEST_CASE("dynamodb: an outage answers 5xx, retried by the SDK, then the step fails", "[dynamodb]") {
  auto m = direct_model({{"$DURATION", "60s"}, {"$ARRIVALS", "{process: uniform, rate: 10/s}"}});
  add_table(m, provisioned(5, 100, 3), "writer", {table_step(Step::Kind::write, 1, 1024)});
  sluice::FaultSpec f;
  f.kind = sluice::FaultSpec::Kind::outage;
  f.target = "table";
  f.at_ns = 20e9;
  f.for_ns = 10e9;
  m.faults.push_back(f);
  auto r = run_checked(m);
  INFO(table(r).dump());
  // About 10 s x 10/s calls fail after 3 attempts; those near the window's end get through on a retry.
  CHECK(u64(table(r)["failed"]["dependency_failed"]) == Approx(100).margin(5));
  CHECK(u64(table(r)["metrics"]["SystemErrors"]) >= 3 * 95);
  CHECK(u64(table(r)["failed"]["throttled"]) == 0);
}

TEST_CASE("dynamodb: replayed SQS batches write their records again", "[dynamodb]") {
  const char* yaml = R"(
sluice: 1
name: dynamodb-duplicates
run: {duration: 120s, seed: 3}
sources:
  orders: {target: q, arrivals: {process: poisson, rate: 20/s}}
components:
  q: {type: sqs, latency: 2ms, visibility_timeout: 5s}
  worker:
    type: lambda
    timeout: 5s
    errors: $ERRORS
    steps: [{io: 5ms}]
    trigger: {source: q, batch_size: $BATCH, batching_window: 1s}
)";
  auto with = [&](const std::string& batch, const std::string& errors) {
    auto m = sluice::load_model_from_string(fill(yaml, {{"$BATCH", batch}, {"$ERRORS", errors}}), {}, "<test>",
                                            SLUICE_SOURCE_DIR);
    add_table(m, on_demand(), "worker", {table_step(Step::Kind::write, 1, 1024)});
    return run_checked(m);
  };
  auto batches = with("10", "50%");
  INFO(table(batches).dump());
  CHECK(u64(table(batches)["metrics"]["DuplicateWrites"]) > 100);
  // Each replayed record is a duplicate at the function as well (it completed once before).
  CHECK(u64(table(batches)["metrics"]["DuplicateWrites"]) <=
        u64(doc(batches)["components"]["worker"]["metrics"]["Duplicates"]) +
            u64(doc(batches)["components"]["worker"]["metrics"]["Errors"]));
  // One record per batch: the injected crash strikes after the record's write, so its retry
  // writes it again too — never more often than the function failed.
  auto single = with("1", "50%");
  CHECK(u64(table(single)["metrics"]["DuplicateWrites"]) > 100);
  CHECK(u64(table(single)["metrics"]["DuplicateWrites"]) <=
        u64(doc(single)["components"]["worker"]["metrics"]["Errors"]));
  auto clean = with("10", "0%");
  CHECK(u64(table(clean)["metrics"]["DuplicateWrites"]) == 0);
  // Same seed, same summary.
  auto again = with("10", "50%");
  CHECK(sluice::summary_to_json(batches) == sluice::summary_to_json(again));
}

TEST_CASE("dynamodb: a new on-demand table takes 4,000 WRU/s at once: a jump beyond throttles", "[dynamodb]") {
  auto at = [](const std::string& rate) {
    // 10 items of 1 KB per call: 10 WRU.
    auto m = direct_model(
        {{"$DURATION", "10s"}, {"$BUCKET", "1s"}, {"$ARRIVALS", "{process: uniform, rate: " + rate + "}"}});
    add_table(m, on_demand(), "writer", {table_step(Step::Kind::write, 10, 1024)});
    return run_checked(m);
  };
  auto warm = at("400/s");
  INFO(table(warm).dump());
  CHECK(table(warm)["mode"] == "on_demand");
  CHECK(u64(table(warm)["partitions"]) == 8);
  CHECK(u64(table(warm)["metrics"]["ThrottledRequests"]) == 0);
  CHECK(metric(warm, "ConsumedWriteCapacityUnits") == Approx(40000).epsilon(0.01));
  auto jump = at("1000/s");
  INFO(table(jump).dump());
  CHECK(u64(table(jump)["metrics"]["WriteThrottleEvents"]) > 0);
  // 4,000 WRU/s (and the first second's 4,000) accepted: 44,000 of 100,000.
  CHECK(metric(jump, "ConsumedWriteCapacityUnits") == Approx(44000).epsilon(0.02));
  CHECK(num(table(jump)["metrics"]["OnDemandWriteThroughputLimit"]["max"]) == 4000);
}

TEST_CASE("dynamodb: on-demand throughput follows twice the peak that settled 30 minutes ago", "[dynamodb]") {
  using sluice::kernel::SimTime;
  sluice::components::OnDemandThroughput t(4000);
  // 4,000 units/s through minute 0 (the most a new table takes).
  for (int s = 0; s < 60; ++s) t.consume(SimTime::seconds(s), 4000);
  CHECK(t.limit(SimTime::seconds(61)) == 4000);
  CHECK(t.limit(SimTime::seconds(60 * 30 + 59)) == 4000);  // minute 0 ended 29 min 59 s ago
  CHECK(t.limit(SimTime::seconds(60 * 31)) == 8000);       // 30 minutes after: the new previous peak
  CHECK(t.limit(SimTime::seconds(3600 * 24)) == 8000);     // a peak is kept
  // Capped at the table quota of 40,000 per second.
  sluice::components::OnDemandThroughput q(4000);
  for (int s = 0; s < 60; ++s) q.consume(SimTime::seconds(s), 30000);
  CHECK(q.limit(SimTime::seconds(3600)) == 40000);
}
