#pragma once
// When a source's requests arrive: Poisson or evenly spaced at a rate that may change over time
// (constant, Artillery-style phases with ramps, diurnal), or replayed from a trace. Draws come
// only from the source's own stream, so arrivals depend only on the seed and the source's name.
#include <cstdint>

#include "kernel/exponential_ahead.hpp"
#include "kernel/random_stream.hpp"
#include "kernel/sim_time.hpp"
#include "sluice/model.hpp"

namespace sluice::components {

class ArrivalProcess {
 public:
  ArrivalProcess(const Arrivals& spec, kernel::RandomStream rng);
  // The next arrival strictly after the previous one, or SimTime::max() when there is none.
  // Poisson at a constant rate, the common case, is one exponential draw, inline, and drawn one
  // arrival ahead: the gap was drawn at the previous arrival, so the time of this one does not
  // wait for the draw's log. The stream is the arrivals' own: the same numbers in the same order.
  kernel::SimTime next() {
    if (constant_poisson_mean_ns_ > 0) return at(t_ns_ + gaps_.draw(constant_poisson_mean_ns_, rng_));
    return next_shaped();
  }
  // The intended rate at time t (per second), for documentation and tests.
  double rate_at(double t_ns) const;

 private:
  double max_rate_from(double t_ns, double* until_ns) const;  // an upper bound of the rate on [t, until)
  double cumulative(double t_ns) const;                       // expected arrivals in [0, t)
  kernel::SimTime next_shaped();
  kernel::SimTime at(double t) {  // the arrival at t ns (none if t is infinite or past 9e18 ns)
    if (!(t < 9e18)) return kernel::SimTime::max();
    t_ns_ = t;
    return kernel::SimTime::from_ns_rounded(t);
  }
  double next_poisson();
  double next_uniform();
  double next_trace();

  const Arrivals* spec_;
  kernel::RandomStream rng_;
  double t_ns_ = 0;  // time of the previous arrival
  // Poisson at a constant positive rate: the mean interarrival, 1e9 / rate (as next_poisson
  // computes it); 0 otherwise.
  double constant_poisson_mean_ns_ = 0;
  kernel::ExponentialAhead gaps_;  // constant-rate Poisson: the gaps, drawn one ahead
  double shape_end_ns_ = 0;        // phases end; constant and diurnal never end
  std::size_t trace_index_ = 0;
  std::int64_t trace_in_interval_ = 0;
  std::vector<double> interval_times_;  // counts: the arrival times drawn for the current interval
};

}  // namespace sluice::components
