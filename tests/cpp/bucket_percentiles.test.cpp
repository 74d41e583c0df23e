// Per-bucket latency percentiles in the time series: within 5% of the exact order statistic.
#include <algorithm>
#include <cmath>
#include <vector>

#include "catch.hpp"
#include "kernel/random_stream.hpp"
#include "metrics/time_series.hpp"

using sluice::kernel::SimTime;

TEST_CASE("Per-bucket percentiles are within 5% of each bucket's exact percentiles", "[time_series][percentiles]") {
  sluice::metrics::TimeSeriesRecorder ts(SimTime::seconds(0), SimTime::seconds(3), SimTime::seconds(1));
  int id = ts.add_percentile_series("api", "Latency", {0.5, 0.99});
  ts.allocate();
  sluice::kernel::RandomStream rng(5, "test", "latency");
  std::vector<std::vector<double>> exact(3);
  for (int bucket = 0; bucket < 2; ++bucket) {  // the third bucket stays empty
    for (int i = 0; i < 20000; ++i) {
      double ms = (bucket + 1) * 10.0 * std::exp(0.8 * rng.standard_normal());
      exact[static_cast<std::size_t>(bucket)].push_back(ms);
      ts.add_percentile_sample(id, SimTime::from_ns_rounded((bucket + 0.5) * 1e9), ms);
    }
  }
  auto nearest_rank = [](std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1];
  };
  auto out = ts.finish();
  std::vector<double> p50, p99;
  for (std::size_t i = 0; i < out.rows(); ++i) {
    if (out.metrics[out.metric[i]] == "Latency_p50_ms") p50.push_back(out.value[i]);
    if (out.metrics[out.metric[i]] == "Latency_p99_ms") p99.push_back(out.value[i]);
  }
  REQUIRE(p50.size() == 3);
  REQUIRE(p99.size() == 3);
  for (std::size_t b = 0; b < 2; ++b) {
    CHECK(p50[b] == Approx(nearest_rank(exact[b], 0.5)).epsilon(0.05));
    CHECK(p99[b] == Approx(nearest_rank(exact[b], 0.99)).epsilon(0.05));
  }
  CHECK(p50[2] == 0);            // no samples
  CHECK(p99[1] > 1.8 * p99[0]);  // the second bucket's latencies are twice the first's
}
