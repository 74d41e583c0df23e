#pragma once
// Fixed-interval time series, preallocated for the whole run: one column per (component,
// metric) in an Eigen matrix of buckets x series, so recording is an index and an add, and
// memory is fixed by the run's length, never by its number of requests. The matrix is row-major:
// a bucket's values for every series are side by side, so the current bucket is a few cache
// lines and a sample in it is one add at a pointer kept to its row.
#include <algorithm>
#include <cassert>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <Eigen/Dense>

#include "kernel/sim_time.hpp"
#include "metrics/bin_range.hpp"
#include "metrics/log_bin_table.hpp"
#include "sluice/results.hpp"

namespace sluice::metrics {

// The series a model asks for would hold more than their budget: thrown by allocate(), before
// their memory is taken (the engine turns it into an error that suggests a coarser bucket).
class SeriesOverBudget : public std::length_error {
 public:
  SeriesOverBudget(double needed, double limit)
      : std::length_error("time series over their memory budget"), bytes(needed), budget(limit) {}
  double bytes, budget;
};

namespace detail {
// The per-bucket percentile bins, looked up without log (time_series.cpp builds it before main).
extern const LogBinTable percentile_bins;
}  // namespace detail

class TimeSeriesRecorder {
 public:
  // Buckets cover [start, end) in steps of `bucket`; earlier and later times are not recorded.
  // Series are added first, then allocate() takes their memory at once (nothing is recorded
  // before): above max_bytes it throws SeriesOverBudget instead.
  TimeSeriesRecorder(kernel::SimTime start, kernel::SimTime end, kernel::SimTime bucket, double max_bytes = 1e300);

  // How a series' buckets are read out: a sum per bucket, a time-weighted mean (a gauge), or
  // the largest value recorded in the bucket (record_max; e.g. IteratorAge's per-bucket maximum).
  enum class Kind { sum, time_mean, max };
  int add_series(const std::string& component, const std::string& metric, Kind kind);
  // A per-event mean (e.g. latency of the requests that finish in each bucket): the sum and the
  // count of samples are kept side by side (the count in the next column); only the mean is
  // reported.
  int add_mean_series(const std::string& component, const std::string& metric);
  void add_sample(int series, kernel::SimTime t, double v) {
    assert(series_[static_cast<std::size_t>(series)].denominator == series + 1 && "a series of add_mean_series");
    double* row = row_of(t);
    if (!row) return;
    row[series] += v;
    row[series + 1] += 1;
  }
  // A per-event mean: the series' bucket sums are divided by another series' bucket counts.
  void set_denominator(int series, int count_series) {
    series_[static_cast<std::size_t>(series)].denominator = count_series;
  }

  void add(int series, kernel::SimTime t, double v) {
    if (double* row = row_of(t)) row[series] += v;
  }
  // A Kind::max series: the bucket keeps the largest value seen (an empty bucket reads 0).
  void record_max(int series, kernel::SimTime t, double v) {
    if (double* row = row_of(t)) row[series] = std::max(row[series], v);
  }
  // Adds value x duration over [from, to) to the buckets it spans (a gauge holding `value`).
  // Most spans lie inside the current bucket: one multiply-add, inline.
  void add_area(int series, kernel::SimTime from, kernel::SimTime to, double value) {
    if (from.ns >= current_from_ns_ && to.ns <= current_to_ns_ && from < to) {
      current_row_[series] += value * static_cast<double>(to.ns - from.ns);
      return;
    }
    add_area_across(series, from, to, value);
  }
  // A gauge's span, by add_area; then the series' cell in the bucket `to` falls in, and that
  // bucket's [cell_from, cell_to), so the gauge can add its next spans there itself (null and an
  // empty range past the run).
  double* add_gauge_area(int series, kernel::SimTime from, kernel::SimTime to, double value, std::int64_t& cell_from,
                         std::int64_t& cell_to);

  static constexpr std::size_t kPercentileBins = 242;  // 0.01 ms to 1e8 ms in 10% steps
  // Per-bucket percentiles of a per-event quantity in ms (latency): a coarse log histogram per
  // bucket, bins 10% wide, so a reported percentile is within 5% of the true one (the summary's
  // histograms, 2% bins, stay the accurate figures). Reported as "<name>_p50_ms" and so on.
  int add_percentile_series(const std::string& component, const std::string& name, std::vector<double> quantiles);
  void add_percentile_sample(int id, kernel::SimTime t, double ms) {
    if (!to_bucket(t)) return;
    auto& bins = percentiles_[static_cast<std::size_t>(id)].buckets[static_cast<std::size_t>(current_bucket_)];
    bins.add(percentile_bin(ms));
  }

  // The bin of a per-bucket percentile sample: as percentile_bin_reference, found without log
  // (inline: one per request).
  static std::size_t percentile_bin(double ms) {
    const LogBinTable& table = detail::percentile_bins;
    if (ms >= table.lower_edge() && ms < table.upper_edge()) [[likely]]
      return static_cast<std::size_t>(table.bin(ms));
    return ms >= table.upper_edge() ? kPercentileBins - 1 : 0;  // NaN, like small values: bin 0
  }
  // floor(log(ms / 0.01) / log(1.1)), 0 at or below 0.01 ms, at most the last bin: the definition.
  static std::size_t percentile_bin_reference(double ms);
  // The bytes the per-bucket percentile counts hold now (they grow with the bins used).
  double percentile_bytes() const;

  void allocate();

  TimeSeries finish() const;  // long form, in (series, time) order
  std::size_t buckets() const { return static_cast<std::size_t>(rows_); }
  // The bytes the series hold (or will, before allocate()), for the engine's memory budget.
  double bytes() const;

 private:
  // The current bucket lies inside [start, end) (it is empty until the first sample): a time in
  // it needs neither the run's bounds checked nor a division.
  bool in_current_bucket(kernel::SimTime t) const { return t.ns >= current_from_ns_ && t.ns < current_to_ns_; }
  bool in_run(kernel::SimTime t) const { return t >= start_ && t < end_; }
  // The row of t's bucket, or null outside [start, end): the current bucket is kept, so the
  // samples of one bucket (time only moves forward) cost no division.
  double* row_of(kernel::SimTime t) {
    assert(values_.cols() == columns_ && "a series is recorded before allocate()");
    return to_bucket(t) ? current_row_ : nullptr;
  }
  // Makes t's bucket the current one; false outside [start, end).
  bool to_bucket(kernel::SimTime t) {
    if (in_current_bucket(t)) [[likely]]
      return true;
    if (!in_run(t)) return false;
    locate_bucket(t);
    return true;
  }
  // Makes t's bucket (t in [start, end)) the current one.
  Eigen::Index locate_bucket(kernel::SimTime t) {
    current_bucket_ = static_cast<Eigen::Index>((t.ns - start_.ns) / bucket_.ns);
    current_from_ns_ = start_.ns + static_cast<std::int64_t>(current_bucket_) * bucket_.ns;
    current_to_ns_ = std::min(current_from_ns_ + bucket_.ns, end_.ns);  // the last bucket ends with the run
    current_row_ = values_.row(current_bucket_).data();
    return current_bucket_;
  }
  void add_area_across(int series, kernel::SimTime from, kernel::SimTime to, double value);
  struct Series {
    std::uint32_t component, metric;
    Kind kind;
    int denominator = -1;
    bool hidden = false;  // a mean's count column: not reported
  };
  // One bucket's counts (a bucket's latencies span a few dozen of the 242 bins; empty buckets
  // hold nothing).
  using PercentileBins = BinRange;
  struct PercentileSeries {
    std::uint32_t component;
    std::vector<double> quantiles;
    std::vector<std::uint32_t> metrics;  // one per quantile
    std::vector<PercentileBins> buckets;
  };
  kernel::SimTime start_, end_, bucket_;
  double max_bytes_;
  Eigen::Index rows_ = 1, columns_ = 0;  // buckets, and series (columns) added so far
  Eigen::Index current_bucket_ = 0;      // the bucket of the last sample, its [from, to) and its row
  std::int64_t current_from_ns_ = 0, current_to_ns_ = 0;
  double* current_row_ = nullptr;
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> values_;  // buckets x series
  std::vector<PercentileSeries> percentiles_;
  std::vector<Series> series_;
  std::vector<std::string> components_, metrics_;
  std::unordered_map<std::string, std::uint32_t> component_ids_, metric_ids_;
};

// A gauge (concurrency, environments): its time-weighted mean and maximum after the warm-up,
// and its per-bucket mean in the time series.
class Gauge {
 public:
  Gauge() = default;
  Gauge(TimeSeriesRecorder* recorder, int series, kernel::SimTime measure_from)
      : recorder_(recorder), series_(series), from_(measure_from), last_(measure_from) {}

  void set(kernel::SimTime now, double value) {
    if (now > last_) {  // time has moved inside the window, so the old value was held there
      integrate(now);
      max_ = std::max(max_, value_);
    }
    // (Otherwise the old value is in the maximum already if it was set inside the window.)
    value_ = value;
    if (now >= from_) max_ = std::max(max_, value_);
  }
  void add(kernel::SimTime now, double delta) { set(now, value_ + delta); }
  double value() const { return value_; }
  // Closes the measurement at `end`: mean over [measure_from, end).
  void finish(kernel::SimTime end) {
    if (end > last_) integrate(end);
    if (end > from_) max_ = std::max(max_, value_);
    end_ = end;
  }
  double mean() const { return end_ > from_ ? area_ / static_cast<double>(end_.ns - from_.ns) : 0; }
  double max() const { return max_; }

 private:
  void integrate(kernel::SimTime now) {  // now > last_
    if (value_ != 0) {
      const double area = value_ * static_cast<double>(now.ns - last_.ns);
      area_ += area;
      // Most spans lie in the bucket of the previous one: added to its cell, kept here.
      if (last_.ns >= cell_from_ && now.ns <= cell_to_) *cell_ += area;
      else if (recorder_) cell_ = recorder_->add_gauge_area(series_, last_, now, value_, cell_from_, cell_to_);
    }
    last_ = now;
  }
  TimeSeriesRecorder* recorder_ = nullptr;
  double* cell_ = nullptr;                    // the series' cell in the bucket of the last span
  std::int64_t cell_from_ = 1, cell_to_ = 0;  // that bucket's [from, to); empty before the first
  int series_ = 0;
  kernel::SimTime from_, last_, end_;
  double value_ = 0, area_ = 0, max_ = 0;
};

}  // namespace sluice::metrics
