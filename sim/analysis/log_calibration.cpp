// Fitting a Lambda function from its REPORT lines: the handler's duration (without the modelled
// calls it makes), the init, memory_used and the cold-start share, per (function, memory size).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "sluice/log_calibration.hpp"

namespace sluice {
namespace {

constexpr double kZ99 = 2.3263478740408408;  // z of 0.99: the model's lognormal by median and p99
constexpr double kZ975 = 1.959963984540054;
constexpr std::size_t kShiftDraws = 20000;  // draws of the calls' latency: a CDF within ±0.01 (3 sd)
constexpr double kFloorMs = 0.001;          // logs need positive values
constexpr double kReportMs = 0.01;          // REPORT lines print durations to 0.01 ms (aws-facts §1.6)

double mean_of(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double sd_of(const std::vector<double>& v, double mean) {
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0;
}

// D = sup |F_n(x) − F(x)| of a sorted sample against a CDF. Values printed to `resolution`
// (0.01 ms for a REPORT duration, 1 MB for memory) stand for [v − r/2, v + r/2]: at each distinct
// value the sample's CDF jumps from i/n to j/n, compared with F(v − r/2) and F(v + r/2), so ties
// from rounding are not mistaken for a bad fit.
template <class Cdf>
double ks_distance(const std::vector<double>& sorted, Cdf cdf, double resolution) {
  double d = 0;
  const auto n = static_cast<double>(sorted.size());
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    const double v = sorted[i];
    d = std::max({d, static_cast<double>(j) / n - cdf(v + resolution / 2),
                  cdf(std::max(v - resolution / 2, kFloorMs / 2)) - static_cast<double>(i) / n});
    i = j;
  }
  return d;
}

// At most kEmpiricalValues values: the sample itself, or its quantiles at (i + 0.5) / k.
std::vector<double> empirical_values(const std::vector<double>& sorted) {
  if (sorted.size() <= kEmpiricalValues) return sorted;
  std::vector<double> out;
  for (std::size_t i = 0; i < kEmpiricalValues; ++i) {
    auto rank = static_cast<std::size_t>((static_cast<double>(i) + 0.5) / kEmpiricalValues *
                                         static_cast<double>(sorted.size()));
    out.push_back(sorted[std::min(rank, sorted.size() - 1)]);
  }
  return out;
}

// mean and sd of log(exp(mu + sigma z) + c) over the paired draws.
std::pair<double, double> log_moments(double mu, double sigma, const std::vector<double>& z,
                                      const std::vector<double>& c) {
  std::vector<double> y(z.size());
  for (std::size_t j = 0; j < z.size(); ++j) y[j] = std::log(std::exp(mu + sigma * z[j]) + c[j]);
  double m = mean_of(y);
  return {m, sd_of(y, m)};
}

double bisect(double lo, double hi, int iterations, auto too_low) {
  for (int k = 0; k < iterations; ++k) {
    double mid = 0.5 * (lo + hi);
    (too_low(mid) ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

std::string number_text(double v) {
  std::string s = fmt::format("{:.3f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// A draw of a model distribution, in the distribution's own unit.
double draw(const Distribution& d, boost::random::mt19937_64& rng) {
  boost::random::uniform_01<double> u;
  boost::random::normal_distribution<double> normal;
  switch (d.kind) {
    case Distribution::Kind::constant:
      return d.a;
    case Distribution::Kind::exponential:
      return -d.a * std::log1p(-u(rng));
    case Distribution::Kind::lognormal:
      return std::exp(d.a + d.b * normal(rng));
    case Distribution::Kind::normal:
      for (int i = 0; i < 64; ++i)
        if (double v = d.a + d.b * normal(rng); v >= 0) return v;
      return 0;
    case Distribution::Kind::uniform:
      return d.a + (d.b - d.a) * u(rng);
    case Distribution::Kind::empirical:
      return d.values[std::min(d.values.size() - 1,
                               static_cast<std::size_t>(u(rng) * static_cast<double>(d.values.size())))];
  }
  return 0;
}

std::string describe_ns(const Distribution& d) {
  switch (d.kind) {
    case Distribution::Kind::constant:
      return number_text(d.a / 1e6) + "ms";
    case Distribution::Kind::exponential:
      return fmt::format("exponential, mean {}ms", number_text(d.a / 1e6));
    case Distribution::Kind::lognormal:
      return fmt::format("lognormal, median {}ms, p99 {}ms", number_text(std::exp(d.a) / 1e6),
                         number_text(std::exp(d.a + kZ99 * d.b) / 1e6));
    case Distribution::Kind::normal:
      return fmt::format("normal, mean {}ms, sd {}ms", number_text(d.a / 1e6), number_text(d.b / 1e6));
    case Distribution::Kind::uniform:
      return fmt::format("uniform, {}ms to {}ms", number_text(d.a / 1e6), number_text(d.b / 1e6));
    case Distribution::Kind::empirical:
      return fmt::format("empirical, {} values", d.values.size());
  }
  return "";
}

std::string function_of(const LambdaReport& r, const std::string& named) {
  if (!named.empty()) return named;
  if (r.log_group.empty())
    throw ModelError(SourceLocation{r.where.file, 0, 0}, "",
                     "the export names no log group (aws logs tail and filter-log-events leave it out): "
                     "name the function with --function");
  constexpr std::string_view kPrefix = "/aws/lambda/";
  if (r.log_group.rfind(kPrefix, 0) == 0) return r.log_group.substr(kPrefix.size());
  return r.log_group;  // a custom log group (advanced logging controls): its name stands for the function
}

// The calls a function's steps make whose latency is inside REPORT Duration.
std::vector<ModelledCall> modelled_calls(const ModelSpec& model, const std::string& function) {
  const ComponentSpec* c = model.find_component(function);
  if (!c || c->type != "lambda") {
    std::string names;
    for (const auto& comp : model.components)
      if (comp.type == "lambda") names += (names.empty() ? "" : ", ") + comp.name;
    throw ModelError(
        SourceLocation{model.file, 0, 0}, "",
        fmt::format("the logs are of function '{}', which is not a lambda of this model (its functions: {}); "
                    "name it with --function",
                    function, names.empty() ? "none" : names));
  }
  const auto& spec = std::get<LambdaSpec>(c->config);
  std::vector<ModelledCall> out;
  for (std::size_t i = 0; i < spec.steps.size(); ++i) {
    const Step& s = spec.steps[i];
    std::string where = fmt::format("components.{}.steps.{}", function, i);
    if (s.kind == Step::Kind::cpu || s.kind == Step::Kind::io || s.kind == Step::Kind::invoke_async) continue;
    if (s.kind == Step::Kind::invoke)
      throw ModelError(
          s.where, where,
          fmt::format("an invoke step waits for '{}' to run to its end, which calibrate cannot take out of "
                      "the measured Duration: calibrate '{}' first, or drop the step while calibrating",
                      s.target, s.target));
    const ComponentSpec* t = model.find_component(s.target);
    Distribution latency;
    std::string verb;
    if (auto* q = std::get_if<SqsSpec>(&t->config)) latency = q->latency, verb = "send";
    else if (auto* n = std::get_if<SnsSpec>(&t->config)) latency = n->latency, verb = "publish";
    else if (auto* k = std::get_if<KinesisSpec>(&t->config)) latency = k->latency, verb = "put";
    else if (auto* d = std::get_if<DynamoDbSpec>(&t->config)) {
      latency = d->latency;
      verb = s.kind == Step::Kind::read    ? "read"
             : s.kind == Step::Kind::write ? "write"
             : s.kind == Step::Kind::query ? "query"
                                           : "transact_write";
    } else {
      continue;
    }
    out.push_back({verb + " " + s.target, where, latency});
  }
  return out;
}

}  // namespace

double lilliefors_critical_value(std::size_t n, double alpha) {
  if (n < 5) throw std::invalid_argument("Lilliefors' critical values need a sample of 5 or more");
  // Dallal & Wilkinson (1986): p = exp(−7.01256 D² (n + 2.78019) + 2.99587 D √(n + 2.78019)
  // − 0.122119 + 0.974598/√n + 1.67997/n) for p < 0.1; above n = 100, D·(n/100)^0.49 at n = 100.
  double m = static_cast<double>(std::min<std::size_t>(n, 100));
  double a = -7.01256 * (m + 2.78019), b = 2.99587 * std::sqrt(m + 2.78019);
  double c = -0.122119 + 0.974598 / std::sqrt(m) + 1.67997 / m - std::log(alpha);
  double d = (-b - std::sqrt(b * b - 4 * a * c)) / (2 * a);
  return n > 100 ? d / std::pow(static_cast<double>(n) / 100.0, 0.49) : d;
}

PositiveFit fit_positive(const std::vector<double>& sample, double resolution, const std::vector<double>& shift) {
  if (sample.size() < kMinimumSamples)
    throw std::invalid_argument(fmt::format("a fit needs at least {} values, got {}", kMinimumSamples, sample.size()));
  std::vector<double> sorted = sample;
  for (double& x : sorted) x = std::max(x, kFloorMs);
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> logs(sorted.size());
  std::transform(sorted.begin(), sorted.end(), logs.begin(), [](double x) { return std::log(x); });
  const double target_mean = mean_of(logs), target_sd = sd_of(logs, target_mean);
  PositiveFit fit;
  fit.samples = sorted.size();
  fit.ks_critical = lilliefors_critical_value(sorted.size(), kKsAlpha);
  double mu = target_mean, sigma = target_sd;
  if (shift.empty()) {
    boost::math::normal_distribution<double> fitted(mu, std::max(sigma, 1e-12));
    fit.ks_statistic = sigma > 0
                           ? ks_distance(
                                 sorted, [&](double x) { return boost::math::cdf(fitted, std::log(x)); }, resolution)
                           : 1.0;
  } else {
    // The handler's own part H is lognormal; the measured duration is H + C, C the calls' latency.
    // Fixed normal draws paired with the calls' draws make the moments smooth in (mu, sigma).
    boost::random::mt19937_64 rng(20240611);
    boost::random::normal_distribution<double> normal;
    std::vector<double> z(shift.size());
    for (double& v : z) v = normal(rng);
    std::vector<double> log_c(shift.size());
    for (std::size_t j = 0; j < shift.size(); ++j) log_c[j] = std::log(std::max(shift[j], 1e-12));
    if (target_mean <= mean_of(log_c) + 1e-9)
      throw std::invalid_argument(fmt::format(
          "the modelled calls alone take about {} ms (median), as long as the measured durations (median {} ms): "
          "the model's call latencies are too high for these logs",
          number_text(std::exp(mean_of(log_c))), number_text(std::exp(target_mean))));
    auto mu_for = [&](double s) {
      return bisect(-60.0, target_mean + 1.0, 60,
                    [&](double m) { return log_moments(m, s, z, shift).first < target_mean; });
    };
    double sd0 = log_moments(mu_for(0.0), 0.0, z, shift).second;
    if (target_sd <= sd0) {
      sigma = 1e-3;  // the calls' spread alone is as wide as the measured one: a (nearly) constant handler
    } else {
      double hi = 2 * target_sd + 1;
      sigma = bisect(0.0, hi, 40, [&](double s) { return log_moments(mu_for(s), s, z, shift).second < target_sd; });
    }
    mu = mu_for(sigma);
    std::vector<double> total(shift.size());
    for (std::size_t j = 0; j < shift.size(); ++j) total[j] = std::exp(mu + sigma * z[j]) + shift[j];
    std::sort(total.begin(), total.end());
    fit.ks_statistic = ks_distance(
        sorted,
        [&](double x) {
          return static_cast<double>(std::upper_bound(total.begin(), total.end(), x) - total.begin()) /
                 static_cast<double>(total.size());
        },
        resolution);
  }
  fit.median = std::exp(mu);
  fit.p99 = std::exp(mu + kZ99 * std::max(sigma, 1e-3));
  std::string test = fmt::format(
      "Kolmogorov-Smirnov D = {:.4f} {} {:.4f}, the {}% critical value at n = {} (Lilliefors)", fit.ks_statistic,
      fit.ks_statistic <= fit.ks_critical ? "<=" : ">", fit.ks_critical, kKsAlpha * 100, sorted.size());
  if (sigma <= 0) {
    fit.kind = PositiveFit::Kind::empirical;
    fit.values = {sorted.front()};
    fit.reason = "every value is the same: a constant";
  } else if (fit.ks_statistic <= fit.ks_critical) {
    fit.kind = PositiveFit::Kind::lognormal;
    fit.reason = test + ": the lognormal fits";
  } else {
    fit.kind = PositiveFit::Kind::empirical;
    double mean_shift = shift.empty() ? 0.0 : mean_of(shift);
    fit.values = empirical_values(sorted);
    for (double& v : fit.values) v = std::max(v - mean_shift, kFloorMs);
    fit.reason = test + ": the lognormal fits badly, so the measured distribution is used as it is" +
                 (sorted.size() > kEmpiricalValues ? fmt::format(" ({} of its quantiles)", kEmpiricalValues) : "") +
                 (shift.empty() ? "" : ", less the calls' mean latency");
  }
  return fit;
}

MeasuredPercentile measured_percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) throw std::invalid_argument("a percentile of no values");
  const std::size_t n = sorted.size();
  auto at_rank = [&](double rank) {  // 1-based order statistic, clamped
    auto r = static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(n)));
    return sorted[r - 1];
  };
  MeasuredPercentile m{p, at_rank(std::ceil(p * static_cast<double>(n))), 0, 0};
  // [x_(l), x_(u)] with l the binomial(n, p) 2.5% quantile and u its 97.5% quantile + 1 covers
  // the true p-quantile with at least 95% probability, whatever the distribution.
  boost::math::binomial_distribution<double> b(static_cast<double>(n), p);
  auto smallest_k = [&](double level) {
    std::size_t lo = 0, hi = n;
    while (lo < hi) {
      std::size_t mid = (lo + hi) / 2;
      if (boost::math::cdf(b, static_cast<double>(mid)) >= level) hi = mid;
      else lo = mid + 1;
    }
    return static_cast<double>(lo);
  };
  const double l = smallest_k(0.025), u = smallest_k(0.975) + 1;
  m.low = at_rank(l);
  m.high = at_rank(u);
  m.bounded = l >= 1 && u <= static_cast<double>(n);
  return m;
}

std::size_t bounded_sample_size(double p) {
  // Both ranks inside 1..n: P(no value below the quantile) = (1 − p)^n and P(none above) = p^n
  // must each be under 2.5%.
  const double worse = std::max(p, 1 - p);
  return static_cast<std::size_t>(std::ceil(std::log(0.025) / std::log(worse)));
}

Proportion wilson_interval(std::size_t successes, std::size_t trials) {
  Proportion out{successes, trials, 0, 0, 0};
  if (trials == 0) return out;
  const double n = static_cast<double>(trials), p = static_cast<double>(successes) / n, z2 = kZ975 * kZ975;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = kZ975 * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  out.share = p;
  out.low = std::max(0.0, centre - half);
  out.high = std::min(1.0, centre + half);
  return out;
}

LogCalibration calibrate_reports(const std::vector<LambdaReport>& reports, const LogCalibrationOptions& options) {
  if (reports.empty())
    throw ModelError(SourceLocation{"calibrate --logs", 0, 0}, "", "no REPORT lines to calibrate from");
  std::map<std::pair<std::string, int>, std::vector<const LambdaReport*>> groups;
  for (const auto& r : reports) groups[{function_of(r, options.function), r.memory_size_mb}].push_back(&r);
  LogCalibration out;
  std::map<std::string, std::vector<Measurement>> by_function;
  for (const auto& [key, rs] : groups) {
    const auto& [function, memory] = key;
    if (rs.size() < kMinimumSamples) {
      out.skipped_groups.push_back(fmt::format("{} at {} MB: {} REPORT lines; a fit needs at least {}", function,
                                               memory, rs.size(), kMinimumSamples));
      continue;
    }
    FunctionCalibration g;
    g.function = function;
    g.memory_mb = memory;
    g.invocations = rs.size();
    std::vector<double> durations, inits, memory_used;
    std::size_t cold = 0, restores = 0, unsuccessful = 0;
    for (const auto* r : rs) {
      durations.push_back(r->duration_ms);
      memory_used.push_back(r->max_memory_used_mb);
      if (r->cold()) ++cold;
      if (r->init_duration_ms) inits.push_back(*r->init_duration_ms);
      else if (r->restore_duration_ms) inits.push_back(*r->restore_duration_ms), ++restores;
      if (!r->status.empty()) ++unsuccessful;
      if (std::find(g.files.begin(), g.files.end(), r->where.file) == g.files.end()) g.files.push_back(r->where.file);
    }
    g.cold_starts = wilson_interval(cold, rs.size());
    std::vector<double> sorted = durations;
    std::sort(sorted.begin(), sorted.end());
    for (double p : {0.5, 0.9, 0.99}) g.duration.push_back(measured_percentile(sorted, p));
    if (!inits.empty()) {
      std::vector<double> s = inits;
      std::sort(s.begin(), s.end());
      for (double p : {0.5, 0.99}) g.init.push_back(measured_percentile(s, p));
    }
    // The calls' latency, drawn once per group from the model (aws-facts §1.6: Duration holds them).
    std::vector<double> shift;
    if (options.model) {
      g.calls = modelled_calls(*options.model, function);
      if (!g.calls.empty()) {
        boost::random::mt19937_64 rng(options.seed);
        shift.assign(kShiftDraws, 0.0);
        for (const auto& call : g.calls)
          for (double& s : shift) s += draw(call.latency, rng) / 1e6;
        std::string list;
        for (const auto& call : g.calls)
          list +=
              fmt::format("{}{} ({}: {})", list.empty() ? "" : ", ", call.step, call.where, describe_ns(call.latency));
        g.notes.push_back(
            "REPORT Duration includes the calls the handler makes; their modelled latency was taken out "
            "(the handler's own part was fitted so that it plus the calls matches the measured Duration): " +
            list + ". Assumed: one attempt per call (no throttling, no SDK retries).");
      } else {
        g.notes.push_back(
            "the function's steps make no call with a latency of its own: the handler's part is the whole Duration");
      }
    } else {
      g.notes.push_back(
          "no model given: the handler's part is the whole REPORT Duration, calls included (with --model, "
          "calibrate takes the modelled latency of the function's calls out of it)");
    }
    try {
      g.handler = fit_positive(durations, kReportMs, shift);
    } catch (const std::invalid_argument& e) {
      throw ModelError(SourceLocation{options.model ? options.model->file : g.files.front(), 0, 0},
                       fmt::format("components.{}", function), e.what());
    }
    if (inits.size() >= kMinimumSamples) {
      g.cold_start = fit_positive(inits, kReportMs);
      g.cold_start_from_restore = restores > 0;
      if (restores > 0)
        g.notes.push_back(
            fmt::format("{} cold starts were SnapStart restores: cold_start is fitted from their Restore "
                        "Duration (aws-facts §1.6)",
                        restores));
    } else {
      g.notes.push_back(
          fmt::format("{} cold starts: cold_start is not fitted (a fit needs at least {}); the model keeps its own",
                      inits.size(), kMinimumSamples));
    }
    g.memory_used = fit_positive(memory_used, 1.0);
    if (unsuccessful > 0)
      g.notes.push_back(
          fmt::format("{} invocations ended other than in success (a Status on their REPORT line): their "
                      "durations are in the fit",
                      unsuccessful));
    double mean_calls = shift.empty() ? 0.0 : mean_of(shift);
    for (double d : durations)
      by_function[function].push_back({static_cast<double>(memory), std::max(d - mean_calls, kFloorMs)});
    out.groups.push_back(std::move(g));
  }
  if (out.groups.empty()) {
    std::string why;
    for (const auto& s : out.skipped_groups) why += (why.empty() ? "" : "; ") + s;
    throw ModelError(SourceLocation{reports.front().where.file, 0, 0}, "",
                     "no function has enough REPORT lines to fit: " + why);
  }
  for (const auto& [function, ms] : by_function) {
    bool several =
        std::any_of(ms.begin(), ms.end(), [&](const Measurement& m) { return m.memory_mb != ms.front().memory_mb; });
    if (several) out.across_memory[function] = calibrate(ms);
  }
  return out;
}

}  // namespace sluice
