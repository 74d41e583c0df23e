#pragma once
// std::ceil without the library call, for the hot path (a function's billed duration): x86-64's
// baseline has no rounding instruction (SSE4.1's roundsd is not assumed), so std::ceil is a call
// into libm. The same double for every input (tests/cpp/exact_ceil.test.cpp).
#include <cmath>
#include <cstdint>

namespace sluice::kernel {

inline double exact_ceil(double x) {
  // Above 0 and below 2^52 truncating to an integer is exact, and so is the next integer up.
  // Elsewhere (zeros and their sign, negatives, large values, infinities, NaN): the library.
  if (x > 0 && x < 0x1p52) {
    auto whole = static_cast<double>(static_cast<std::int64_t>(x));
    return whole < x ? whole + 1 : whole;
  }
  return std::ceil(x);
}

}  // namespace sluice::kernel
