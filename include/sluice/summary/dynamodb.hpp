#pragma once
// A DynamoDB table's section of summary.json: CloudWatch's AWS/DynamoDB metrics, the SDK's
// retries, and the table's stream when it has one.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/summary/figures.hpp"
#include "sluice/summary/kinesis.hpp"

namespace sluice::summary {

// Calls by the number of attempts they took: written as {"1": n, "2": n, ...}.
struct SdkAttempts {
  std::vector<std::uint64_t> calls;  // [k]: calls that ended after k + 1 attempts
  template <class V>
  void fields(V& v) const {
    for (std::size_t k = 0; k < calls.size(); ++k) v(std::to_string(k + 1), calls[k]);
  }
};

// What the table counts as it runs (after the warm-up): the component keeps these in its own
// copy, which becomes the section's.
struct DynamoDbCounts {
  double consumed_read_units = 0, consumed_write_units = 0;
  std::uint64_t requests = 0;             // calls from steps (each with its SDK retries)
  std::uint64_t successful_requests = 0;  // calls that succeeded (on some attempt)
  std::uint64_t throttled_requests = 0;   // ThrottledRequests: attempts refused for throughput
  std::uint64_t read_throttle_events = 0, write_throttle_events = 0;
  std::uint64_t system_errors = 0;     // attempts answered 5xx (an outage fault)
  std::uint64_t sdk_retries = 0;       // attempts after a call's first
  std::uint64_t duplicate_writes = 0;  // items written again by a replayed record
};

struct DynamoDbMetrics : DynamoDbCounts {
  bool on_demand = false;                 // names the capacity gauges
  MeanMax read_capacity, write_capacity;  // provisioned units, or on-demand throughput limits
  Latency successful_request_latency_ms;
  SdkAttempts sdk_attempts;
  std::uint64_t failed_requests = 0;
  template <class V>
  void fields(V& v) const {
    v("ConsumedReadCapacityUnits", consumed_read_units);
    v("ConsumedWriteCapacityUnits", consumed_write_units);
    v(on_demand ? "OnDemandReadThroughputLimit" : "ProvisionedReadCapacityUnits", read_capacity);
    v(on_demand ? "OnDemandWriteThroughputLimit" : "ProvisionedWriteCapacityUnits", write_capacity);
    v("ReadThrottleEvents", read_throttle_events);
    v("WriteThrottleEvents", write_throttle_events);
    v("ThrottledRequests", throttled_requests);
    v("SystemErrors", system_errors);
    v("SuccessfulRequestLatency_ms", successful_request_latency_ms);
    v("Requests", requests);
    v("SuccessfulRequests", successful_requests);
    v("SdkRetries", sdk_retries);
    v("SdkAttempts", sdk_attempts);
    v("FailedRequests", failed_requests);
    v("DuplicateWrites", duplicate_writes);
  }
};

struct Autoscaling {
  std::uint64_t increases = 0, decreases = 0;  // capacity changes applied
  template <class V>
  void fields(V& v) const {
    v("increases", increases);
    v("decreases", decreases);
  }
};

struct DynamoDb {
  std::uint32_t partitions = 0;
  std::optional<Autoscaling> autoscaling;
  DynamoDbMetrics metrics;
  Failed failed;
  Cost cost_usd;
  std::optional<Kinesis> stream;  // with stream: true
  template <class V>
  void fields(V& v) const {
    v("type", std::string_view("dynamodb"));
    v("mode", std::string_view(metrics.on_demand ? "on_demand" : "provisioned"));
    v("partitions", partitions);
    v("autoscaling", autoscaling);
    v("metrics", metrics);
    v("failed", failed);
    v("cost_usd", cost_usd);
    v("stream", stream);
  }

  static constexpr std::string_view kTableTitle = "table";
  static constexpr std::array<Column, 7> kColumns{{{"requests", 10},
                                                   {"RCU total", 10},
                                                   {"WCU total", 10},
                                                   {"throttles", 10},
                                                   {"failed", 8},
                                                   {"dup writes", 10},
                                                   {"cost", 10}}};
  std::array<Cell, 7> table_row() const {
    const auto& m = metrics;
    return {Cell::count(m.requests),
            Cell::number(m.consumed_read_units, 0),
            Cell::number(m.consumed_write_units, 0),
            Cell::count(m.throttled_requests),
            Cell::count(m.failed_requests),
            Cell::count(m.duplicate_writes),
            Cell::usd(cost_usd.total)};
  }
  // Requests refused for throughput.
  Pressure pressure() const { return {0, 0, metrics.throttled_requests, 0, 0}; }
};

}  // namespace sluice::summary
