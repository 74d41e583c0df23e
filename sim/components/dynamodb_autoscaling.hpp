#pragma once
// DynamoDB auto scaling: Application Auto Scaling's target tracking of a table's consumed
// capacity (aws-facts §5), one policy per dimension (reads, writes), and the table's daily limit
// on capacity decreases. Pure logic over one-minute CloudWatch datapoints; the table applies what
// it decides (dynamodb_table.cpp) after the provisioning delay.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

#include "kernel/sim_time.hpp"
#include "sluice/model.hpp"

namespace sluice::components {

// The alarms target tracking creates, as datapoints of one minute each:
// - scale out when utilization (consumed / provisioned) is above the target for 2 consecutive
//   minutes. Assumption: aws-facts §5 marks "2 datapoints within 2 minutes" unverified (U);
// - scale in when it is low for 15 consecutive minutes ("15 datapoints within 15 minutes",
//   observed, §5). Assumption: "low" is below 80% of the target (AWS sets the low alarm's
//   threshold under the target; no AWS number was found). With the target itself as threshold, a
//   table running just under its target would count as low for good, and a later drop in traffic
//   would scale it in at once instead of after 15 minutes.
// Either way the new capacity is consumed / target, rounded up to a whole unit and kept within
// [min, max]; a scale-out only ever raises the capacity and a scale-in only ever lowers it.
inline constexpr int kScaleOutDatapoints = 2;
inline constexpr int kScaleInDatapoints = 15;
inline constexpr double kScaleInThreshold = 0.8;  // of the target

class TargetTracking {
 public:
  explicit TargetTracking(const AutoscalingSpec& spec) : spec_(spec) {}

  // One minute's datapoint: units consumed per second on average against the capacity
  // provisioned. Returns the capacity the policy asks for, if an alarm fires.
  std::optional<double> observe(double consumed_per_s, double provisioned) {
    double utilization = provisioned > 0 ? consumed_per_s / provisioned : 0;
    above_ = utilization > spec_.target ? above_ + 1 : 0;
    below_ = utilization < kScaleInThreshold * spec_.target ? below_ + 1 : 0;
    double wanted = std::clamp(std::ceil(consumed_per_s / spec_.target - 1e-9), spec_.min_units, spec_.max_units);
    if (above_ >= kScaleOutDatapoints && wanted > provisioned) return wanted;
    if (below_ >= kScaleInDatapoints && wanted < provisioned) return wanted;
    return std::nullopt;
  }
  // The alarms start counting afresh once a new capacity is in place.
  void reset() { above_ = below_ = 0; }

 private:
  AutoscalingSpec spec_;
  int above_ = 0, below_ = 0;
};

// Decreases of a table's provisioned capacity (aws-facts §5): 4 in the first hour of a UTC day,
// then 1 in each later hour, so at most 27 a day. Assumptions: simulated time 0 is midnight UTC;
// an hour's unused decreases do not carry over; read and write decreases count against the same
// table-wide limit (each is its own UpdateTable call).
class DailyDecreaseLimit {
 public:
  static constexpr int kFirstHour = 4;

  bool allowed(kernel::SimTime now) const {
    auto [day, hour] = day_hour(now);
    if (day != day_) return true;
    return hour == 0 ? first_hour_ < kFirstHour : last_hour_ != hour;
  }
  void record(kernel::SimTime now) {
    auto [day, hour] = day_hour(now);
    if (day != day_) {
      day_ = day;
      first_hour_ = 0;
      last_hour_ = -1;
    }
    if (hour == 0) ++first_hour_;
    else last_hour_ = hour;
  }

 private:
  struct DayHour {
    std::int64_t day, hour;
  };
  static DayHour day_hour(kernel::SimTime now) {
    constexpr std::int64_t kHour = 3600'000'000'000, kDay = 24 * kHour;
    return {now.ns / kDay, (now.ns % kDay) / kHour};
  }
  std::int64_t day_ = -1, last_hour_ = -1;
  int first_hour_ = 0;
};

}  // namespace sluice::components
