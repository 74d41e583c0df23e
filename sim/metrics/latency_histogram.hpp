#pragma once
// Latency and duration distributions in bounded memory: the bins of a Boost.Histogram log axis,
// 0.5% wide from 1 us to about 28 h, counted in a plain array over the bins used so far (4 B
// each: a function whose durations span 1 ms to 2 s holds about 1,500 bins, 6 KB; one constant
// duration, one). A percentile is interpolated within the bin that holds it, so it is within 0.5%
// of the exact sample percentile and moves with the data.
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include <boost/histogram.hpp>

#include "metrics/bin_range.hpp"
#include "metrics/log_bin_table.hpp"

namespace sluice::metrics {

struct LatencyStats {
  std::uint64_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
};

struct LatencyHistogramTestAccess;  // defined by the tests, to reach a cell's 32-bit carry

namespace detail {
// The axis' bins, looked up without log (latency_histogram.cpp builds it before main).
extern const LogBinTable latency_bins;
}  // namespace detail

class LatencyHistogram {
 public:
  LatencyHistogram() = default;

  // Inline and cheap: a request records one or two (its latency, its function's duration). The
  // sample waits in a buffer and is counted with the others when the buffer is full or the
  // histogram is read; counted in the order recorded, so counts, sum, min and max are those of
  // counting each at once. In a batch the bin lookups' cache misses overlap instead of stalling
  // the event that records (BENCHMARKS.md, 4c: 12% of an Erlang B run's time before).
  void record(double ms) {
    if (waiting_.size() == waiting_.capacity()) [[unlikely]]
      make_room();
    waiting_.push_back(ms);
  }
  LatencyStats stats() const;
  double percentile(double q) const;  // q in [0, 1]
  std::uint64_t count() const { return count_ + waiting_.size(); }
  // Adds another histogram's samples (the same bins): e.g. all sources' end-to-end latency.
  LatencyHistogram& operator+=(const LatencyHistogram& other);

  // The bin a value is counted in (-1: underflow; bins(): overflow), found without log; and the
  // bin Boost.Histogram's log axis gives it, which defines it (the two agree on every double:
  // tests/cpp/log_bin_table.test.cpp).
  static int bin_of(double ms);
  static int axis_bin_of(double ms);
  static int bins();

 private:
  friend struct LatencyHistogramTestAccess;
  using Axis = boost::histogram::axis::regular<double, boost::histogram::axis::transform::log>;
  static const Axis& axis();
  static constexpr std::size_t kWaiting = 256;  // samples waiting at most (2 KB, from the first sample)
  void make_room();                             // counts the samples waiting; room for kWaiting at the first
  void count_waiting() const;                   // counts the samples waiting, in order
  // Counts one sample. Values below the lowest bin (e.g. zero) land in the underflow bin and are
  // read back as 0. Cell 0 is the underflow bin, then the axis' bins, then the overflow bin.
  void count(double ms) const {
    const LogBinTable& table = detail::latency_bins;
    std::size_t cell;
    if (ms >= table.lower_edge() && ms < table.upper_edge()) [[likely]]
      cell = static_cast<std::size_t>(table.bin(ms) + 1);
    else cell = static_cast<std::size_t>(bin_of(ms) + 1);
    if (cells_.add(cell) == 0) [[unlikely]]
      ++high_[cell];               // a cell's 32-bit count wrapped: one more 2^32
    min_ = ms < min_ ? ms : min_;  // (from +infinity and -infinity: the first sample sets both)
    max_ = ms > max_ ? ms : max_;
    ++count_;
    sum_ += ms;
  }
  // Cells: the underflow bin (cell 0), the axis' bins, then the overflow bin, counted over the
  // cells used so far (none before the first sample: idle components cost nothing). 32 bits a
  // cell, so a sample in the range is a plain increment; a count that wraps carries into high_
  // (a cell's count above 2^32, kept only for such cells: exact to 2^64).
  std::uint64_t count_of(std::size_t cell) const {
    std::uint64_t low = cells_.counts[cell - cells_.lowest];
    if (high_.empty()) [[likely]]
      return low;
    auto it = high_.find(cell);
    return low + (it == high_.end() ? 0 : it->second << 32);
  }
  // The samples waiting, and what is counted, are brought up to date by the readers (const: the
  // samples are the histogram's already), hence mutable.
  mutable std::vector<double> waiting_;
  mutable BinRange cells_;
  mutable std::map<std::size_t, std::uint64_t> high_;  // by cell
  mutable std::uint64_t count_ = 0;
  mutable double sum_ = 0;
  mutable double min_ = std::numeric_limits<double>::infinity(),
                 max_ = -std::numeric_limits<double>::infinity();  // read only with count_ > 0
};

}  // namespace sluice::metrics
