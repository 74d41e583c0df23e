// 95% confidence intervals of a mean over independent replications: Student's t for a quantity;
// for a count, one that never goes below zero (Garwood's exact Poisson interval together with t).
// A constant count still gets the Poisson interval: a few identical replications do not prove
// that a count cannot vary.
#include <algorithm>
#include <cmath>

#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "sluice/sweep.hpp"

namespace sluice {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

double t_quantile_975(std::size_t df) {
  if (df == 0) return kNaN;
  boost::math::students_t_distribution<double> t(static_cast<double>(df));
  return boost::math::quantile(boost::math::complement(t, 0.025));
}

Interval mean_interval(const std::vector<double>& values) {
  Interval out;
  out.n = values.size();
  if (values.empty()) return out;
  double sum = 0;
  for (double v : values) sum += v;
  out.mean = sum / static_cast<double>(values.size());
  if (values.size() < 2) return out;
  double squares = 0;
  for (double v : values) squares += (v - out.mean) * (v - out.mean);
  double n = static_cast<double>(values.size());
  double half = t_quantile_975(values.size() - 1) * std::sqrt(squares / (n - 1) / n);
  out.low = out.mean - half;
  out.high = out.mean + half;
  return out;
}

std::pair<double, double> poisson_interval(double total) {
  if (!(total >= 0)) return {kNaN, kNaN};
  double low = total > 0 ? boost::math::gamma_p_inv(total, 0.025) : 0.0;
  return {low, boost::math::gamma_p_inv(total + 1, 0.975)};
}

Interval count_interval(const std::vector<double>& values) {
  Interval t = mean_interval(values);
  if (values.size() < 2 || std::isnan(t.mean)) return t;
  double n = static_cast<double>(values.size()), total = 0;
  for (double v : values) total += v;
  auto [low, high] = poisson_interval(total);
  t.low = std::max(0.0, std::min(low / n, t.low));
  t.high = std::max(high / n, t.high);
  return t;
}

Interval metric_interval(const std::vector<MetricValue>& replications) {
  std::vector<double> values;
  bool counts = !replications.empty();
  for (const auto& v : replications) {
    values.push_back(v.value);
    counts = counts && v.count;
  }
  return counts ? count_interval(values) : mean_interval(values);
}

}  // namespace sluice
