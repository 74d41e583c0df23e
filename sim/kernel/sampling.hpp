#pragma once
// Drawing values from a model's Distribution, and partition keys from a KeyDistribution.
#include <cstdint>

#include "kernel/random_stream.hpp"
#include "sluice/distribution.hpp"

namespace sluice::kernel {

// A draw in the distribution's base unit. Normal draws are truncated at zero (resampled), as
// docs/model-reference.md says; every draw is >= 0 for the non-negative quantities a model describes.
// The two kinds on every request's path (a constant payload size, an exponential service time)
// are drawn inline; the others out of line (sample_other).
double sample_other(const Distribution& d, RandomStream& rng);
inline double sample(const Distribution& d, RandomStream& rng) {
  if (d.kind == Distribution::Kind::constant) return d.a;
  if (d.kind == Distribution::Kind::exponential) return rng.exponential(d.a);
  return sample_other(d, rng);
}

// Zipf over keys 0..n-1 with the given exponent (rejection-inversion, Hörmann & Derflinger
// 1996: O(1) per draw, no table), or uniform keys.
class KeySampler {
 public:
  explicit KeySampler(const KeyDistribution& d);
  std::int64_t sample(RandomStream& rng) const;

 private:
  KeyDistribution d_;
  double h_x1_ = 0, h_n_ = 0, s_ = 0;  // zipf constants
  double h(double x) const;
  double h_inverse(double x) const;
};

// Lognormal parameters from the way ops people describe latency: median and p99.
// mu = ln(median), sigma = ln(p99 / median) / z(0.99).
struct LognormalParams {
  double mu, sigma;
};
LognormalParams lognormal_from_median_p99(double median, double p99);

}  // namespace sluice::kernel
