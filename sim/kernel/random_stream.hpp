#pragma once
// Random streams keyed by (run seed, component name, purpose). A source's arrivals depend only
// on the seed and the source's name, so two variants of a design run with the same seed see the
// same workload (common random numbers). The generator is Boost.Random's mt19937_64, whose
// output is specified bit for bit; all distributions on top are our own (sampling.hpp), never
// std:: distributions, whose output differs between standard libraries.
#include <cmath>
#include <cstdint>
#include <string_view>

#include <boost/random/mersenne_twister.hpp>

namespace sluice::kernel {

// A stable 64-bit key for (seed, component, purpose): FNV-1a over the strings, mixed by SplitMix64.
std::uint64_t stream_key(std::uint64_t seed, std::string_view component, std::string_view purpose);

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::string_view component, std::string_view purpose);

  std::uint64_t next_u64() { return engine_(); }
  // Uniform on the open interval (0, 1): safe to take a logarithm of. Inline: every draw of
  // every distribution starts here. The top 53 bits k give k * 2^-53, exact in a double; k = 0
  // is redrawn (probability 2^-53), so the largest value is 1 - 2^-53. (The alternative
  // (k + 0.5) * 2^-53 is not safe: for k >= 2^52, k + 0.5 is not representable and can round up
  // to 2^53, giving exactly 1.)
  double uniform01() {
    constexpr double kTwoPowMinus53 = 1.0 / 9007199254740992.0;
    for (;;) {
      std::uint64_t k = next_u64() >> 11;
      if (k != 0) [[likely]]
        return static_cast<double>(k) * kTwoPowMinus53;
    }
  }
  // Uniform integer in [0, n), without modulo bias.
  std::uint64_t below(std::uint64_t n);
  // Exponential with the given mean (inline: a service time or an interarrival per request).
  double exponential(double mean) { return -mean * std::log(uniform01()); }
  // Standard normal (polar Box–Muller, one value cached).
  double standard_normal();

 private:
  boost::random::mt19937_64 engine_;
  double cached_normal_ = 0;
  bool has_cached_normal_ = false;
};

}  // namespace sluice::kernel
