#pragma once
// Simulated time: int64 nanoseconds in a strong type, so a duration can't be mixed up with a
// count. 2^63 ns is about 292 years, far beyond any run.
#include <cmath>
#include <compare>
#include <cstdint>

namespace sluice::kernel {

struct SimTime {
  std::int64_t ns = 0;

  static constexpr SimTime from_ns(std::int64_t v) { return SimTime{v}; }
  // Durations drawn from distributions are doubles; they are rounded once, here.
  static SimTime from_ns_rounded(double v) { return SimTime{static_cast<std::int64_t>(std::llround(v))}; }
  static constexpr SimTime seconds(double s) { return SimTime{static_cast<std::int64_t>(s * 1e9)}; }
  static constexpr SimTime max() { return SimTime{INT64_MAX}; }

  constexpr double to_seconds() const { return static_cast<double>(ns) / 1e9; }
  constexpr double to_ms() const { return static_cast<double>(ns) / 1e6; }

  constexpr auto operator<=>(const SimTime&) const = default;
  constexpr SimTime operator+(SimTime o) const { return SimTime{ns + o.ns}; }
  constexpr SimTime operator-(SimTime o) const { return SimTime{ns - o.ns}; }
  constexpr SimTime& operator+=(SimTime o) { ns += o.ns; return *this; }
};

}  // namespace sluice::kernel
