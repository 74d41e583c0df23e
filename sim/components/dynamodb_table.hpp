#pragma once
// A DynamoDB table (aws-facts §5): provisioned capacity as token buckets with burst capacity
// (300 s of unused capacity) and auto scaling by target tracking, or on-demand capacity that
// follows twice the previous peak; partitions with their per-partition limits, so a hot key
// throttles while the table is under capacity; per-request latency; the callers' SDK retries;
// request-unit and capacity-hour pricing.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "components/dynamodb_autoscaling.hpp"
#include "components/dynamodb_on_demand.hpp"
#include "components/dynamodb_partitions.hpp"
#include "components/kinesis_stream.hpp"
#include "components/token_bucket.hpp"
#include "engine/call.hpp"
#include "engine/event_route.hpp"
#include "engine/table_request.hpp"
#include "kernel/pool.hpp"
#include "kernel/random_stream.hpp"
#include "metrics/latency_histogram.hpp"
#include "metrics/time_series.hpp"
#include "sluice/failure.hpp"
#include "sluice/model.hpp"
#include "sluice/summary/dynamodb.hpp"

namespace sluice::engine {
class Runtime;
}

namespace sluice::components {

class DynamoDbTable {
 public:
  static constexpr std::string_view kType = "dynamodb";  // the model's type: engine/services.hpp
  DynamoDbTable(engine::Runtime& e, const ComponentSpec& spec, engine::EventRoute route);

  // A step's call: consumes capacity or is throttled (ProvisionedThroughputExceeded), retried by
  // the SDK with backoff; the caller's reply comes after the last attempt's latency.
  void receive(const engine::Caller& caller, const engine::Lineage& lineage, const engine::TableRequest& request);
  enum class Event : std::uint8_t {
    timer,   // payload: the table's own (SDK retries, auto scaling, capacity)
    stream,  // its stream's event (KinesisStream::Event, one)
  };
  void on_event(Event event, std::uint64_t payload);
  void connect();  // builds its stream (stream: true)
  void start();
  void finish_run();
  std::uint64_t messages_in_flight() const { return stream_ ? stream_->messages_in_flight() : 0; }
  // What an event source mapping polls: the table's stream (stream: true), else nothing.
  KinesisStream* polled() { return stream_ ? &*stream_ : nullptr; }

  double cost_usd() const;
  summary::DynamoDb summary() const;
  const ComponentSpec& spec() const { return *spec_; }
  const DynamoDbSpec& config() const { return *config_; }
  bool on_demand() const { return on_demand_; }
  std::uint32_t partitions() const { return partitions_.count(); }

  // CloudWatch names (AWS/DynamoDB) and the SDK's view, counted after the warm-up.
  summary::DynamoDbCounts counts;
  std::uint64_t capacity_increases = 0, capacity_decreases = 0;  // auto scaling's changes applied
  std::vector<std::uint64_t> attempts;                           // [k]: calls that ended after k + 1 attempts
  sluice::FailureCounts failed{};  // calls whose last attempt failed: throttled, dependency_failed
  metrics::LatencyHistogram successful_request_latency_ms;  // SuccessfulRequestLatency (per attempt)
  metrics::Gauge provisioned_read, provisioned_write;  // provisioned: the capacity; on-demand: the throughput limit
  double cost_read_request_units_usd = 0, cost_write_request_units_usd = 0;
  double cost_read_capacity_hours_usd = 0, cost_write_capacity_hours_usd = 0;

 private:
  void on_timer(std::uint64_t payload);
  // A call refused (throttled or 5xx) that the SDK will try again.
  struct PendingCall {
    engine::Caller caller;
    engine::Lineage lineage;
    engine::TableRequest request;
    std::uint32_t attempt = 1;
  };
  enum class Dimension { read, write };
  void attempt(const engine::Caller& caller, const engine::Lineage& lineage, const engine::TableRequest& request,
               std::uint32_t attempt);
  void succeed(const engine::Lineage& lineage, const engine::TableRequest& request);
  void end_call(std::uint32_t attempts, sluice::Failure outcome);
  // Provisioned: a new capacity for one dimension (auto scaling), its bucket reshaped.
  void set_capacity(Dimension d, double units);
  void on_minute();  // auto scaling: one CloudWatch datapoint per dimension
  void follow_on_demand_limits();
  void grow_partitions();

  engine::Runtime* engine_;
  const ComponentSpec* spec_;
  const DynamoDbSpec* config_;
  engine::EventRoute route_;
  std::uint32_t index_, component_;
  // DynamoDB Streams (stream: true): a stream with a shard per partition and 24 h retention
  // (aws-facts §5), read by the same event source mapping as Kinesis; a part of the table.
  ComponentSpec stream_spec_;
  std::optional<KinesisStream> stream_;
  bool on_demand_;
  // The table's own limit per dimension: provisioned capacity with 300 s of burst, or the
  // on-demand throughput one second deep.
  TokenBucket table_read_, table_write_;
  double read_capacity_, write_capacity_;  // the current provisioned capacity / on-demand limit
  DynamoDbPartitions partitions_;
  OnDemandThroughput on_demand_read_, on_demand_write_;
  // Auto scaling (provisioned with autoscaling only).
  std::optional<TargetTracking> scale_read_, scale_write_;
  DailyDecreaseLimit decreases_;
  double minute_read_units_ = 0, minute_write_units_ = 0;  // consumed in the current minute
  std::optional<double> pending_read_, pending_write_;     // capacity changes under way
  kernel::Pool<PendingCall> pending_;
  std::vector<double> read_units_by_source_, write_units_by_source_;  // to share the capacity-hours
  kernel::RandomStream rng_latency_, rng_backoff_, rng_keys_;
  double price_read_unit_ = 0, price_write_unit_ = 0, price_rcu_hour_ = 0, price_wcu_hour_ = 0;
  int series_consumed_read_, series_consumed_write_, series_throttled_, series_read_throttles_, series_write_throttles_,
      series_latency_, series_duplicates_;
};

}  // namespace sluice::components
