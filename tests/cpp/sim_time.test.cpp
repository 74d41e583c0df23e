// Simulated time cannot wrap around: durations are bounded where they enter, sums saturate.
#include <cmath>
#include <limits>
#include <vector>

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

// The rounding is written out (no library call on the hot path); it must round every double as
// std::llround does: halves away from zero, the values next to the halves, large and small.
TEST_CASE("durations round to the nanosecond exactly as std::llround rounds them", "[kernel][time]") {
  std::vector<double> values{0.0,
                             -0.0,
                             0.5,
                             -0.5,
                             1.5,
                             -1.5,
                             2.5,
                             -2.5,
                             0.49999999999999994,
                             -0.49999999999999994,
                             4503599627370495.5,
                             -4503599627370495.5,
                             4503599627370497.0,
                             9007199254740993.0,
                             9.99e17,
                             -9.99e17,
                             123456789.5,
                             1e-300};
  for (double half = 0.5; half < 1e15; half = half * 3 + 1) {
    values.push_back(half);
    values.push_back(std::nextafter(half, 0.0));
    values.push_back(std::nextafter(half, 1e300));
    values.push_back(-half);
    values.push_back(std::nextafter(-half, 0.0));
    values.push_back(std::nextafter(-half, -1e300));
  }
  std::uint64_t state = 42;  // a fixed sequence of doubles of every magnitude up to 1e17
  for (int i = 0; i < 200000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    double mantissa = static_cast<double>(state >> 11) / 9007199254740992.0;
    double v = std::ldexp(mantissa, static_cast<int>((state >> 3) % 57)) * ((state & 1) ? -1 : 1);
    values.push_back(v);
  }
  for (double v : values) {
    INFO(v);
    CHECK(SimTime::from_ns_rounded(v).ns == std::llround(v));
  }
}
