// TimeSeriesRecorder and Gauge: fixed-interval buckets, time-weighted gauge means, long-form output.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "catch.hpp"
#include "kernel/sim_time.hpp"
#include "metrics/time_series.hpp"

using sluice::TimeSeries;
using sluice::kernel::SimTime;
using sluice::metrics::Gauge;
using sluice::metrics::TimeSeriesRecorder;
using Kind = TimeSeriesRecorder::Kind;

namespace {
SimTime s(double seconds) { return SimTime::seconds(seconds); }
SimTime ns(std::int64_t v) { return SimTime::from_ns(v); }

// The value of series `series` (in add_series order) in bucket `bucket`, from the long form.
double value_at(const TimeSeries& ts, std::size_t buckets, int series, std::size_t bucket) {
  return ts.value[static_cast<std::size_t>(series) * buckets + bucket];
}
}  // namespace

TEST_CASE("counters land in the bucket that holds their time", "[time_series]") {
  TimeSeriesRecorder rec(s(10), s(70), s(20));  // buckets [10,30) [30,50) [50,70)
  REQUIRE(rec.buckets() == 3);
  int c = rec.add_series("fn", "Invocations", Kind::sum);
  rec.allocate();
  rec.add(c, s(10), 1);               // the first instant of bucket 0
  rec.add(c, ns(29'999'999'999), 2);  // the last nanosecond of bucket 0
  rec.add(c, s(30), 4);               // the first instant of bucket 1
  rec.add(c, s(55), 8);
  rec.add(c, ns(69'999'999'999), 16);  // the last nanosecond of the run
  TimeSeries ts = rec.finish();
  CHECK(value_at(ts, 3, c, 0) == 3);
  CHECK(value_at(ts, 3, c, 1) == 4);
  CHECK(value_at(ts, 3, c, 2) == 24);
}

TEST_CASE("values before the start or at or after the end are dropped", "[time_series]") {
  TimeSeriesRecorder rec(s(10), s(70), s(20));
  int c = rec.add_series("fn", "Invocations", Kind::sum);
  rec.allocate();
  rec.add(c, s(0), 100);
  rec.add(c, ns(9'999'999'999), 100);
  rec.add(c, s(70), 100);
  rec.add(c, s(1000), 100);
  rec.add(c, s(40), 1);
  TimeSeries ts = rec.finish();
  CHECK(value_at(ts, 3, c, 0) == 0);
  CHECK(value_at(ts, 3, c, 1) == 1);
  CHECK(value_at(ts, 3, c, 2) == 0);
}

TEST_CASE("long-form output has one row per bucket and series, with bucket start times", "[time_series]") {
  TimeSeriesRecorder rec(s(10), s(70), s(20));
  int a = rec.add_series("api", "Count", Kind::sum);
  int b = rec.add_series("fn", "Count", Kind::sum);
  int c = rec.add_series("fn", "ConcurrentExecutions", Kind::time_mean);
  rec.allocate();
  rec.add(b, s(45), 5);
  TimeSeries ts = rec.finish();
  REQUIRE(ts.rows() == 9);  // 3 buckets x 3 series
  CHECK(ts.component.size() == 9);
  CHECK(ts.metric.size() == 9);
  CHECK(ts.value.size() == 9);
  CHECK(ts.components == std::vector<std::string>{"api", "fn"});  // interned, in first-use order
  CHECK(ts.metrics == std::vector<std::string>{"Count", "ConcurrentExecutions"});
  const double starts[] = {10, 30, 50};
  const int series[] = {a, b, c};
  const std::uint32_t component[] = {0, 1, 1};
  const std::uint32_t metric[] = {0, 0, 1};
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t bucket = 0; bucket < 3; ++bucket) {
      std::size_t row = static_cast<std::size_t>(series[k]) * 3 + bucket;
      CHECK(ts.time_s[row] == Approx(starts[bucket]).margin(1e-9));
      CHECK(ts.component[row] == component[k]);
      CHECK(ts.metric[row] == metric[k]);
    }
  CHECK(value_at(ts, 3, b, 1) == 5);
  CHECK(value_at(ts, 3, a, 1) == 0);
}

TEST_CASE("a run that is not a whole number of buckets ends with a short bucket", "[time_series]") {
  TimeSeriesRecorder rec(s(0), s(50), s(20));  // [0,20) [20,40) [40,50)
  REQUIRE(rec.buckets() == 3);
  int g = rec.add_series("fn", "ConcurrentExecutions", Kind::time_mean);
  rec.allocate();
  rec.add_area(g, s(40), s(50), 3);  // holding 3 over the whole short bucket
  TimeSeries ts = rec.finish();
  CHECK(ts.time_s[2] == Approx(40));
  CHECK(value_at(ts, 3, g, 2) == Approx(3.0).epsilon(1e-12));  // divided by 10 s, not 20 s
}

TEST_CASE("add_area splits a span across the buckets it covers", "[time_series]") {
  TimeSeriesRecorder rec(s(0), s(40), s(10));
  int g = rec.add_series("fn", "ExecutionEnvironments", Kind::time_mean);
  int area = rec.add_series("fn", "Area", Kind::sum);
  rec.allocate();
  rec.add_area(g, s(5), s(35), 2);     // half of bucket 0, all of 1 and 2, half of 3
  rec.add_area(area, s(5), s(35), 2);  // the raw value x ns
  rec.add_area(g, s(-5), s(2), 10);    // clipped at the start: 2 s of 10
  rec.add_area(g, s(38), s(99), 10);   // clipped at the end: 2 s of 10
  TimeSeries ts = rec.finish();
  CHECK(value_at(ts, 4, g, 0) == Approx((2.0 * 5 + 10.0 * 2) / 10).epsilon(1e-12));
  CHECK(value_at(ts, 4, g, 1) == Approx(2.0).epsilon(1e-12));
  CHECK(value_at(ts, 4, g, 2) == Approx(2.0).epsilon(1e-12));
  CHECK(value_at(ts, 4, g, 3) == Approx((2.0 * 5 + 10.0 * 2) / 10).epsilon(1e-12));
  CHECK(value_at(ts, 4, area, 0) == Approx(2.0 * 5e9).epsilon(1e-12));
  CHECK(value_at(ts, 4, area, 3) == Approx(2.0 * 5e9).epsilon(1e-12));
}

TEST_CASE("a gauge's time-weighted mean and max over a known step function are exact", "[time_series]") {
  TimeSeriesRecorder rec(s(0), s(40), s(10));
  int g = rec.add_series("fn", "ConcurrentExecutions", Kind::time_mean);
  Gauge gauge(&rec, g, s(0));
  rec.allocate();
  gauge.set(s(0), 2);
  gauge.set(s(5), 4);
  gauge.add(s(25), -4);  // 0 from 25 s on
  gauge.add(s(32), 1);   // 1 from 32 s on
  gauge.finish(s(40));
  // Area: 2*5 + 4*20 + 0*7 + 1*8 = 98 over 40 s.
  CHECK(gauge.mean() == Approx(98.0 / 40).epsilon(1e-12));
  CHECK(gauge.max() == 4);
  CHECK(gauge.value() == 1);
  TimeSeries ts = rec.finish();
  CHECK(value_at(ts, 4, g, 0) == Approx((2.0 * 5 + 4.0 * 5) / 10).epsilon(1e-12));
  CHECK(value_at(ts, 4, g, 1) == Approx(4.0).epsilon(1e-12));
  CHECK(value_at(ts, 4, g, 2) == Approx(4.0 * 5 / 10).epsilon(1e-12));
  CHECK(value_at(ts, 4, g, 3) == Approx(1.0 * 8 / 10).epsilon(1e-12));
}

// The gauge adds a span inside the bucket of its previous span to that bucket's cell itself, and
// goes through the recorder otherwise: the bucket sums must be those of add_area over the same
// spans in the same order, to the bit, and the mean and maximum those of the step function.
TEST_CASE("a gauge's bucket areas are add_area's over its spans, to the bit", "[time_series]") {
  TimeSeriesRecorder rec(s(1), s(100), s(7));  // buckets from 1 s; the last one short
  int g = rec.add_series("fn", "ConcurrentExecutions", Kind::time_mean);
  int reference = rec.add_series("fn", "Reference", Kind::time_mean);
  Gauge gauge(&rec, g, s(3));  // measured from 3 s; spans before are not recorded
  rec.allocate();
  std::mt19937_64 rng(17);
  double value = 0, area = 0, max = 0;
  SimTime last = s(3), now = s(0);
  for (;;) {  // to 110 s, past the run's end: spans there are dropped
    // Steps of up to 3 s, some landing exactly on a bucket's edge or repeating a time.
    const auto r = rng() % 10;
    if (r == 0) now = SimTime::from_ns(((now.ns - s(1).ns) / s(7).ns + 1) * s(7).ns + s(1).ns);
    else if (r > 1) now = now + ns(static_cast<std::int64_t>(rng() % 3'000'000'000));
    if (now >= s(110)) break;
    if (now > last) {
      if (value != 0) {
        rec.add_area(reference, last, now, value);
        area += value * static_cast<double>(now.ns - last.ns);
      }
      max = std::max(max, value);
      last = now;
    }
    value = std::max(0.0, value + (rng() % 3 == 0 ? -1.0 : 1.0));
    gauge.set(now, value);
    if (now >= s(3)) max = std::max(max, value);
  }
  gauge.finish(s(110));
  rec.add_area(reference, last, s(110), value);
  area += value * static_cast<double>(s(110).ns - last.ns);
  TimeSeries ts = rec.finish();
  const std::size_t buckets = rec.buckets();
  for (std::size_t b = 0; b < buckets; ++b) CHECK(value_at(ts, buckets, g, b) == value_at(ts, buckets, reference, b));
  CHECK(gauge.mean() == area / static_cast<double>(s(110).ns - s(3).ns));
  CHECK(gauge.max() == max);
}

TEST_CASE("a gauge measures only after its warm-up", "[time_series]") {
  TimeSeriesRecorder rec(s(10), s(30), s(10));
  int g = rec.add_series("fn", "ConcurrentExecutions", Kind::time_mean);
  Gauge gauge(&rec, g, s(10));
  rec.allocate();
  gauge.set(s(2), 9);  // before the warm-up: neither mean nor max ...
  gauge.set(s(4), 1);  // ... counts the 9
  gauge.set(s(20), 3);
  gauge.finish(s(30));
  // Over [10, 30): 1 for 10 s, 3 for 10 s.
  CHECK(gauge.mean() == Approx(2.0).epsilon(1e-12));
  CHECK(gauge.max() == 3);
  TimeSeries ts = rec.finish();
  CHECK(value_at(ts, 2, g, 0) == Approx(1.0).epsilon(1e-12));
  CHECK(value_at(ts, 2, g, 1) == Approx(3.0).epsilon(1e-12));
}

TEST_CASE("a gauge's max includes a level set before the warm-up and still held after it", "[time_series]") {
  // Provisioned environments are created at t = 0 and may never change: with a warm-up, the
  // ExecutionEnvironments gauge holds that level over the whole measured window, so it is the max.
  Gauge gauge(nullptr, 0, s(10));
  gauge.set(s(0), 5);
  gauge.finish(s(30));
  CHECK(gauge.mean() == Approx(5.0).epsilon(1e-12));
  CHECK(gauge.max() == 5);
  Gauge lower(nullptr, 0, s(10));
  lower.set(s(0), 5);
  lower.set(s(20), 1);  // 5 over [10, 20), then 1
  lower.finish(s(30));
  CHECK(lower.mean() == Approx(3.0).epsilon(1e-12));
  CHECK(lower.max() == 5);
}

TEST_CASE("set_denominator turns bucket sums into per-event means", "[time_series]") {
  TimeSeriesRecorder rec(s(0), s(20), s(10));
  int count = rec.add_series("fn", "Invocations", Kind::sum);
  int duration = rec.add_series("fn", "Duration_mean_ms", Kind::sum);
  rec.set_denominator(duration, count);
  rec.allocate();
  rec.add(count, s(1), 1);
  rec.add(duration, s(1), 10);
  rec.add(count, s(2), 1);
  rec.add(duration, s(2), 30);
  rec.add(count, s(3), 1);
  rec.add(duration, s(3), 50);
  TimeSeries ts = rec.finish();
  CHECK(value_at(ts, 2, count, 0) == 3);
  CHECK(value_at(ts, 2, duration, 0) == Approx(30.0).epsilon(1e-12));
  CHECK(value_at(ts, 2, duration, 1) == 0);  // no events: 0, not NaN
  CHECK(value_at(ts, 2, count, 1) == 0);
}

TEST_CASE("a mean series reports the mean of the samples in each bucket and hides its count", "[time_series]") {
  TimeSeriesRecorder rec(s(0), s(30), s(10));
  int count = rec.add_series("fn", "Invocations", Kind::sum);
  int latency = rec.add_mean_series("fn", "Latency_mean_ms");
  rec.allocate();
  rec.add(count, s(1), 1);
  rec.add_sample(latency, s(1), 10);
  rec.add_sample(latency, s(2), 20);
  rec.add_sample(latency, s(25), 7);
  rec.add_sample(latency, s(30), 1000);  // at the end: dropped
  TimeSeries ts = rec.finish();
  REQUIRE(ts.rows() == 6);  // 3 buckets x 2 reported series; the count column is not a row
  std::vector<double> means;
  for (std::size_t i = 0; i < ts.rows(); ++i)
    if (ts.metrics[ts.metric[i]] == "Latency_mean_ms") means.push_back(ts.value[i]);
  REQUIRE(means.size() == 3);
  CHECK(means[0] == Approx(15.0).epsilon(1e-12));  // two samples, not divided by the 1 invocation
  CHECK(means[1] == 0);
  CHECK(means[2] == Approx(7.0).epsilon(1e-12));
  std::size_t invocation_rows = 0;
  for (std::size_t i = 0; i < ts.rows(); ++i) invocation_rows += ts.metrics[ts.metric[i]] == "Invocations" ? 1 : 0;
  CHECK(invocation_rows == 3);
}

// Per-bucket percentile counts hold only the bins a bucket uses (issue 12): an empty bucket costs
// its header, a bucket whose latencies lie within a factor of 4 about 15 bins of 4 bytes, not
// the 242 bins (968 bytes) of the whole axis. The percentiles read back are those of the samples.
TEST_CASE("per-bucket percentile counts are sized by the bins each bucket uses", "[time_series]") {
  TimeSeriesRecorder rec(s(0), s(30), s(10));  // three buckets; samples in the first and the last
  int p = rec.add_percentile_series("src", "Latency", {0.5, 0.99});
  rec.allocate();
  const double header = rec.percentile_bytes() / 3;  // nothing counted yet: headers only
  CHECK(header <= 32);
  for (int i = 0; i < 1000; ++i) rec.add_percentile_sample(p, s(1), 50 + 150 * (i / 999.0));  // 50-200 ms
  rec.add_percentile_sample(p, s(25), 7);
  rec.add_percentile_sample(p, s(26), 7000);  // bins 1 ms apart widen the range below and above
  rec.add_percentile_sample(p, s(27), 0.5);
  const double used = rec.percentile_bytes() - 3 * header;
  // 50-200 ms: bins floor(log(ms/0.01)/log(1.1)) 89..103 = 15 bins; 0.5-7000 ms: 41..141 = 101.
  CHECK(used >= (15 + 101) * 4);
  CHECK(used <= 2 * (15 + 101) * 4);                  // the vectors' spare capacity at most doubles it
  CHECK(rec.percentile_bytes() < 3 * 242 * 4 / 3.0);  // under a third of the dense 242 bins per bucket
  auto ts = rec.finish();
  // Percentiles: rows after the (no) plain series, p50 then p99, bucket by bucket.
  REQUIRE(ts.value.size() == 6);
  CHECK(ts.value[0] == Approx(0.01 * std::pow(1.1, 98.5)));   // the median, 124.9 ms, bin 98
  CHECK(ts.value[1] == 0);                                    // an empty bucket reads 0
  CHECK(ts.value[2] == Approx(0.01 * std::pow(1.1, 68.5)));   // 7 ms (rank 2 of 3), bin 68
  CHECK(ts.value[3] == Approx(0.01 * std::pow(1.1, 103.5)));  // p99: rank 990, 198.6 ms, bin 103
}
