#include "metrics/time_series.hpp"

#include <algorithm>
#include <cmath>

#include "metrics/log_bin_table.hpp"

namespace sluice::metrics {
namespace {
// A name's index in `names`, added when new (the map keeps this constant-time for models of
// tens of thousands of components).
std::uint32_t intern(std::vector<std::string>& names, std::unordered_map<std::string, std::uint32_t>& ids,
                     const std::string& name) {
  auto [it, added] = ids.emplace(name, static_cast<std::uint32_t>(names.size()));
  if (added) names.push_back(name);
  return it->second;
}
}  // namespace

TimeSeriesRecorder::TimeSeriesRecorder(kernel::SimTime start, kernel::SimTime end, kernel::SimTime bucket,
                                       double max_bytes)
    : start_(start), end_(end), bucket_(bucket), max_bytes_(max_bytes) {
  auto n = (end.ns - start.ns + bucket.ns - 1) / bucket.ns;
  rows_ = static_cast<Eigen::Index>(std::max<std::int64_t>(n, 1));
}

double TimeSeriesRecorder::bytes() const {
  return static_cast<double>(rows_) *
         (static_cast<double>(columns_) * sizeof(double) +
          static_cast<double>(percentiles_.size() * kPercentileBins) * sizeof(std::uint32_t));
}

void TimeSeriesRecorder::allocate() {
  if (bytes() > max_bytes_) throw SeriesOverBudget(bytes(), max_bytes_);
  values_.setZero(rows_, columns_);
  for (auto& p : percentiles_) p.buckets.assign(buckets(), PercentileBins{});
}

int TimeSeriesRecorder::add_series(const std::string& component, const std::string& metric, Kind kind) {
  ++columns_;
  series_.push_back(
      Series{intern(components_, component_ids_, component), intern(metrics_, metric_ids_, metric), kind});
  return static_cast<int>(series_.size() - 1);
}

int TimeSeriesRecorder::add_mean_series(const std::string& component, const std::string& metric) {
  int mean = add_series(component, metric, Kind::sum);
  ++columns_;
  series_.push_back(Series{series_[static_cast<std::size_t>(mean)].component, 0, Kind::sum, -1, true});
  set_denominator(mean, static_cast<int>(series_.size() - 1));
  return mean;
}

namespace {
constexpr double kPercentileLowestMs = 0.01;
constexpr double kPercentileRatio = 1.1;
}  // namespace

std::size_t TimeSeriesRecorder::percentile_bin_reference(double ms) {
  if (!(ms > kPercentileLowestMs)) return 0;
  auto bin = static_cast<std::size_t>(std::log(ms / kPercentileLowestMs) / std::log(kPercentileRatio));
  return std::min(bin, kPercentileBins - 1);
}

// Bins 1 .. last-1 between their exact edges (log_bin_table.hpp); cells of 1/64 octave (1.1%) are
// narrower than a bin (10%). Built before main (no guard on the hot path).
const LogBinTable detail::percentile_bins(
    [](double x) { return static_cast<int>(TimeSeriesRecorder::percentile_bin_reference(x)); }, 1,
    static_cast<int>(TimeSeriesRecorder::kPercentileBins) - 1,
    [](int i) { return kPercentileLowestMs * std::pow(kPercentileRatio, i); }, 6);

double TimeSeriesRecorder::percentile_bytes() const {
  double bytes = 0;
  for (const auto& p : percentiles_)
    for (const auto& b : p.buckets)
      bytes += sizeof(PercentileBins) + static_cast<double>(b.counts.capacity()) * sizeof(std::uint32_t);
  return bytes;
}

int TimeSeriesRecorder::add_percentile_series(const std::string& component, const std::string& name,
                                              std::vector<double> quantiles) {
  PercentileSeries p;
  p.component = intern(components_, component_ids_, component);
  for (double q : quantiles)
    p.metrics.push_back(
        intern(metrics_, metric_ids_, name + "_p" + std::to_string(static_cast<int>(std::lround(q * 100))) + "_ms"));
  p.quantiles = std::move(quantiles);
  percentiles_.push_back(std::move(p));
  return static_cast<int>(percentiles_.size() - 1);
}

void TimeSeriesRecorder::add_area_across(int series, kernel::SimTime from, kernel::SimTime to, double value) {
  from = std::max(from, start_);
  to = std::min(to, end_);
  while (from < to) {
    double* row = row_of(from);
    kernel::SimTime bucket_end{current_to_ns_};
    kernel::SimTime until = std::min(to, bucket_end);
    row[series] += value * static_cast<double>(until.ns - from.ns);
    from = until;
  }
}

double* TimeSeriesRecorder::add_gauge_area(int series, kernel::SimTime from, kernel::SimTime to, double value,
                                           std::int64_t& cell_from, std::int64_t& cell_to) {
  add_area(series, from, to, value);  // value x (to - from): the area the gauge added to its own sum
  if (!to_bucket(to)) {
    cell_from = 1;
    cell_to = 0;
    return nullptr;
  }
  cell_from = current_from_ns_;
  cell_to = current_to_ns_;
  return current_row_ + series;
}

TimeSeries TimeSeriesRecorder::finish() const {
  TimeSeries ts;
  ts.components = components_;
  ts.metrics = metrics_;
  std::size_t shown = 0;
  for (const auto& s : series_) shown += s.hidden ? 0 : 1;
  auto rows = static_cast<std::size_t>(values_.rows()) * shown;
  ts.time_s.reserve(rows);
  ts.component.reserve(rows);
  ts.metric.reserve(rows);
  ts.value.reserve(rows);
  for (std::size_t s = 0; s < series_.size(); ++s) {
    if (series_[s].hidden) continue;
    for (Eigen::Index b = 0; b < values_.rows(); ++b) {
      std::int64_t bucket_start = start_.ns + static_cast<std::int64_t>(b) * bucket_.ns;
      std::int64_t width = std::min(bucket_.ns, end_.ns - bucket_start);
      double v = values_(b, static_cast<Eigen::Index>(s));
      if (series_[s].kind == Kind::time_mean) v /= static_cast<double>(width);
      if (int d = series_[s].denominator; d >= 0) {
        double n = values_(b, d);
        v = n > 0 ? v / n : 0;
      }
      ts.time_s.push_back(static_cast<double>(bucket_start) / 1e9);
      ts.component.push_back(series_[s].component);
      ts.metric.push_back(series_[s].metric);
      ts.value.push_back(v);
    }
  }
  // Percentiles by nearest rank within each bucket, read at the bin's geometric centre; an
  // empty bucket reads 0, like the per-event means.
  for (const auto& p : percentiles_) {
    for (std::size_t q = 0; q < p.quantiles.size(); ++q) {
      for (std::size_t b = 0; b < buckets(); ++b) {
        const PercentileBins& bins = p.buckets[b];
        std::uint64_t total = 0;
        for (std::uint32_t n : bins.counts) total += n;
        double value = 0;
        if (total > 0) {
          auto rank = std::max<std::uint64_t>(
              1, static_cast<std::uint64_t>(std::ceil(p.quantiles[q] * static_cast<double>(total) - 1e-7)));
          std::uint64_t seen = 0;
          for (std::size_t k = 0; k < bins.counts.size(); ++k) {
            seen += bins.counts[k];
            if (seen >= rank) {
              auto i = bins.lowest + k;
              value = kPercentileLowestMs * std::pow(kPercentileRatio, static_cast<double>(i) + 0.5);
              break;
            }
          }
        }
        ts.time_s.push_back(static_cast<double>(start_.ns + static_cast<std::int64_t>(b) * bucket_.ns) / 1e9);
        ts.component.push_back(p.component);
        ts.metric.push_back(p.metrics[q]);
        ts.value.push_back(value);
      }
    }
  }
  return ts;
}

}  // namespace sluice::metrics
