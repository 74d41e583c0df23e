// exact_ceil (the billed duration's rounding up, without a library call) gives the same double as
// std::ceil for every input: around integers and halves, at the edges of its fast range, zeros,
// negatives, large values, infinities, NaN, and a million random values.
#include "kernel/exact_ceil.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

using sluice::kernel::exact_ceil;
using sluice::kernel::exact_ceil_ms;

namespace {
bool same_double(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) || (std::isnan(a) && std::isnan(b));
}
}  // namespace

TEST_CASE("exact_ceil rounds up exactly as std::ceil", "[kernel][time]") {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> values{0.0,
                             -0.0,
                             0.5,
                             -0.5,
                             1.0,
                             -1.0,
                             1e-300,
                             -1e-300,
                             0x1p52,
                             0x1p53,
                             1e300,
                             -1e300,
                             kInf,
                             -kInf,
                             std::numeric_limits<double>::quiet_NaN(),
                             0x1p-1074,
                             12.000000000000002,
                             4503599627370495.5};
  for (double x = 0.75; x < 1e17; x = x * 1.7 + 1) {  // integers and fractions over the whole range
    for (double v : {x, std::floor(x), std::floor(x) + 0.5}) {
      values.push_back(v);
      values.push_back(std::nextafter(v, 0.0));
      values.push_back(std::nextafter(v, kInf));
      values.push_back(-v);
    }
  }
  values.push_back(std::nextafter(0x1p52, 0.0));  // the last value of the fast range
  std::mt19937_64 rng(20261130);
  std::uniform_real_distribution<double> ms(0.0, 1e7);  // billed milliseconds of real invocations
  for (int i = 0; i < 1'000'000; ++i) values.push_back(ms(rng));
  for (int i = 0; i < 100'000; ++i) values.push_back(std::bit_cast<double>(rng()));  // any double
  for (double v : values) {
    INFO(v);
    CHECK(same_double(exact_ceil(v), std::ceil(v)));
  }
}

TEST_CASE("exact_ceil_ms gives exact_ceil(ns / 1e6) for every whole number of nanoseconds", "[kernel][time]") {
  std::vector<std::int64_t> values{0,
                                   1,
                                   999'999,
                                   1'000'000,
                                   1'000'001,
                                   -1,
                                   -1'000'000,
                                   -1'500'000,
                                   std::numeric_limits<std::int64_t>::min(),
                                   std::numeric_limits<std::int64_t>::max()};
  // Around multiples of 1 ms over the whole range, the edge of the integer path included.
  for (double ms = 1; ms < 1e13; ms = ms * 1.3 + 7) {
    auto whole = static_cast<std::int64_t>(ms) * 1'000'000;
    for (std::int64_t d : {-2, -1, 0, 1, 2, 499'999, 500'000, 500'001}) values.push_back(whole + d);
  }
  for (std::int64_t edge : {std::int64_t{9'000'000'000'000'000}, std::int64_t{1} << 53})
    for (std::int64_t d = -3'000'000; d <= 3'000'000; d += 999'983) values.push_back(edge + d);
  std::mt19937_64 rng(11);
  for (int i = 0; i < 1'000'000; ++i) {
    values.push_back(static_cast<std::int64_t>(rng() % 2'000'000'000'000));  // up to 2,000 s
    values.push_back(static_cast<std::int64_t>(rng() >> 10));                // any magnitude to 2^54
  }
  for (std::int64_t ns : values) {
    const double expected = exact_ceil(static_cast<double>(ns) / 1e6);
    if (!same_double(exact_ceil_ms(ns), expected)) FAIL("ns " << ns << ": " << exact_ceil_ms(ns) << " != " << expected);
  }
  SUCCEED("checked " << values.size() << " values");
}
