#pragma once
// A DynamoDB throughput limit as a token bucket whose rate and depth can change while it runs:
// a provisioned table's capacity (refilled at the provisioned rate, holding up to 300 s of unused
// capacity as burst capacity, aws-facts §5) follows auto scaling; an on-demand table's throughput
// follows its peak; a partition's is fixed (3,000 RCU / 1,000 WCU per second).
//
// Unlike components::TokenBucket, a request larger than the bucket's whole depth is let through
// when the bucket is full and leaves it in debt (a 400 KB item is 400 WCU: a 5 WCU table with
// little burst would otherwise refuse it forever). DynamoDB likewise admits a request against
// capacity it has and charges its full size.
#include <algorithm>

#include "kernel/sim_time.hpp"

namespace sluice::components {

class ThroughputBucket {
 public:
  ThroughputBucket() = default;
  // Starts holding `initial` tokens (clamped to the depth).
  ThroughputBucket(double rate_per_s, double depth, double initial)
      : rate_per_ns_(rate_per_s * 1e-9), depth_(depth), tokens_(std::min(initial, depth)) {}

  double tokens(kernel::SimTime now) {
    refill(now);
    return tokens_;
  }
  bool can_take(kernel::SimTime now, double units) {
    refill(now);
    return units <= 0 || tokens_ >= units || tokens_ >= depth_;
  }
  void take(kernel::SimTime now, double units) {
    refill(now);
    tokens_ -= units;
  }
  // A new rate and depth from `now` on: the tokens saved so far are kept, up to the new depth.
  void reshape(kernel::SimTime now, double rate_per_s, double depth) {
    refill(now);
    rate_per_ns_ = rate_per_s * 1e-9;
    depth_ = depth;
    tokens_ = std::min(tokens_, depth_);
  }
  double rate_per_s() const { return rate_per_ns_ * 1e9; }
  double depth() const { return depth_; }

 private:
  void refill(kernel::SimTime now) {
    if (now.ns > last_.ns) {
      tokens_ = std::min(depth_, tokens_ + rate_per_ns_ * static_cast<double>(now.ns - last_.ns));
      last_ = now;
    }
  }
  double rate_per_ns_ = 0;
  double depth_ = 0;
  double tokens_ = 0;
  kernel::SimTime last_{};
};

}  // namespace sluice::components
