#pragma once
// A DynamoDB table (aws-facts §5): the model's spec of a `dynamodb` component.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/distribution.hpp"
#include "sluice/model/links.hpp"
#include "sluice/model/retry_policy.hpp"

namespace sluice {

// DynamoDB auto scaling by target tracking (aws-facts §5), applied to reads and writes alike.
struct AutoscalingSpec {
  double min_units = 1, max_units = 40000;
  double target = 0.7;  // utilization, 20% .. 90%
  bool operator==(const AutoscalingSpec&) const = default;
};

// A DynamoDB table (aws-facts §5).
struct DynamoDbSpec {
  static constexpr std::string_view kType = "dynamodb";   // `type:` in the model
  static constexpr std::string_view kDotShape = "box3d";  // in `sluice graph`
  // What the loader and `sluice graph` need to know (sluice/model/links.hpp, ServiceSpec).
  static constexpr LinkKind kFromSource = link_kind::none;
  static constexpr LinkKind kFromAsyncSource = link_kind::none;
  static constexpr std::string_view kSourceHint =
      "a table is called from functions' steps: point the source at a function with a read, write, query or "
      "transact_write step";
  static constexpr std::string_view kStepHint = "read, write, query and transact_write steps call a DynamoDB table";
  static constexpr bool kFunction = false;
  static constexpr bool kStream = true;
  enum class Mode { provisioned, on_demand };
  Mode mode = Mode::provisioned;
  double read_capacity = 5, write_capacity = 5;  // provisioned RCU / WCU per second
  std::optional<AutoscalingSpec> autoscaling;
  // on-demand: the throughput a table sustains at once (a new table: 4,000 WRU/s, 12,000 RRU/s,
  // or a warm throughput set in advance)
  double warm_read_units = 12000, warm_write_units = 4000;
  double table_size_bytes = 0;  // with capacity, decides the number of partitions
  Distribution latency;         // per request
  RetryPolicy sdk_retries;      // the callers' SDK (standard mode by default)
  bool stream = false;          // DynamoDB Streams: every written item becomes a record a trigger can poll
  static DynamoDbSpec read(const model::SpecInput& in);  // sim/model/dynamodb_reader.cpp
  std::vector<ComponentLink> links() const;
  std::string unpolled_warning() const;
  bool operator==(const DynamoDbSpec&) const = default;
};

}  // namespace sluice
