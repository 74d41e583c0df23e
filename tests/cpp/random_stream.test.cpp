// Random streams keyed by (seed, component, purpose): reproducible, independent, unbiased.
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "catch.hpp"
#include "kernel/random_stream.hpp"

using sluice::kernel::RandomStream;
using sluice::kernel::stream_key;

namespace {

std::vector<std::uint64_t> first_outputs(RandomStream rng, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(rng.next_u64());
  return out;
}

std::vector<std::uint64_t> first_outputs(std::uint64_t seed, const char* component, const char* purpose, int n = 16) {
  return first_outputs(RandomStream(seed, component, purpose), n);
}

}  // namespace

TEST_CASE("the same seed, component and purpose give the same sequence", "[random]") {
  CHECK(first_outputs(7, "ingest", "arrivals", 1000) == first_outputs(7, "ingest", "arrivals", 1000));
  CHECK(stream_key(7, "ingest", "arrivals") == stream_key(7, "ingest", "arrivals"));

  RandomStream a(7, "ingest", "service"), b(7, "ingest", "service");
  for (int i = 0; i < 1000; ++i) {
    REQUIRE(a.uniform01() == b.uniform01());
    REQUIRE(a.standard_normal() == b.standard_normal());
    REQUIRE(a.below(13) == b.below(13));
    REQUIRE(a.exponential(3.0) == b.exponential(3.0));
  }
}

TEST_CASE("a different seed, component or purpose gives a different sequence", "[random]") {
  const auto base = first_outputs(7, "ingest", "arrivals");
  CHECK(first_outputs(8, "ingest", "arrivals") != base);
  CHECK(first_outputs(7, "ingest2", "arrivals") != base);
  CHECK(first_outputs(7, "ingest", "payload") != base);
  CHECK(first_outputs(7, "arrivals", "ingest") != base);
  CHECK(first_outputs(0, "", "") != first_outputs(1, "", ""));
  CHECK(first_outputs(0, "", "") != first_outputs(0, "", "x"));
  CHECK(first_outputs(0, "", "") != first_outputs(0, "x", ""));
}

TEST_CASE("the separator keeps component and purpose apart", "[random]") {
  CHECK(stream_key(1, "a", "bc") != stream_key(1, "ab", "c"));
  CHECK(first_outputs(1, "a", "bc") != first_outputs(1, "ab", "c"));
  CHECK(stream_key(1, "", "abc") != stream_key(1, "abc", ""));
}

TEST_CASE("nearby seeds give unrelated keys", "[random]") {
  // SplitMix64 mixing: consecutive seeds should differ in about half of the 64 bits.
  for (std::uint64_t seed = 0; seed < 64; ++seed) {
    std::uint64_t diff = stream_key(seed, "src", "arrivals") ^ stream_key(seed + 1, "src", "arrivals");
    int bits = 0;
    for (; diff != 0; diff &= diff - 1) ++bits;
    CHECK(bits > 12);
    CHECK(bits < 52);
  }
}

TEST_CASE("golden values: the key derivation and the generator are pinned", "[random]") {
  // Every simulated workload is a function of these bits: a model run with seed 42 must give the
  // same results on every machine and with every future version of sluice, unless we decide
  // otherwise. These values were computed once with this implementation and cross-checked with
  // an independent Python implementation of FNV-1a 64 + SplitMix64 + MT19937-64. If this test
  // fails, the key derivation (FNV-1a, the 0xFF separator, the SplitMix64 mixing) or the
  // generator changed: that changes every user's results for a given seed, so it must be a
  // deliberate, documented change and these values updated with it.
  CHECK(stream_key(42, "checkout", "arrivals") == 0x981d9a0eadee440fULL);
  RandomStream rng(42, "checkout", "arrivals");
  CHECK(rng.next_u64() == 0xa63f24751b1ec8c4ULL);
  CHECK(rng.next_u64() == 0xedcd839b8c43d189ULL);
  CHECK(rng.next_u64() == 0x8596433888069893ULL);
}

TEST_CASE("uniform01 is in the open interval (0, 1) with mean 0.5", "[random]") {
  RandomStream rng(2024, "test", "uniform01");
  constexpr int n = 1'000'000;
  double sum = 0, lo = 1, hi = 0;
  bool in_open_interval = true;
  for (int i = 0; i < n; ++i) {
    double u = rng.uniform01();
    if (!(u > 0 && u < 1)) in_open_interval = false;
    sum += u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  CHECK(in_open_interval);
  CHECK(lo > 0);
  CHECK(hi < 1);
  const double se = std::sqrt(1.0 / 12.0 / n);
  CHECK(std::fabs(sum / n - 0.5) < 4 * se);
}

TEST_CASE("below(n) is in range and unbiased", "[random]") {
  RandomStream rng(99, "test", "below");
  constexpr std::uint64_t k = 7;
  constexpr int n = 700'000;
  std::array<int, k> counts{};
  bool in_range = true;
  for (int i = 0; i < n; ++i) {
    std::uint64_t x = rng.below(k);
    if (x >= k) {
      in_range = false;
      continue;
    }
    ++counts[x];
  }
  REQUIRE(in_range);
  const double expected = static_cast<double>(n) / k;
  double chi2 = 0;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  // 6 degrees of freedom: P(chi2 > 22.46) = 0.001.
  CHECK(chi2 < 22.46);

  // Degenerate and large bounds.
  CHECK(rng.below(1) == 0);
  CHECK(rng.below(0) == 0);
  const std::uint64_t big = (std::uint64_t{1} << 63) + 12345;
  for (int i = 0; i < 1000; ++i) REQUIRE(rng.below(big) < big);
}

TEST_CASE("exponential and standard_normal have the right moments", "[random]") {
  RandomStream rng(5, "test", "moments");
  constexpr int n = 200'000;
  double se = 0, sz = 0, szz = 0;
  for (int i = 0; i < n; ++i) {
    se += rng.exponential(2.0);
    double z = rng.standard_normal();
    sz += z;
    szz += z * z;
  }
  CHECK(std::fabs(se / n - 2.0) < 4 * 2.0 / std::sqrt(n));
  CHECK(std::fabs(sz / n) < 4 / std::sqrt(n));
  // Var(z^2) = 2 for a standard normal.
  CHECK(std::fabs(szz / n - 1.0) < 4 * std::sqrt(2.0 / n));
}
