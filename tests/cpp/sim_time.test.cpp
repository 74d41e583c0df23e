// Simulated time cannot wrap around: durations are bounded where they enter, sums saturate.
#include <cmath>
#include <limits>

#include "catch.hpp"
#include "kernel/sim_time.hpp"
#include "model_helpers.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

using sluice::kernel::SimTime;

TEST_CASE("durations beyond the bound are cut to it, and sums saturate instead of wrapping", "[kernel][time]") {
  const auto bound = SimTime::kMaxDurationNs;
  CHECK(SimTime::from_ns_rounded(1.5).ns == 2);
  CHECK(SimTime::from_ns_rounded(1e19).ns == bound);  // io: 1e10s
  CHECK(SimTime::from_ns_rounded(1e300).ns == bound);
  CHECK(SimTime::from_ns_rounded(std::numeric_limits<double>::infinity()).ns == bound);
  CHECK(SimTime::from_ns_rounded(std::numeric_limits<double>::quiet_NaN()).ns == bound);
  CHECK(SimTime::from_ns_rounded(-1e19).ns == -bound);
  SimTime late = SimTime::from_ns(366LL * 86'400 * 1'000'000'000);  // the longest run's end
  SimTime sum = late;
  for (int i = 0; i < 20; ++i) sum += SimTime::from_ns_rounded(1e19);
  CHECK(sum == SimTime::max());
  CHECK(SimTime::max() + SimTime::from_ns(1) == SimTime::max());
  CHECK((late + SimTime::from_ns_rounded(1e19)).ns == late.ns + bound);
}

// Fails while a draw beyond int64 nanoseconds wraps around: a constant io: 1e10s (which the loader
// now refuses) made the run "succeed" with latencies of -9.2e12 ms and a negative bill; the tail
// of a lognormal with a p99 of 300 days reaches 1e24 ns and more.
TEST_CASE("draws far longer than any run time the function out, and no latency or cost is negative", "[kernel][time]") {
  auto r = sluice::test::run_yaml(R"(
sluice: 1
name: endless-io
run: {duration: 2m, warmup: 10s, seed: 1}
sources:
  clients: {target: f, arrivals: {process: poisson, rate: 5/s}}
components:
  f: {type: lambda, memory: 512MB, timeout: 3s, steps: [{io: {distribution: lognormal, median: 1s, p99: 300d}}]}
)");
  const auto f = doc(r)["components"]["f"];
  CHECK(f["failed"]["timeout"].get<std::uint64_t>() > 200);
  CHECK(f["metrics"]["Duration_ms"]["max"].get<double>() == Approx(3000).margin(1));
  CHECK(f["metrics"]["Duration_ms"]["p50"].get<double>() >= 0);
  CHECK(doc(r)["cost_usd"]["total"].get<double>() > 0);
  CHECK(doc(r)["ledger"]["balanced"].get<bool>());
}
