#pragma once
// Simulated time: int64 nanoseconds in a strong type, so a duration can't be mixed up with a
// count. 2^63 ns is about 292 years, far beyond any run; durations are bounded and sums saturate,
// so no model can make time wrap around.
#include <cmath>
#include <compare>
#include <cstdint>

namespace sluice::kernel {

struct SimTime {
  std::int64_t ns = 0;

  // The longest duration a model can produce, about 31.7 years: a draw beyond it (a constant
  // `io: 1e10s`, the far tail of a lognormal) is cut to it. A run lasts at most 366 days, so
  // a time plus a few such durations stays far inside int64 and never wraps negative.
  static constexpr std::int64_t kMaxDurationNs = 1'000'000'000'000'000'000;

  static constexpr SimTime from_ns(std::int64_t v) { return SimTime{v}; }
  // Durations drawn from distributions are doubles; they are rounded once, here, and kept within
  // +-kMaxDurationNs (NaN, which no valid model produces, counts as the maximum).
  static SimTime from_ns_rounded(double v) {
    constexpr auto kMax = static_cast<double>(kMaxDurationNs);
    if (!(v < kMax)) return SimTime{kMaxDurationNs};
    if (v < -kMax) return SimTime{-kMaxDurationNs};
    // std::llround, without the library call (the hot path rounds every duration): truncate,
    // then step away from zero when the dropped fraction is at least a half. v - trunc(v) is
    // exact for every double, so halves round exactly as llround rounds them.
    auto whole = static_cast<std::int64_t>(v);
    double fraction = v - static_cast<double>(whole);
    whole += static_cast<std::int64_t>(fraction >= 0.5) - static_cast<std::int64_t>(fraction <= -0.5);
    return SimTime{whole};
  }
  static constexpr SimTime seconds(double s) { return SimTime{static_cast<std::int64_t>(s * 1e9)}; }
  static constexpr SimTime max() { return SimTime{INT64_MAX}; }

  constexpr double to_seconds() const { return static_cast<double>(ns) / 1e9; }
  constexpr double to_ms() const { return static_cast<double>(ns) / 1e6; }

  constexpr auto operator<=>(const SimTime&) const = default;
  // Saturating: a sum beyond int64 stays at the largest time ("never"), it does not wrap around.
  constexpr SimTime operator+(SimTime o) const {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(ns, o.ns, &sum)) return o.ns > 0 ? max() : SimTime{INT64_MIN};
    return SimTime{sum};
  }
  constexpr SimTime operator-(SimTime o) const { return SimTime{ns - o.ns}; }
  constexpr SimTime& operator+=(SimTime o) { return *this = *this + o; }
};

}  // namespace sluice::kernel
