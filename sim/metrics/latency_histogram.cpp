#include "metrics/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace sluice::metrics {
namespace {
constexpr double kLowestMs = 1e-3;   // 1 us
constexpr double kHighestMs = 1e8;   // about 28 h
constexpr double kBinRatio = 1.005;  // any two values in one bin differ by less than 0.5%
unsigned bin_count() {
  return static_cast<unsigned>(std::ceil(std::log(kHighestMs / kLowestMs) / std::log(kBinRatio)));
}
}  // namespace

// The axis' bins, looked up without log (log_bin_table.hpp). Cells of 1/256 octave (0.27%) are
// narrower than a bin (0.5%), so a lookup steps past at most one edge.
// Built before main (no guard on the hot path).
const LogBinTable detail::latency_bins(
    [](double ms) { return LatencyHistogram::axis_bin_of(ms); }, 0, static_cast<int>(bin_count()),
    [](int i) { return kLowestMs * std::pow(kHighestMs / kLowestMs, static_cast<double>(i) / bin_count()); }, 8);

void LatencyHistogram::make_room() {
  if (waiting_.capacity() < kWaiting) waiting_.reserve(kWaiting);  // the first sample (or a copy's)
  else count_waiting();
}

void LatencyHistogram::count_waiting() const {
  for (double ms : waiting_) count(ms);
  waiting_.clear();
}

const LatencyHistogram::Axis& LatencyHistogram::axis() {
  static const Axis axis(bin_count(), kLowestMs, kHighestMs);
  return axis;
}

int LatencyHistogram::bins() { return static_cast<int>(bin_count()); }

int LatencyHistogram::axis_bin_of(double ms) { return axis().index(ms); }

int LatencyHistogram::bin_of(double ms) {
  const LogBinTable& table = detail::latency_bins;
  if (ms >= table.lower_edge() && ms < table.upper_edge()) [[likely]]
    return table.bin(ms);
  // As the axis: log(0) is -inf (underflow); a negative value's log, like NaN, is NaN (overflow).
  if (ms >= 0 && ms < table.lower_edge()) return -1;
  return static_cast<int>(bin_count());
}

double LatencyHistogram::percentile(double q) const {
  count_waiting();
  if (count_ == 0) return 0;
  // The rank of the q-quantile (nearest-rank definition), then the bin that holds it.
  // (q x n is computed in floating point: 0.14 x 10000 = 1400.0000000000002 must be rank 1400.)
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_) - 1e-7));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  const Axis& axis = LatencyHistogram::axis();
  for (std::size_t k = 0; k < cells_.counts.size(); ++k) {  // the cells held, in order (the others are empty)
    const std::uint64_t in_bin = count_of(cells_.lowest + k);
    if (seen + in_bin >= rank) {
      int i = static_cast<int>(cells_.lowest + k) - 1;  // the axis' index: -1 underflow, size() overflow
      if (i < 0) return std::max(0.0, min_);
      if (i >= axis.size()) return max_;
      // Within the bin, the k samples are taken as spread evenly in log space, the r-th at
      // fraction (r - 1/2) / k: a percentile then moves with the data instead of snapping to the
      // bin's centre (replications differ, so confidence intervals are honest), and it stays in
      // the bin that holds the exact sample, so it is within the bin's width (0.5%) of it.
      double fraction = (static_cast<double>(rank - seen) - 0.5) / static_cast<double>(in_bin);
      double lower = axis.value(i), upper = axis.value(i + 1);  // the bin's edges, as Boost gives them
      double value = lower * std::pow(upper / lower, fraction);
      return std::clamp(value, min_, max_);
    }
    seen += in_bin;
  }
  return max_;
}

LatencyStats LatencyHistogram::stats() const {
  count_waiting();
  LatencyStats s;
  s.count = count_;
  if (count_ == 0) return s;
  s.mean = sum_ / static_cast<double>(count_);
  s.p50 = percentile(0.50);
  s.p90 = percentile(0.90);
  s.p99 = percentile(0.99);
  s.p999 = percentile(0.999);
  s.max = max_;
  return s;
}

LatencyHistogram& LatencyHistogram::operator+=(const LatencyHistogram& other) {
  count_waiting();
  other.count_waiting();
  if (other.count_ == 0) return *this;
  const BinRange& theirs = other.cells_;
  cells_.cover(theirs.lowest, theirs.lowest + theirs.counts.size() - 1);
  for (std::size_t cell = theirs.lowest; cell < theirs.lowest + theirs.counts.size(); ++cell) {
    const std::uint64_t sum = count_of(cell) + other.count_of(cell);
    cells_.counts[cell - cells_.lowest] = static_cast<std::uint32_t>(sum);
    if (sum >> 32) high_[cell] = sum >> 32;
    else high_.erase(cell);
  }
  min_ = count_ ? std::min(min_, other.min_) : other.min_;
  max_ = count_ ? std::max(max_, other.max_) : other.max_;
  count_ += other.count_;
  sum_ += other.sum_;
  return *this;
}

}  // namespace sluice::metrics
