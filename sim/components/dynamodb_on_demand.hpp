#pragma once
// The throughput an on-demand DynamoDB table sustains at once (aws-facts §5), for one dimension
// (reads or writes): a new table's (4,000 WRU/s, 12,000 RRU/s) or a warm throughput set in
// advance, and up to twice the previous peak; "throttling is possible if traffic exceeds 2x the
// previous peak within 30 min".
//
// Model (simplified, an assumption): the peak is the highest per-minute average consumption, and
// a minute's consumption becomes the "previous peak" 30 minutes after that minute ended. So
// limit = max(warm, 2 x the highest minute that ended at least 30 minutes ago), capped at the
// per-table quota (40,000 units/s by default, account.dynamodb_table_quota; or the warm
// throughput, if set higher). A table pushed
// beyond its limit at most doubles it every 30 minutes; traffic that grows no faster than 2x per
// 30 minutes is never throttled.
#include <algorithm>
#include <array>
#include <cstdint>

#include "kernel/sim_time.hpp"

namespace sluice::components {

inline constexpr double kTableQuotaUnits = 40000;  // per table and dimension, by default (aws-facts §5)

class OnDemandThroughput {
 public:
  static constexpr int kSettleMinutes = 30;

  explicit OnDemandThroughput(double warm_units = 0, double quota_units = kTableQuotaUnits)
      : warm_(warm_units), quota_(quota_units) {}

  // Units consumed at `now` (not before the last call).
  void consume(kernel::SimTime now, double units) {
    roll(now);
    minute_units_ += units;
  }
  // The units per second the table sustains at `now`.
  double limit(kernel::SimTime now) {
    roll(now);
    return std::min(std::max(warm_, 2 * settled_peak_), std::max(warm_, quota_));
  }

 private:
  static std::int64_t minute_of(kernel::SimTime t) { return t.ns / 60'000'000'000; }
  // Closes the minutes before now's: each enters the last 30 minutes' ring, pushing out the one
  // that ended 30 minutes ago into the settled peak.
  void roll(kernel::SimTime now) {
    std::int64_t m = minute_of(now);
    if (m == minute_) return;
    if (m - minute_ > kSettleMinutes) {  // everything seen so far has settled
      for (double& r : recent_) settled_peak_ = std::max(settled_peak_, r), r = 0;
      settled_peak_ = std::max(settled_peak_, minute_units_ / 60);
    } else {
      for (std::int64_t k = minute_; k < m; ++k) {
        double& slot = recent_[static_cast<std::size_t>(k % kSettleMinutes)];
        settled_peak_ = std::max(settled_peak_, slot);  // minute k - 30
        slot = k == minute_ ? minute_units_ / 60 : 0;
      }
    }
    minute_ = m;
    minute_units_ = 0;
  }

  double warm_, quota_;
  double settled_peak_ = 0;
  std::int64_t minute_ = 0;
  double minute_units_ = 0;
  std::array<double, kSettleMinutes> recent_{};  // units/s of the last 30 closed minutes, by minute % 30
};

}  // namespace sluice::components
