#pragma once
// A token bucket refilled continuously: API Gateway's throttle (rate, burst) and Lambda's
// scaling rate (1,000 new environments per 10 s per function) are both this.
#include <algorithm>

#include "kernel/sim_time.hpp"

namespace sluice::components {

class TokenBucket {
 public:
  TokenBucket() = default;
  // Starts full: a fresh API or function may use its whole burst at once.
  TokenBucket(double rate_per_s, double capacity) : rate_per_ns_(rate_per_s * 1e-9), capacity_(capacity), tokens_(capacity) {}

  bool try_take(kernel::SimTime now, double n = 1) {
    refill(now);
    if (tokens_ < n) return false;
    tokens_ -= n;
    return true;
  }
  double tokens(kernel::SimTime now) {
    refill(now);
    return tokens_;
  }
  double capacity() const { return capacity_; }

 private:
  void refill(kernel::SimTime now) {
    if (now.ns > last_.ns) {
      tokens_ = std::min(capacity_, tokens_ + rate_per_ns_ * static_cast<double>(now.ns - last_.ns));
      last_ = now;
    }
  }
  double rate_per_ns_ = 0;
  double capacity_ = 0;
  double tokens_ = 0;
  kernel::SimTime last_{};
};

}  // namespace sluice::components
