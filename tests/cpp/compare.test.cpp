// The design comparison: one seed for every design, rows read from the designs' summaries.
#include "catch.hpp"
#include "model_helpers.hpp"
#include "sluice/analysis.hpp"

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

TEST_CASE("A comparison row reads backlog, throttles, dead letters and duplicates from the summary", "[compare]") {
  sluice::Results r;
  r.summary = nlohmann::ordered_json::parse(R"({
    "model": "m",
    "end_to_end": {"requests": 1000, "completed": 990, "failed": {"expired": 4, "dead_lettered": 6, "timeout": 0},
                   "latency_ms": {"p50": 12.5, "p99": 80}},
    "components": {
      "q": {"type": "sqs", "metrics": {"ApproximateNumberOfMessagesVisible": {"mean": 3, "max": 40},
                                      "ApproximateAgeOfOldestMessage": {"max": 9}, "Throttled": 2},
            "failed": {"dead_lettered": 6}},
      "f": {"type": "lambda", "metrics": {"Throttles": 5, "Duplicates": 7, "AsyncEventsQueued": {"max": 55},
                                         "AsyncEventAge_ms": {"max": 12000}}},
      "k": {"type": "lambda", "metrics": {"Throttles": 1}, "trigger": {"IteratorAge_ms": {"max": 3000},
                                                                    "failed": {"dead_lettered": 2}}},
      "s": {"type": "kinesis", "metrics": {"RecordsBacklog": {"max": 70}, "WriteProvisionedThroughputExceeded": 11}}
    },
    "cost_usd": {"total": 0.5, "per_month": 120},
    "ledger": {"balanced": true}
  })");
  auto row = sluice::comparison_row(r);
  CHECK(row.design == "m");
  CHECK(row.requests == 1000);
  CHECK(row.p50_ms == 12.5);
  CHECK(row.peak_backlog == 70);
  CHECK(row.oldest_message_age_s == 12);
  CHECK(row.throttles == 2 + 5 + 1 + 11);
  CHECK(row.dead_lettered == 8);
  CHECK(row.duplicates == 7);
  CHECK(row.lost == std::map<std::string, std::uint64_t>{{"dead_lettered", 6}, {"expired", 4}});
  CHECK(row.cost_per_million_usd == Approx(500));
  CHECK(row.ledger_balanced);
}
