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

// exact_ceil(ns / 1e6) for a whole number of nanoseconds, in integers (a function's billed
// milliseconds: one division fewer per invocation). For 0 <= ns < 9e15 the double quotient
// cannot round across an integer: a non-integer ns / 1e6 lies at least 1e-6 from one, more than
// half an ulp of any quotient below 9e9. Elsewhere: the double formula.
inline double exact_ceil_ms(std::int64_t ns) {
  constexpr std::int64_t kIntegerBelow = 9'000'000'000'000'000;
  if (ns >= 0 && ns < kIntegerBelow) return static_cast<double>((ns + 999'999) / 1'000'000);
  return exact_ceil(static_cast<double>(ns) / 1e6);
}

}  // namespace sluice::kernel
