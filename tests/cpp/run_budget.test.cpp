// A runaway run stops with a clear message instead of exhausting memory.
#include "catch.hpp"
#include "model_helpers.hpp"
#include "sluice/errors.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

using sluice::test::run_yaml;

TEST_CASE("A run stops when it exceeds its event budget", "[budget]") {
  const std::string model = R"(
sluice: 1
run: {duration: 1h, budget: {events: 100000}}
sources:
  clients: {target: f, arrivals: {rate: 1000/s}}
components:
  f: {type: lambda, memory: 1024MB, steps: [{io: 5ms}]}
)";
  try {
    run_yaml(model);
    FAIL("the run should have been stopped");
  } catch (const sluice::RunAborted& e) {
    std::string what = e.what();
    CHECK(what.find("run.budget.events") != std::string::npos);
    CHECK(what.find("more than 100000 events") != std::string::npos);
  }
}

TEST_CASE("A run stops when too many requests are in flight", "[budget]") {
  // 2,000 requests per second that each take 10 s keep about 20,000 in flight: above the budget.
  const std::string model = R"(
sluice: 1
run: {duration: 1h, budget: {in_flight: 5000}}
account: {concurrency_limit: 100000, scaling: {environments: 100000, per: 1s}}
sources:
  clients: {target: f, arrivals: {rate: 2000/s}}
components:
  f: {type: lambda, memory: 1024MB, timeout: 60s, steps: [{io: 10s}]}
)";
  CHECK_THROWS_AS(run_yaml(model), sluice::RunAborted);
  try {
    run_yaml(model);
  } catch (const sluice::RunAborted& e) {
    CHECK(std::string(e.what()).find("requests in flight exceed the budget of 5000") != std::string::npos);
  }
}

TEST_CASE("A run within its budget is not stopped", "[budget]") {
  const std::string model = R"(
sluice: 1
run: {duration: 60s, budget: {events: 1000000, in_flight: 1000}}
sources:
  clients: {target: f, arrivals: {rate: 100/s}}
components:
  f: {type: lambda, memory: 1024MB, steps: [{io: 5ms}]}
)";
  CHECK(doc(run_yaml(model))["ledger"]["balanced"].get<bool>());
}

// Fails before the memory budget: a year in one-minute buckets for 20 sources took 12 GB of time
// series (std::bad_alloc on smaller machines) before the first event.
TEST_CASE("Time series over the memory budget are refused before they are allocated, with a bucket that fits",
          "[budget][memory]") {
  std::string model = "sluice: 1\nrun: {duration: 365d, bucket: 1m}\nsources:\n";
  for (int i = 0; i < 20; ++i) model += "  s" + std::to_string(i) + ": {target: f, arrivals: {rate: 0.001/s}}\n";
  model += "components:\n  f: {type: lambda, memory: 128MB, steps: [{io: 10ms}]}\n";
  try {
    run_yaml(model);
    FAIL("the run should have been refused");
  } catch (const sluice::ModelError& e) {
    std::string what = e.what();
    INFO(what);
    CHECK(what.find("run.bucket: the time series would need more than") != std::string::npos);
    CHECK(what.find("raise run.bucket to 5m (--set run.bucket=5m)") != std::string::npos);
  }
  // The suggested bucket fits.
  auto r = run_yaml(model, 1, {{"run.bucket", "5m"}, {"run.duration", "30d"}});
  CHECK(doc(r)["ledger"]["balanced"].get<bool>());
}

TEST_CASE("A run stops when the engine holds more memory than run.budget.memory", "[budget][memory]") {
  // 2,000 messages a second into a queue nothing reads: at 128 B each, 16 MB is passed in about a minute.
  const std::string model = R"(
sluice: 1
run: {duration: 1h, bucket: 1h, budget: {memory: 16MB, in_flight: 100000000}}
sources:
  clients: {target: backlog, arrivals: {rate: 2000/s}}
components:
  backlog: {type: sqs, retention: 14d}
)";
  try {
    run_yaml(model);
    FAIL("the run should have been stopped");
  } catch (const sluice::RunAborted& e) {
    std::string what = e.what();
    INFO(what);
    CHECK(what.find("above the memory budget of 16MB (run.budget.memory)") != std::string::npos);
  }
}
