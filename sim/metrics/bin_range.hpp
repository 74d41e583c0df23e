#pragma once
// Counts over the bins of a wide axis from the lowest to the highest used so far, none before
// the first sample: a distribution whose values span a few dozen bins holds only those (a
// latency histogram, a time bucket's percentile counts). 32 bits a bin.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sluice::metrics {

struct BinRange {
  std::size_t lowest = 0;
  std::vector<std::uint32_t> counts;  // counts[k]: bin lowest + k

  // Counts one sample in `bin`; the bin's new count (0 when it wrapped past 2^32 - 1).
  std::uint32_t add(std::size_t bin) {
    std::size_t k = bin - lowest;  // wraps around (out of range) below the lowest bin held
    if (k < counts.size()) [[likely]]
      return ++counts[k];
    widen_to(bin);
    return 1;
  }
  // Holds bins first..last (zeros where new).
  void cover(std::size_t first, std::size_t last) {
    if (counts.empty()) {
      lowest = first;
      counts.assign(last - first + 1, 0);
      return;
    }
    if (first < lowest) {
      counts.insert(counts.begin(), lowest - first, 0);
      lowest = first;
    }
    if (last >= lowest + counts.size()) counts.resize(last - lowest + 1, 0);
  }

 private:
  // Out of line, so the hot path of add() saves no registers for it.
  [[gnu::noinline]] void widen_to(std::size_t bin) {
    cover(bin, bin);
    ++counts[bin - lowest];
  }
};

}  // namespace sluice::metrics
