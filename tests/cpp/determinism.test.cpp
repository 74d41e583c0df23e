// Same model, seed and options -> byte-identical results; arrivals depend only on the seed and
// the source's name (common random numbers across variants of a design).
#include "catch.hpp"
#include "model_helpers.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

namespace {
sluice::Results run_default(std::uint64_t seed, std::vector<sluice::Override> overrides = {}) {
  sluice::ModelSpec m = sluice::load_model(std::string(SLUICE_SOURCE_DIR) + "/models/default.yaml", overrides);
  sluice::RunOptions o;
  o.seed = seed;
  o.duration_ns = 600e9;
  return sluice::run(m, o);
}
}  // namespace

TEST_CASE("The same model and seed give byte-identical summary.json and timeseries.csv", "[determinism]") {
  auto a = run_default(7), b = run_default(7);
  CHECK(sluice::summary_to_json(a) == sluice::summary_to_json(b));
  CHECK(sluice::timeseries_to_csv(a) == sluice::timeseries_to_csv(b));
}

TEST_CASE("Different seeds give different runs", "[determinism]") {
  auto a = run_default(7), b = run_default(8);
  CHECK(sluice::summary_to_json(a) != sluice::summary_to_json(b));
}

TEST_CASE("A design change leaves the workload unchanged (common random numbers)", "[determinism][crn]") {
  auto small = run_default(7), large = run_default(7, {{"components.checkout.memory", "2048MB"}});
  CHECK(doc(small)["sources"]["shoppers"]["requests"] == doc(large)["sources"]["shoppers"]["requests"]);
  CHECK(doc(small)["ledger"]["created"] == doc(large)["ledger"]["created"]);
  // ... while the design's own results move: more memory, more CPU, shorter durations.
  CHECK(doc(large)["components"]["checkout"]["metrics"]["Duration_ms"]["p50"].get<double>() <
        doc(small)["components"]["checkout"]["metrics"]["Duration_ms"]["p50"].get<double>());
}

// A function whose local steps are all exponential draws log(u) one step ahead (run_steps); with a
// constant step among them it draws in place (kernel::sample). A constant step draws nothing and
// `io: 0ms` adds nothing, so the two models must give the same results to the byte.
TEST_CASE("A function's step draws taken one step ahead give the results of draws taken in place", "[determinism]") {
  const std::string model = R"(
sluice: 1
name: ahead
run: {duration: 10m, seed: 3}
sources:
  c: {target: f, arrivals: {process: poisson, rate: 50/s}}
components:
  f:
    type: lambda
    memory: 512MB
    steps: [{cpu: {distribution: exponential, mean: 40ms}}, {invoke: g}, {io: {distribution: exponential, mean: 30ms}}STEP]
  g: {type: lambda, steps: [{io: {distribution: exponential, mean: 5ms}}]}
)";
  auto with = [&](const std::string& step) {
    std::string yaml = model;
    yaml.replace(yaml.find("STEP"), 4, step);
    return sluice::test::run_yaml(yaml);
  };
  auto ahead = with(""), in_place = with(", {io: 0ms}");
  CHECK(doc(ahead)["components"]["f"]["metrics"]["Invocations"].get<double>() > 25'000);
  CHECK(sluice::summary_to_json(ahead) == sluice::summary_to_json(in_place));
  CHECK(sluice::timeseries_to_csv(ahead) == sluice::timeseries_to_csv(in_place));
}
