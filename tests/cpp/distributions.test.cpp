// Draws from the model's distributions match their analytic moments and quantiles (fixed seeds,
// so these tests are deterministic; the tolerances say how far off a correct sampler could be).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "catch.hpp"
#include "kernel/random_stream.hpp"
#include "kernel/sampling.hpp"
#include "sluice/model.hpp"

using sluice::Distribution;
using sluice::KeyDistribution;
using sluice::kernel::KeySampler;
using sluice::kernel::RandomStream;
using sluice::kernel::sample;

namespace {

constexpr int kDraws = 200'000;

struct Moments {
  double mean = 0;
  double variance = 0;  // the unbiased sample variance
  double min = 0;
};

std::vector<double> draws(const Distribution& d, const char* purpose, int n = kDraws) {
  RandomStream rng(20240601, "distributions.test", purpose);
  std::vector<double> xs;
  xs.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) xs.push_back(sample(d, rng));
  return xs;
}

Moments moments(const std::vector<double>& xs) {
  Moments m;
  const double n = static_cast<double>(xs.size());
  double sum = 0;
  for (double x : xs) sum += x;
  m.mean = sum / n;
  double ss = 0;
  for (double x : xs) ss += (x - m.mean) * (x - m.mean);
  m.variance = ss / (n - 1);
  m.min = *std::min_element(xs.begin(), xs.end());
  return m;
}

// The sample mean is within 4 standard errors of the analytic mean.
void check_mean(const Moments& m, double mean, double sd) {
  const double se = sd / std::sqrt(static_cast<double>(kDraws));
  INFO("sample mean " << m.mean << ", analytic " << mean << ", standard error " << se);
  CHECK(std::fabs(m.mean - mean) < 4 * se);
}

// The sample variance is within 4 of its standard errors of the analytic variance:
// Var(s^2) ~ (mu4 - sigma^4) / n, mu4 the fourth central moment.
void check_variance(const Moments& m, double variance, double mu4) {
  const double se = std::sqrt((mu4 - variance * variance) / static_cast<double>(kDraws));
  INFO("sample variance " << m.variance << ", analytic " << variance << ", standard error " << se);
  CHECK(std::fabs(m.variance - variance) < 4 * se);
}

double quantile(std::vector<double> xs, double p) {
  auto k = static_cast<std::size_t>(p * static_cast<double>(xs.size()));
  std::nth_element(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(k), xs.end());
  return xs[k];
}

}  // namespace

TEST_CASE("constant", "[distributions]") {
  RandomStream rng(1, "t", "constant");
  auto d = Distribution::constant(42e6);
  for (int i = 0; i < 100; ++i) REQUIRE(sample(d, rng) == 42e6);
  CHECK(d.mean() == 42e6);
}

TEST_CASE("exponential: mean and variance", "[distributions]") {
  const double mean = 20e6;  // 20ms
  Distribution d{Distribution::Kind::exponential, mean, 0, {}};
  CHECK(d.mean() == mean);
  auto m = moments(draws(d, "exponential"));
  CHECK(m.min > 0);
  check_mean(m, mean, mean);
  // Variance mean^2; fourth central moment 9 mean^4.
  check_variance(m, mean * mean, 9 * std::pow(mean, 4));
}

TEST_CASE("uniform: mean, variance and range", "[distributions]") {
  const double lo = 5e6, hi = 15e6;
  Distribution d{Distribution::Kind::uniform, lo, hi, {}};
  CHECK(d.mean() == 10e6);
  auto xs = draws(d, "uniform");
  auto m = moments(xs);
  CHECK(m.min > lo);
  CHECK(*std::max_element(xs.begin(), xs.end()) < hi);
  const double w = hi - lo;
  check_mean(m, (lo + hi) / 2, w / std::sqrt(12.0));
  // Variance w^2/12; fourth central moment w^4/80.
  check_variance(m, w * w / 12, std::pow(w, 4) / 80);
}

TEST_CASE("lognormal from median and p99", "[distributions]") {
  const double median = 8e6, p99 = 60e6;
  auto p = sluice::kernel::lognormal_from_median_p99(median, p99);
  CHECK(p.mu == Approx(std::log(median)));
  CHECK(p.sigma == Approx(std::log(7.5) / 2.3263478740408408));
  Distribution d{Distribution::Kind::lognormal, p.mu, p.sigma, {}};

  auto xs = draws(d, "lognormal");
  CHECK(quantile(xs, 0.5) == Approx(median).epsilon(0.02));
  CHECK(quantile(xs, 0.99) == Approx(p99).epsilon(0.02));

  const double s2 = p.sigma * p.sigma;
  const double mean = std::exp(p.mu + s2 / 2);
  CHECK(d.mean() == Approx(mean));
  const double sd = std::sqrt((std::exp(s2) - 1) * std::exp(2 * p.mu + s2));
  auto m = moments(xs);
  CHECK(m.min > 0);
  check_mean(m, mean, sd);
}

TEST_CASE("normal truncated at zero", "[distributions]") {
  SECTION("mean far above zero: essentially untruncated") {
    Distribution d{Distribution::Kind::normal, 40e6, 5e6, {}};
    CHECK(d.mean() == Approx(40e6).epsilon(1e-12));
    auto m = moments(draws(d, "normal.far"));
    CHECK(m.min >= 0);
    check_mean(m, 40e6, 5e6);
    // Variance sd^2; fourth central moment 3 sd^4.
    check_variance(m, 25e12, 3 * std::pow(5e6, 4));
  }
  SECTION("mean near zero: heavily truncated, no negative draws") {
    Distribution d{Distribution::Kind::normal, 1.0, 2.0, {}};
    // E[X | X >= 0] = mu + sd * phi(a) / (1 - Phi(a)), a = -mu/sd = -0.5.
    const double expected = 1.0 + 2.0 * 0.3520653267642995 / 0.6914624612740131;
    CHECK(d.mean() == Approx(expected).epsilon(1e-12));
    auto xs = draws(d, "normal.near");
    auto m = moments(xs);
    CHECK(m.min >= 0);
    check_mean(m, d.mean(), std::sqrt(m.variance));
  }
  SECTION("mean far below zero: terminates and gives zero") {
    Distribution d{Distribution::Kind::normal, -100.0, 1.0, {}};
    auto xs = draws(d, "normal.below", 1000);
    CHECK(std::all_of(xs.begin(), xs.end(), [](double x) { return x == 0; }));
    CHECK(d.mean() >= 0);
    CHECK(d.mean() < 0.011);  // about sd / |alpha| = 0.01
    Distribution far{Distribution::Kind::normal, -1e6, 1.0, {}};
    CHECK(far.mean() == 0);
  }
}

TEST_CASE("empirical picks only listed values, with equal frequencies", "[distributions]") {
  const std::vector<double> values{3e6, 4e6, 9e6, 120e6};
  Distribution d{Distribution::Kind::empirical, 0, 0, values};
  CHECK(d.mean() == Approx((3e6 + 4e6 + 9e6 + 120e6) / 4));
  std::map<double, int> counts;
  for (double x : draws(d, "empirical")) ++counts[x];
  REQUIRE(counts.size() == values.size());
  const double expected = static_cast<double>(kDraws) / static_cast<double>(values.size());
  double chi2 = 0;
  for (double v : values) {
    REQUIRE(counts.count(v) == 1);
    double c = counts[v];
    chi2 += (c - expected) * (c - expected) / expected;
  }
  // 3 degrees of freedom: P(chi2 > 16.27) = 0.001.
  CHECK(chi2 < 16.27);
}

namespace {

double zipf_pmf(std::int64_t rank, std::int64_t keys, double s) {
  double h = 0;
  for (std::int64_t k = 1; k <= keys; ++k) h += std::pow(static_cast<double>(k), -s);
  return std::pow(static_cast<double>(rank + 1), -s) / h;
}

std::vector<std::int64_t> key_counts(const KeyDistribution& kd, const char* purpose, bool& in_range) {
  KeySampler sampler(kd);
  RandomStream rng(7, "distributions.test", purpose);
  std::vector<std::int64_t> counts(static_cast<std::size_t>(kd.keys), 0);
  in_range = true;
  for (int i = 0; i < kDraws; ++i) {
    std::int64_t k = sampler.sample(rng);
    if (k < 0 || k >= kd.keys) {
      in_range = false;
      continue;
    }
    ++counts[static_cast<std::size_t>(k)];
  }
  return counts;
}

void check_top_ranks(const std::vector<std::int64_t>& counts, std::int64_t keys, double s) {
  for (std::int64_t rank = 0; rank < 3; ++rank) {
    const double p = zipf_pmf(rank, keys, s);
    const double freq = static_cast<double>(counts[static_cast<std::size_t>(rank)]) / kDraws;
    const double se = std::sqrt(p * (1 - p) / kDraws);
    INFO("rank " << rank << ": frequency " << freq << ", pmf " << p << ", standard error " << se);
    CHECK(std::fabs(freq - p) < 4 * se);
  }
}

}  // namespace

TEST_CASE("zipf keys follow the Zipf pmf", "[distributions][keys]") {
  SECTION("1000 keys, s = 1.1") {
    KeyDistribution kd{KeyDistribution::Kind::zipf, 1000, 1.1};
    bool in_range = false;
    auto counts = key_counts(kd, "zipf.1.1", in_range);
    CHECK(in_range);
    check_top_ranks(counts, 1000, 1.1);
    // The tail is reached too: the last key has pmf ~ 1e-4, about 20 draws.
    CHECK(counts.back() > 0);
  }
  SECTION("s = 1 exactly (the log limit of the helpers)") {
    KeyDistribution kd{KeyDistribution::Kind::zipf, 1000, 1.0};
    bool in_range = false;
    auto counts = key_counts(kd, "zipf.1.0", in_range);
    CHECK(in_range);
    check_top_ranks(counts, 1000, 1.0);
  }
  SECTION("few keys: every frequency matches (chi-square)") {
    for (double s : {0.5, 1.0, 1.1, 2.5}) {
      INFO("s = " << s);
      KeyDistribution kd{KeyDistribution::Kind::zipf, 10, s};
      bool in_range = false;
      auto counts = key_counts(kd, "zipf.small", in_range);
      CHECK(in_range);
      double chi2 = 0;
      for (std::int64_t k = 0; k < 10; ++k) {
        double expected = zipf_pmf(k, 10, s) * kDraws;
        double c = static_cast<double>(counts[static_cast<std::size_t>(k)]);
        chi2 += (c - expected) * (c - expected) / expected;
      }
      // 9 degrees of freedom: P(chi2 > 27.88) = 0.001.
      CHECK(chi2 < 27.88);
    }
  }
  SECTION("a single key") {
    KeyDistribution kd{KeyDistribution::Kind::zipf, 1, 1.1};
    KeySampler sampler(kd);
    RandomStream rng(7, "t", "zipf.one");
    for (int i = 0; i < 100; ++i) REQUIRE(sampler.sample(rng) == 0);
  }
}

TEST_CASE("uniform keys and no keys", "[distributions][keys]") {
  KeyDistribution uniform{KeyDistribution::Kind::uniform, 7, 1.0};
  bool in_range = false;
  auto counts = key_counts(uniform, "keys.uniform", in_range);
  CHECK(in_range);
  const double expected = static_cast<double>(kDraws) / 7;
  double chi2 = 0;
  for (auto c : counts) chi2 += (static_cast<double>(c) - expected) * (static_cast<double>(c) - expected) / expected;
  CHECK(chi2 < 22.46);  // 6 degrees of freedom, P = 0.001

  KeySampler none(KeyDistribution{});
  RandomStream rng(7, "t", "keys.none");
  for (int i = 0; i < 100; ++i) REQUIRE(none.sample(rng) == 0);
}

TEST_CASE("sampling is reproducible", "[distributions]") {
  Distribution d{Distribution::Kind::lognormal, std::log(8e6), 0.8, {}};
  CHECK(draws(d, "repro", 1000) == draws(d, "repro", 1000));
  CHECK(draws(d, "repro", 1000) != draws(d, "repro.other", 1000));
}
