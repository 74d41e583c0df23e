// The design comparison: one seed for every design, rows read from the designs' summaries.
#include <filesystem>

#include "catch.hpp"
#include "model_helpers.hpp"
#include "sluice/analysis.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

namespace {
std::vector<sluice::ModelSpec> compare_designs() {
  std::vector<sluice::ModelSpec> designs;
  for (const char* name : {"sns-lambda", "sqs-lambda", "kinesis-lambda", "sns-sqs-lambda"})
    designs.push_back(sluice::load_model(std::string(SLUICE_SOURCE_DIR) + "/models/compare/" + name + ".yaml",
                                         {{"run.warmup", "1m"}}));
  return designs;
}
}  // namespace

TEST_CASE("Every design of a comparison sees the same workload", "[compare]") {
  sluice::RunOptions o;
  o.duration_ns = 5 * 60e9;
  auto rows = sluice::compare(compare_designs(), o);
  REQUIRE(rows.size() == 4);
  for (const auto& r : rows) {
    CHECK(r.requests == rows[0].requests);  // the same seed: the same arrivals
    CHECK(r.ledger_balanced);
    CHECK(r.cost_per_month_usd > 0);
    CHECK(r.p50_ms > 0);
    CHECK(r.p99_ms >= r.p50_ms);
  }
  CHECK(rows[0].design == "sns-lambda");
  // The same comparison again: identical rows (determinism).
  auto again = sluice::compare(compare_designs(), o);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(again[i].p99_ms == rows[i].p99_ms);
    CHECK(again[i].cost_per_month_usd == rows[i].cost_per_month_usd);
  }
}

namespace {
sluice::Results run_file(const std::string& relative, double minutes, std::vector<sluice::Override> overrides = {}) {
  overrides.push_back({"run.warmup", "1m"});
  sluice::ModelSpec m = sluice::load_model(std::string(SLUICE_SOURCE_DIR) + "/" + relative, overrides);
  sluice::RunOptions o;
  o.duration_ns = minutes * 60e9;
  return sluice::run(m, o);
}
}  // namespace

// A row is read from real summaries of every component type (no hand-written summary: the
// reader and the engine cannot drift apart); a metric the reader needs and a summary lacks throws.
TEST_CASE("A comparison row reads every metric it needs from real summaries of every service", "[compare]") {
  for (const char* model : {"tests/data/good/messaging-everything.yaml", "tests/data/good/model-md-example.yaml",
                            "models/dynamodb/undersized.yaml", "models/default.yaml"}) {
    INFO(model);
    auto results = run_file(model, 3);
    sluice::DesignComparison row;
    REQUIRE_NOTHROW(row = sluice::comparison_row(results));
    const auto e2e = doc(results)["end_to_end"];
    CHECK(row.requests == e2e["requests"].get<std::uint64_t>());
    CHECK(row.completed == e2e["completed"].get<std::uint64_t>());
    std::uint64_t lost = 0;
    for (const auto& [reason, n] : row.lost) lost += n;
    CHECK(row.in_flight == row.requests - row.completed - lost);
  }
}

// Fails while compare reads SQS's throttles from "Throttled": the SQS summary writes
// SendMessageThrottled, so a FIFO queue refusing sends above 300/s showed 0 throttles.
TEST_CASE("compare counts the sends an SQS queue throttled", "[compare]") {
  auto results = sluice::test::run_yaml(R"(
sluice: 1
name: fifo-over-quota
run: {duration: 2m, warmup: 10s, seed: 3}
sources:
  orders: {target: producer, arrivals: {process: poisson, rate: 500/s}}
components:
  producer:
    type: lambda
    memory: 512MB
    steps: [{send: orders-fifo}]
  orders-fifo: {type: sqs, fifo: true}
)");
  const auto queue = doc(results)["components"]["orders-fifo"]["metrics"];
  auto throttled = queue["SendMessageThrottled"].get<std::uint64_t>();
  REQUIRE(throttled > 1000);  // ~200/s above the 300/s FIFO quota for 110 s
  auto row = sluice::comparison_row(results);
  CHECK(row.throttles ==
        throttled + doc(results)["components"]["producer"]["metrics"]["Throttles"].get<std::uint64_t>());
}

TEST_CASE("The falling-behind rule: growth beyond Poisson noise and above 1% of the window's arrivals", "[compare]") {
  CHECK_FALSE(sluice::falling_behind(0, 10'000, 500));
  CHECK_FALSE(sluice::falling_behind(-300, 10'000, 500));
  // 60 more in flight than 440 before: 3 sqrt(500 + 440) = 92 allows it.
  CHECK_FALSE(sluice::falling_behind(60, 10'000, 500));
  CHECK(sluice::falling_behind(200, 10'000, 500));
  // Beyond noise, but less than 1% of the arrivals: a slow drift the run cannot tell from a level.
  CHECK_FALSE(sluice::falling_behind(200, 100'000, 200));
}

// The issue's case: a Kinesis design at 1,500 orders/s completed a fifth of its orders and showed
// "lost -" and the lowest bill. It must read as falling behind, with its in-flight count; the same
// design at its own 100/s keeps up.
TEST_CASE("A Kinesis design that cannot keep up at 1,500 orders/s is flagged as falling behind", "[compare]") {
  auto overloaded = sluice::comparison_row(
      run_file("models/compare/kinesis-lambda.yaml", 15, {{"sources.orders.arrivals.rate", "1500/s"}}));
  INFO("requests " << overloaded.requests << ", completed " << overloaded.completed << ", in flight "
                   << overloaded.in_flight << ", growth " << overloaded.in_flight_growth);
  CHECK(overloaded.falling_behind);
  CHECK(overloaded.in_flight > overloaded.requests / 4);
  CHECK(overloaded.completed + overloaded.in_flight <= overloaded.requests);
  // Its stream also refuses a third of the writes (2 shards take 1 MB/s each: 1,000 orders of 2 KB
  // per second), which the producer's retries cannot absorb: those orders fail as throttled.
  CHECK(overloaded.lost.count("throttled") == 1);

  sluice::RunOptions o;
  o.duration_ns = 15 * 60e9;
  for (const auto& row : sluice::compare(compare_designs(), o)) {
    INFO(row.design << ": in flight " << row.in_flight << ", growth " << row.in_flight_growth);
    CHECK_FALSE(row.falling_behind);
    CHECK(row.in_flight < 200);
  }
}

TEST_CASE("Per-design overrides go to the design they name: shared ones to every design", "[compare]") {
  std::vector<sluice::DesignIdentity> designs{{"sqs-lambda", "models/compare/sqs-lambda.yaml"},
                                              {"kinesis-lambda", "models/compare/kinesis-lambda.yaml"}};
  auto routed = sluice::overrides_per_design(
      designs, {{"run.warmup", "1m"}, {"kinesis-lambda:components.orders-in.shards", "10"}});
  REQUIRE(routed.size() == 2);
  CHECK(routed[0].size() == 1);
  REQUIRE(routed[1].size() == 2);
  CHECK(routed[1][1].key_path == "components.orders-in.shards");
  CHECK(routed[1][1].value == "10");
  // By file name as well as by model name.
  designs[1].name = "renamed";
  CHECK(sluice::overrides_per_design(designs, {{"kinesis-lambda:run.seed", "1"}})[1].size() == 1);
  try {
    sluice::overrides_per_design(designs, {{"kinesis-lamda:run.seed", "1"}});
    FAIL("an unknown design must be refused");
  } catch (const sluice::ModelError& e) {
    CHECK_THAT(e.what(), Catch::Contains("no design is named 'kinesis-lamda'"));
    CHECK_THAT(e.what(), Catch::Contains("did you mean"));
  }
}

TEST_CASE("A comparison's errors name the design's file", "[compare]") {
  auto designs = compare_designs();
  designs[2].run.warmup_ns = 20 * 60e9;
  sluice::RunOptions o;
  o.duration_ns = 10 * 60e9;
  try {
    sluice::compare(designs, o);
    FAIL("a warm-up longer than --duration must be refused");
  } catch (const sluice::ModelError& e) {
    CHECK_THAT(e.what(), Catch::Contains("kinesis-lambda.yaml"));
    CHECK_THAT(e.what(), Catch::Contains("--set kinesis-lambda:run.warmup="));
  }
}

TEST_CASE("Designs see the same workload only when their sources' arrivals agree", "[compare]") {
  auto designs = compare_designs();
  CHECK(sluice::same_workload(designs));
  designs[1] = sluice::load_model(std::string(SLUICE_SOURCE_DIR) + "/models/compare/sqs-lambda.yaml",
                                  {{"sources.orders.arrivals.rate", "200/s"}});
  CHECK_FALSE(sluice::same_workload(designs));
}
