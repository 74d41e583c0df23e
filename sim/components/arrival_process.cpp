#include "components/arrival_process.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace sluice::components {
namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
}

ArrivalProcess::ArrivalProcess(const Arrivals& spec, kernel::RandomStream rng) : spec_(&spec), rng_(std::move(rng)) {
  shape_end_ns_ = kNever;
  if (spec.process == Arrivals::Process::poisson && spec.shape == Arrivals::Shape::constant && spec.rate_per_s > 0) {
    constant_poisson_mean_ns_ = 1e9 / spec.rate_per_s;
    gaps_ = kernel::ExponentialAhead(rng_);
  }
  if (spec.shape == Arrivals::Shape::phases) {
    shape_end_ns_ = 0;
    for (const auto& p : spec.phases) shape_end_ns_ += p.duration_ns;
  }
}

double ArrivalProcess::rate_at(double t) const {
  switch (spec_->shape) {
    case Arrivals::Shape::constant:
      return spec_->rate_per_s;
    case Arrivals::Shape::diurnal: {
      const Diurnal& d = spec_->diurnal;
      return d.mean_per_s * (1 + d.amplitude * std::cos(2 * std::numbers::pi * (t - d.peak_at_ns) / d.period_ns));
    }
    case Arrivals::Shape::phases: {
      double start = 0;
      for (const auto& p : spec_->phases) {
        if (t < start + p.duration_ns) {
          double end_rate = p.ramp_to_per_s.value_or(p.rate_per_s);
          return p.rate_per_s + (end_rate - p.rate_per_s) * (t - start) / p.duration_ns;
        }
        start += p.duration_ns;
      }
      return 0;
    }
    case Arrivals::Shape::trace:
      return 0;
  }
  return 0;
}

double ArrivalProcess::max_rate_from(double t, double* until) const {
  switch (spec_->shape) {
    case Arrivals::Shape::constant:
      *until = kNever;
      return spec_->rate_per_s;
    case Arrivals::Shape::diurnal:
      *until = kNever;
      return spec_->diurnal.mean_per_s * (1 + spec_->diurnal.amplitude);
    case Arrivals::Shape::phases: {
      double start = 0;
      for (const auto& p : spec_->phases) {
        if (t < start + p.duration_ns) {
          *until = start + p.duration_ns;
          return std::max(p.rate_per_s, p.ramp_to_per_s.value_or(p.rate_per_s));
        }
        start += p.duration_ns;
      }
      *until = kNever;
      return 0;
    }
    case Arrivals::Shape::trace:
      break;
  }
  *until = kNever;
  return 0;
}

double ArrivalProcess::cumulative(double t) const {
  switch (spec_->shape) {
    case Arrivals::Shape::constant:
      return spec_->rate_per_s * t * 1e-9;
    case Arrivals::Shape::diurnal: {
      const Diurnal& d = spec_->diurnal;
      double w = 2 * std::numbers::pi / d.period_ns;
      return d.mean_per_s * 1e-9 *
             (t + d.amplitude / w * (std::sin(w * (t - d.peak_at_ns)) - std::sin(-w * d.peak_at_ns)));
    }
    case Arrivals::Shape::phases: {
      double start = 0, total = 0;
      for (const auto& p : spec_->phases) {
        double end_rate = p.ramp_to_per_s.value_or(p.rate_per_s);
        double span = std::min(t - start, p.duration_ns);
        if (span <= 0) break;
        total += 1e-9 * (p.rate_per_s * span + (end_rate - p.rate_per_s) * span * span / (2 * p.duration_ns));
        start += p.duration_ns;
      }
      return total;
    }
    case Arrivals::Shape::trace:
      return 0;
  }
  return 0;
}

// Non-homogeneous Poisson by thinning (Lewis & Shedler): candidates at the piece's maximum
// rate, each kept with probability rate(t) / max. Memoryless, so a candidate that passes the
// end of a piece restarts from there.
double ArrivalProcess::next_poisson() {
  double t = t_ns_;
  while (t < shape_end_ns_) {
    double until = kNever;
    double max_rate = max_rate_from(t, &until);
    if (max_rate <= 0) {
      t = until;
      continue;
    }
    double candidate = t + rng_.exponential(1e9 / max_rate);
    if (candidate >= until) {
      t = until;
      continue;
    }
    t = candidate;
    if (spec_->shape == Arrivals::Shape::constant || rng_.uniform01() * max_rate <= rate_at(t)) return t;
  }
  return kNever;
}

// Evenly spaced: the k-th arrival is where the expected count reaches k, found by bisection on
// the cumulative rate (monotone), so ramps from zero and diurnal troughs need no special case.
double ArrivalProcess::next_uniform() {
  if (spec_->shape == Arrivals::Shape::constant)
    return spec_->rate_per_s > 0 ? t_ns_ + 1e9 / spec_->rate_per_s : kNever;
  double target = std::floor(cumulative(t_ns_) + 1e-9) + 1;
  double lo = t_ns_, step = 1e9, hi = t_ns_ + step;
  while (cumulative(hi) < target) {
    lo = hi;
    step *= 2;
    hi = t_ns_ + step;
    if (hi >= shape_end_ns_ && cumulative(shape_end_ns_) < target) return kNever;
    if (step > 1e20) return kNever;
  }
  for (int i = 0; i < 64 && hi - lo > 0.5; ++i) {
    double mid = 0.5 * (lo + hi);
    (cumulative(mid) < target ? lo : hi) = mid;
  }
  return hi;
}

// A trace is replayed as recorded. Counts per interval are spread uniformly at random within
// their interval (drawn and sorted one interval at a time).
double ArrivalProcess::next_trace() {
  const Trace& tr = spec_->trace;
  if (tr.format == Trace::Format::timestamps)
    return trace_index_ < tr.times_ns.size() ? tr.times_ns[trace_index_++] : kNever;
  while (interval_times_.empty() || trace_in_interval_ >= static_cast<std::int64_t>(interval_times_.size())) {
    if (trace_index_ >= tr.counts.size()) return kNever;
    double start = static_cast<double>(trace_index_) * tr.interval_ns;
    interval_times_.assign(static_cast<std::size_t>(tr.counts[trace_index_]), 0.0);
    for (double& x : interval_times_) x = start + rng_.uniform01() * tr.interval_ns;
    std::sort(interval_times_.begin(), interval_times_.end());
    trace_in_interval_ = 0;
    ++trace_index_;
    if (interval_times_.empty()) continue;
  }
  return interval_times_[static_cast<std::size_t>(trace_in_interval_++)];
}

kernel::SimTime ArrivalProcess::next_shaped() {
  double t = kNever;
  switch (spec_->process) {
    case Arrivals::Process::poisson:
      t = next_poisson();
      break;
    case Arrivals::Process::uniform:
      t = next_uniform();
      break;
    case Arrivals::Process::trace:
      t = next_trace();
      break;
  }
  return at(t);
}

}  // namespace sluice::components
