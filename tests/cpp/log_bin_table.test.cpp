// Log-spaced bins found without log (metrics/log_bin_table.hpp) must be the bins the log gives,
// for every value: a value one ulp off an edge in another bin would move a percentile. Checked
// value by value against the definitions: Boost.Histogram's log axis (the summary's histograms)
// and the per-bucket percentile bins' floor(log(ms / 0.01) / log(1.1)).
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "catch.hpp"
#include "metrics/latency_histogram.hpp"
#include "metrics/time_series.hpp"

using sluice::metrics::LatencyHistogram;
using sluice::metrics::TimeSeriesRecorder;

namespace {
// Values of every magnitude from 1e-6 to 1e11 ms, log-uniform, from a fixed generator; each
// with its neighbours one and two ulps away.
std::vector<double> values_to_check() {
  std::vector<double> v{0.0,
                        -0.0,
                        -1.0,
                        -1e-300,
                        std::numeric_limits<double>::denorm_min(),
                        std::numeric_limits<double>::min(),
                        std::numeric_limits<double>::max(),
                        std::numeric_limits<double>::infinity(),
                        -std::numeric_limits<double>::infinity(),
                        std::numeric_limits<double>::quiet_NaN(),
                        1e-3,
                        1e8,
                        0.01,
                        1e-2 * std::pow(1.1, 241)};
  std::uint64_t state = 12345;
  for (int i = 0; i < 300000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    double u = static_cast<double>(state >> 11) / 9007199254740992.0;
    double x = std::pow(10.0, -6 + 17 * u);
    v.push_back(x);
    v.push_back(std::nextafter(x, 0.0));
    v.push_back(std::nextafter(x, 1e300));
  }
  return v;
}

// The doubles around every place the reference's bin changes: found by bisection between
// consecutive bins' approximate edges, then the last value of the lower bin and the first of
// the upper, each with two neighbours on either side.
template <class Reference>
std::vector<double> around_edges(Reference reference, double lowest, double ratio, int bins) {
  std::vector<double> v;
  for (int i = 0; i <= bins + 1; ++i) {
    double lo = lowest * std::pow(ratio, i - 1.01), hi = lowest * std::pow(ratio, i + 0.01);
    if (reference(lo) == reference(hi)) continue;
    for (int step = 0; step < 200; ++step) {
      double mid = std::sqrt(lo * hi);
      if (mid <= lo || mid >= hi) break;
      (reference(mid) == reference(lo) ? lo : hi) = mid;
    }
    // Pin the exact step between adjacent doubles.
    while (std::nextafter(lo, hi) != hi) {
      double next = std::nextafter(lo, hi);
      if (reference(next) == reference(lo)) lo = next;
      else hi = next;
    }
    double x = lo;
    for (int k = 0; k < 2; ++k) x = std::nextafter(x, 0.0);
    for (int k = 0; k < 6; ++k, x = std::nextafter(x, 1e300)) v.push_back(x);
  }
  return v;
}
}  // namespace

TEST_CASE("latency histogram bins without log are Boost's log-axis bins for every value", "[metrics][histogram]") {
  auto values = values_to_check();
  auto edges =
      around_edges([](double x) { return LatencyHistogram::axis_bin_of(x); }, 1e-3, 1.005, LatencyHistogram::bins());
  CHECK(edges.size() >= 6 * static_cast<std::size_t>(LatencyHistogram::bins()));  // every edge was found
  values.insert(values.end(), edges.begin(), edges.end());
  std::size_t differ = 0;
  for (double x : values) {
    if (LatencyHistogram::bin_of(x) != LatencyHistogram::axis_bin_of(x)) {
      if (++differ <= 5)
        FAIL_CHECK("value " << x << ": bin " << LatencyHistogram::bin_of(x) << ", the axis "
                            << LatencyHistogram::axis_bin_of(x));
    }
  }
  CHECK(differ == 0);
}

TEST_CASE("per-bucket percentile bins without log are the log formula's bins for every value",
          "[metrics][time_series]") {
  auto values = values_to_check();
  auto edges = around_edges([](double x) { return static_cast<int>(TimeSeriesRecorder::percentile_bin_reference(x)); },
                            0.01, 1.1, 241);
  CHECK(edges.size() >= 6 * 240);
  values.insert(values.end(), edges.begin(), edges.end());
  std::size_t differ = 0;
  for (double x : values) {
    if (std::isinf(x) || x > 1e300) continue;  // the reference casts log(inf) to an integer: undefined
    if (TimeSeriesRecorder::percentile_bin(x) != TimeSeriesRecorder::percentile_bin_reference(x)) {
      if (++differ <= 5)
        FAIL_CHECK("value " << x << ": bin " << TimeSeriesRecorder::percentile_bin(x) << ", the formula "
                            << TimeSeriesRecorder::percentile_bin_reference(x));
    }
  }
  CHECK(differ == 0);
}
