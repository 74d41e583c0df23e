#pragma once
// A Kinesis data stream (aws-facts §4): the model's spec of a `kinesis` component.
#include <string_view>

#include "sluice/distribution.hpp"
#include "sluice/model/retry_policy.hpp"

namespace sluice {

struct KinesisSpec {
  static constexpr std::string_view kType = "kinesis";       // `type:` in the model
  static constexpr std::string_view kDotShape = "cylinder";  // in `sluice graph`
  enum class Mode { provisioned, on_demand };
  Mode mode = Mode::provisioned;
  int shards = 1;                 // provisioned
  double retention_ns = 86400e9;  // 24 h .. 365 d
  RetryPolicy producer_retries;   // the producer's SDK retries of ProvisionedThroughputExceeded
  Distribution latency;           // the PutRecord call
  bool operator==(const KinesisSpec&) const = default;
};

}  // namespace sluice
