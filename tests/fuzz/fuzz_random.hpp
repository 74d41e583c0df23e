#pragma once
// The fuzzers' own random numbers: SplitMix64 and plain modulo reduction, written out so that a
// seed gives the same inputs with every compiler and standard library (std::uniform_int_distribution
// is implementation-defined, so a seed would not reproduce across GCC and clang).
#include <cstddef>
#include <cstdint>

namespace sluice::fuzz {

class FuzzRandom {
 public:
  explicit FuzzRandom(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // A number in [0, n); n must be positive. The modulo bias (below 2^-40 for n < 2^24) is harmless here.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool one_in(std::size_t n) { return below(n) == 0; }

 private:
  std::uint64_t state_;
};

// FNV-1a over bytes: the digest of the inputs a run generated (same seed, same digest).
class Fnv1a {
 public:
  void add(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) hash_ = (hash_ ^ p[i]) * 0x100000001b3ULL;
  }
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace sluice::fuzz
