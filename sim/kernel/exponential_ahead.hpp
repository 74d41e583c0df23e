#pragma once
// Exponential draws from one stream taken one draw ahead: log(u) of the next draw is computed
// when the current one is taken, so the caller's next event time does not wait for the log. The
// same numbers in the same order as RandomStream::exponential on that stream (the draws depend
// only on the stream, never on what the caller does between them).
#include <cmath>

#include "kernel/random_stream.hpp"

namespace sluice::kernel {

class ExponentialAhead {
 public:
  ExponentialAhead() = default;
  explicit ExponentialAhead(RandomStream& rng) : next_log_u_(std::log(rng.uniform01())) {}
  // As rng.exponential(mean), the stream's next draw.
  double draw(double mean, RandomStream& rng) {
    double x = -mean * next_log_u_;  // RandomStream::exponential's formula
    next_log_u_ = std::log(rng.uniform01());
    return x;
  }

 private:
  double next_log_u_ = 0;
};

}  // namespace sluice::kernel
