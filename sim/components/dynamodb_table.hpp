#pragma once
// A DynamoDB table (aws-facts §5): provisioned capacity as token buckets with burst capacity
// (300 s of unused capacity) and auto scaling by target tracking, or on-demand capacity that
// follows twice the previous peak; partitions with their per-partition limits, so a hot key
// throttles while the table is under capacity; per-request latency; the callers' SDK retries;
// request-unit and capacity-hour pricing.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "engine/call.hpp"
#include "engine/table_request.hpp"
#include "sluice/model.hpp"

namespace sluice::engine {
class Engine;
}

namespace sluice::components {

class DynamoDbTable {
 public:
  DynamoDbTable(engine::Engine& e, const ComponentSpec& spec, std::uint32_t index);

  // A step's call: consumes capacity or is throttled (ProvisionedThroughputExceeded), retried by
  // the SDK with backoff; the caller's reply comes after the last attempt's latency.
  void receive(const engine::Caller& caller, const engine::Lineage& lineage, const engine::TableRequest& request);
  void on_timer(std::uint64_t payload);  // EventKind::dynamodb_timer
  void start();
  void finish_run();

  double cost_usd() const;
  nlohmann::ordered_json summary() const;
  const ComponentSpec& spec() const { return *spec_; }
  const DynamoDbSpec& config() const { return *config_; }

 private:
  engine::Engine* engine_;
  const ComponentSpec* spec_;
  const DynamoDbSpec* config_;
  std::uint32_t index_;
};

}  // namespace sluice::components
