#pragma once
// A token bucket refilled continuously: API Gateway's throttle (rate, burst), Lambda's scaling
// rate (1,000 new environments per 10 s per function), a Kinesis shard's write and read limits and a
// DynamoDB table's or partition's throughput are all this. DynamoDB's limits also change while
// they run (reshape: auto scaling, on-demand's peak) and admit a request larger than the whole
// bucket (take, into debt; the rule is DynamoDB's own, in dynamodb_table.cpp).
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernel/sim_time.hpp"

namespace sluice::components {

class TokenBucket {
 public:
  TokenBucket() = default;
  // Starts full: a fresh API or function may use its whole burst at once.
  TokenBucket(double rate_per_s, double capacity)
      : rate_per_ns_(rate_per_s * 1e-9), capacity_(capacity), tokens_(capacity) {}

  // Takes `n` if the bucket holds them; otherwise takes nothing.
  bool try_take(kernel::SimTime now, double n = 1) {
    refill(now);
    if (tokens_ < n) return false;
    tokens_ -= n;
    return true;
  }
  // Takes `n` whatever the bucket holds: it may go below zero (into debt), and then refills
  // from there. For callers with their own admission rule.
  void take(kernel::SimTime now, double n) {
    refill(now);
    tokens_ -= n;
  }
  double tokens(kernel::SimTime now) {
    refill(now);
    return tokens_;
  }
  double capacity() const { return capacity_; }
  // The earliest time from `now` at which the bucket holds `n` (now, if it does already).
  kernel::SimTime when(kernel::SimTime now, double n) {
    refill(now);
    if (tokens_ >= n) return now;
    if (rate_per_ns_ <= 0) return kernel::SimTime::max();
    return kernel::SimTime{now.ns + static_cast<std::int64_t>(std::ceil((n - tokens_) / rate_per_ns_))};
  }
  // A new rate and capacity from `now` on: the tokens saved so far are kept, up to the new capacity.
  void reshape(kernel::SimTime now, double rate_per_s, double capacity) {
    refill(now);
    rate_per_ns_ = rate_per_s * 1e-9;
    capacity_ = capacity;
    tokens_ = std::min(tokens_, capacity_);
  }

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
