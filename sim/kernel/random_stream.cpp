// Random streams keyed by (seed, component, purpose); see random_stream.hpp and DESIGN.md §2.
//
// Everything here is specified bit for bit: FNV-1a and SplitMix64 are integer arithmetic, the
// engine is Boost's mt19937_64, and the transforms use only IEEE-exact operations apart from
// std::log / std::sqrt in exponential() (inline, in random_stream.hpp) and standard_normal().
// Changing any of this changes every simulated workload for a given seed:
// tests/cpp/random_stream.test.cpp pins the output.
#include "kernel/random_stream.hpp"

#include <cmath>

namespace sluice::kernel {
namespace {

constexpr std::uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
// Between the component and the purpose, so that ("a", "bc") and ("ab", "c") hash differently.
// 0xFF never occurs in UTF-8 text, so it can't be confused with a character of either name.
constexpr unsigned char kSeparator = 0xFF;
constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;  // SplitMix64's increment

std::uint64_t fnv1a(std::uint64_t h, unsigned char byte) {
  h ^= byte;
  h *= kFnvPrime;
  return h;
}

std::uint64_t fnv1a(std::uint64_t h, std::string_view s) {
  for (char c : s) h = fnv1a(h, static_cast<unsigned char>(c));
  return h;
}

// The SplitMix64 output function (Steele, Lea & Flood 2014): a bijection on 64-bit integers
// with good avalanche, so nearby seeds and hashes give unrelated keys.
std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t stream_key(std::uint64_t seed, std::string_view component, std::string_view purpose) {
  std::uint64_t h = fnv1a(kFnvOffsetBasis, component);
  h = fnv1a(h, kSeparator);
  h = fnv1a(h, purpose);
  // The seed goes through its own SplitMix64 step first, so seed and name hash don't cancel
  // (seed ^ h would map (s, x) and (s ^ d, x ^ d) to the same key).
  return splitmix64_mix(h ^ splitmix64_mix(seed + kGoldenGamma));
}

RandomStream::RandomStream(std::uint64_t seed, std::string_view component, std::string_view purpose)
    : engine_(stream_key(seed, component, purpose)) {}

std::uint64_t RandomStream::below(std::uint64_t n) {
  if (n == 0) return 0;  // no valid answer; defined as 0 and consumes nothing
  // Rejection: accept x only from the largest multiple of n that fits in 2^64, so every residue
  // is equally likely. threshold = 2^64 mod n; at most half of the draws are rejected, and for
  // the small n of a model, almost none.
  const std::uint64_t threshold = (0 - n) % n;
  for (;;) {
    std::uint64_t x = next_u64();
    if (x >= threshold) return x % n;
  }
}

double RandomStream::standard_normal() {
  if (has_cached_normal_) {
    has_cached_normal_ = false;
    return cached_normal_;
  }
  // Marsaglia's polar method: a point uniform in the unit disc gives two independent normals.
  double u = 0, v = 0, s = 0;
  do {
    u = 2 * uniform01() - 1;
    v = 2 * uniform01() - 1;
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  double f = std::sqrt(-2 * std::log(s) / s);
  cached_normal_ = v * f;
  has_cached_normal_ = true;
  return u * f;
}

}  // namespace sluice::kernel
