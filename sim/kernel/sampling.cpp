// Draws from a model's distributions (docs/model-reference.md, "Units and distributions"), built only on
// RandomStream so that the output is the same with every standard library.
#include "kernel/sampling.hpp"

#include <cmath>
#include <numeric>

namespace sluice {

// Declared in include/sluice/model.hpp; defined here, next to the sampler it describes.
double Distribution::mean() const {
  switch (kind) {
    case Kind::constant:
      return a;
    case Kind::exponential:
      return a;
    case Kind::lognormal:
      return std::exp(a + b * b / 2);
    case Kind::normal: {
      // The normal(a, b) truncated at zero, as sample() draws it:
      //   E[X | X >= 0] = mean + sd * phi(alpha) / (1 - Phi(alpha)),  alpha = -mean / sd.
      if (!(b > 0)) return a > 0 ? a : 0;
      constexpr double kInvSqrt2Pi = 0.3989422804014327;
      constexpr double kInvSqrt2 = 0.7071067811865476;
      double alpha = -a / b;
      double phi = kInvSqrt2Pi * std::exp(-alpha * alpha / 2);
      double tail = 0.5 * std::erfc(alpha * kInvSqrt2);  // 1 - Phi(alpha), accurate in the tail
      double m = a + b * phi / tail;
      // Far below zero (alpha > ~38) both underflow; the sampler then gives up and returns 0.
      return std::isfinite(m) ? m : 0;
    }
    case Kind::uniform:
      return (a + b) / 2;
    case Kind::empirical:
      if (values.empty()) return 0;
      return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  }
  return 0;
}

namespace kernel {

namespace {
// Resampling a normal below zero: after this many rejections in a row the mean is so far below
// zero that the truncated distribution is essentially all at zero, and we return 0 rather than
// loop for ever. With the mean at zero the chance of reaching it is 2^-64.
constexpr int kMaxNormalRejections = 64;
}  // namespace

double sample_other(const Distribution& d, RandomStream& rng) {
  using Kind = Distribution::Kind;
  switch (d.kind) {
    case Kind::constant:
      return d.a;
    case Kind::exponential:
      return rng.exponential(d.a);
    case Kind::lognormal:
      return std::exp(d.a + d.b * rng.standard_normal());
    case Kind::normal:
      for (int i = 0; i < kMaxNormalRejections; ++i) {
        double x = d.a + d.b * rng.standard_normal();
        if (x >= 0) return x;
      }
      return 0;
    case Kind::uniform:
      return d.a + (d.b - d.a) * rng.uniform01();
    case Kind::empirical:
      if (d.values.empty()) return 0;
      return d.values[static_cast<std::size_t>(rng.below(d.values.size()))];
  }
  return 0;
}

LognormalParams lognormal_from_median_p99(double median, double p99) {
  constexpr double kZ99 = 2.3263478740408408;  // the standard normal's 0.99 quantile
  return LognormalParams{std::log(median), std::log(p99 / median) / kZ99};
}

// ---- Zipf by rejection-inversion -------------------------------------------------------------
// Hörmann & Derflinger (1996), "Rejection-inversion to generate variates from monotone discrete
// distributions", as in Apache Commons RNG's RejectionInversionZipfSampler. Ranks k = 1..n have
// weight h(k) = k^-s; we return k - 1. The helpers stay accurate at s = 1, where
// H(x) = (x^(1-s) - 1) / (1 - s) becomes log(x).

namespace {

// log1p(x) / x, continuous at 0.
double helper1(double x) {
  if (std::fabs(x) > 1e-8) return std::log1p(x) / x;
  return 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
}

// expm1(x) / x, continuous at 0.
double helper2(double x) {
  if (std::fabs(x) > 1e-8) return std::expm1(x) / x;
  return 1 + x * 0.5 * (1 + x * 1.0 / 3 * (1 + 0.25 * x));
}

// H(x) = integral of h: (x^(1-s) - 1) / (1 - s), or log(x) when s = 1.
double h_integral(double x, double s) {
  double log_x = std::log(x);
  return helper2((1 - s) * log_x) * log_x;
}

}  // namespace

double KeySampler::h(double x) const { return std::exp(-d_.exponent * std::log(x)); }

// The inverse of H.
double KeySampler::h_inverse(double x) const {
  double t = x * (1 - d_.exponent);
  if (t < -1) t = -1;  // rounding can push t just below -1
  return std::exp(helper1(t) * x);
}

KeySampler::KeySampler(const KeyDistribution& d) : d_(d) {
  if (d_.kind != KeyDistribution::Kind::zipf || d_.keys < 1) return;
  const double n = static_cast<double>(d_.keys);
  h_x1_ = h_integral(1.5, d_.exponent) - 1;
  h_n_ = h_integral(n + 0.5, d_.exponent);
  s_ = 2 - h_inverse(h_integral(2.5, d_.exponent) - h(2));
}

std::int64_t KeySampler::sample(RandomStream& rng) const {
  switch (d_.kind) {
    case KeyDistribution::Kind::none:
      return 0;
    case KeyDistribution::Kind::uniform:
      if (d_.keys < 1) return 0;
      return static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(d_.keys)));
    case KeyDistribution::Kind::zipf:
      break;
  }
  if (d_.keys < 1) return 0;
  const double n = static_cast<double>(d_.keys);
  for (;;) {
    // u is uniform in (h_x1_, h_n_).
    double u = h_n_ + rng.uniform01() * (h_x1_ - h_n_);
    double x = h_inverse(u);
    double kd = std::floor(x + 0.5);
    if (kd < 1) kd = 1;
    if (kd > n) kd = n;
    if (kd - x <= s_ || u >= h_integral(kd + 0.5, d_.exponent) - h(kd)) {
      return static_cast<std::int64_t>(kd) - 1;
    }
  }
}

}  // namespace kernel
}  // namespace sluice
