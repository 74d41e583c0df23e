#pragma once
// A Kinesis data stream (aws-facts §4): the model's spec of a `kinesis` component.
#include <string>
#include <string_view>
#include <vector>

#include "sluice/distribution.hpp"
#include "sluice/model/links.hpp"
#include "sluice/model/retry_policy.hpp"

namespace sluice {

struct KinesisSpec {
  static constexpr std::string_view kType = "kinesis";       // `type:` in the model
  static constexpr std::string_view kDotShape = "cylinder";  // in `sluice graph`
  // What the loader and `sluice graph` need to know (sluice/model/links.hpp, ServiceSpec).
  static constexpr LinkKind kFromSource = link_kind::put;
  static constexpr LinkKind kFromAsyncSource = link_kind::none;
  static constexpr std::string_view kSourceHint = "";
  static constexpr std::string_view kStepHint = "a put step writes a record to a Kinesis stream";
  static constexpr bool kFunction = false;
  static constexpr bool kStream = true;
  enum class Mode { provisioned, on_demand };
  Mode mode = Mode::provisioned;
  int shards = 1;                                       // provisioned
  double retention_ns = 86400e9;                        // 24 h .. 365 d
  RetryPolicy producer_retries;                         // the producer's SDK retries of ProvisionedThroughputExceeded
  Distribution latency;                                 // the PutRecord call
  static KinesisSpec read(const model::SpecInput& in);  // sim/model/kinesis_reader.cpp
  std::vector<ComponentLink> links() const;
  std::string unpolled_warning() const;
  bool operator==(const KinesisSpec&) const = default;
};

}  // namespace sluice
