#pragma once
// The bin of a value on a logarithmic axis without calling log: the bin edges are found once, as
// the exact doubles where a reference function (the axis as it was defined, with its log) steps
// up, and a value's bin is then looked up from the top bits of its double (exponent and the
// first mantissa bits: a cell narrower than a bin) and at most a step or two along the edges.
// The answer is the reference's for every double, edges included, because the edges are the
// reference's own (tests/cpp/log_bin_table.test.cpp checks it value by value). The step past an
// edge is taken without a branch: whether a value is above or below its cell's edge is random.
#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace sluice::metrics {

class LogBinTable {
 public:
  // reference(x): a bin index, non-decreasing in x for positive x; bins first..last-1 are the
  // ones between the edges; below edge(first) the reference gives < first, from edge(last) on
  // >= last (the caller handles both ends). guess(i): a value near the lower edge of bin i.
  // mantissa_bits: cells are 2^-mantissa_bits of an octave, so choose them narrower than a bin.
  template <class Reference, class Guess>
  LogBinTable(Reference reference, int first, int last, Guess guess, int mantissa_bits) : shift_(52 - mantissa_bits) {
    assert(last > first && mantissa_bits > 0 && mantissa_bits < 52);
    edges_.reserve(static_cast<std::size_t>(last - first + 1));
    for (int i = first; i <= last; ++i) edges_.push_back(lowest_at_least(reference, i, guess(i)));
    cell0_ = bits(edges_.front()) >> shift_;
    auto cells = (bits(edges_.back()) >> shift_) - cell0_ + 1;
    cells_.resize(static_cast<std::size_t>(cells));
    std::size_t i = 0;
    for (std::uint64_t c = 0; c < cells; ++c) {
      double low = std::bit_cast<double>((cell0_ + c) << shift_);
      std::size_t before = i;
      while (i + 1 < edges_.size() && edges_[i + 1] <= low) ++i;
      // A cell narrower than a bin holds at most one edge, so bin() takes at most one step.
      if (c > 0 && i > before + 1)
        throw std::logic_error("LogBinTable: cells wider than a bin; use more mantissa bits");
      // The last cell may start at the top edge itself: nothing lies above it in the table.
      double next = i + 1 < edges_.size() ? edges_[i + 1] : std::numeric_limits<double>::infinity();
      cells_[static_cast<std::size_t>(c)] = Cell{next, first + static_cast<int>(i)};
    }
    lower_ = edges_.front();
    upper_ = edges_.back();
  }

  double lower_edge() const { return lower_; }  // the smallest value in bin `first`
  double upper_edge() const { return upper_; }  // the smallest value past bin last-1
  // The bin of x, for lower_edge() <= x < upper_edge().
  int bin(double x) const {
    assert(x >= lower_edge() && x < upper_edge());
    const Cell& cell = cells_[static_cast<std::size_t>((bits(x) >> shift_) - cell0_)];
    return cell.bin + static_cast<int>(cell.next_edge <= x);  // no branch: which side of an edge is random
  }

 private:
  static std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }
  // The smallest positive double x with reference(x) >= i: gallop from the guess to bracket it,
  // then bisect on the bit patterns (positive doubles order like their bits).
  template <class Reference>
  static double lowest_at_least(Reference& reference, int i, double guess) {
    auto at = [&](std::uint64_t b) { return reference(std::bit_cast<double>(b)) >= i; };
    std::uint64_t hi = bits(guess), lo = hi;  // invariant once bracketed: !at(lo), at(hi)
    std::uint64_t step = 1;
    if (at(hi)) {
      do {
        hi = lo;
        lo = hi > step ? hi - step : 1;
        step *= 2;
      } while (at(lo) && lo > 1);
    } else {
      do {
        lo = hi;
        hi = lo + step;
        step *= 2;
      } while (!at(hi));
    }
    while (hi - lo > 1) {
      std::uint64_t mid = lo + (hi - lo) / 2;
      (at(mid) ? hi : lo) = mid;
    }
    return std::bit_cast<double>(hi);
  }

  // Per cell: the bin of its smallest value and the edge above that bin (one load per lookup).
  struct Cell {
    double next_edge;
    int bin;
  };
  int shift_;
  double lower_ = 0, upper_ = 0;  // edges_'s ends, kept beside the cells for the hot path
  std::uint64_t cell0_ = 0;
  std::vector<double> edges_;  // edges_[k]: the lower edge of bin first + k
  std::vector<Cell> cells_;
};

}  // namespace sluice::metrics
