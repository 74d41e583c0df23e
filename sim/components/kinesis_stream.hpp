#pragma once
// A Kinesis data stream (aws-facts §4): provisioned shards with their write limits (1 MB/s
// and 1,000 records/s each; the producer retries ProvisionedThroughputExceeded) and read limits
// (2 MB/s and 5 GetRecords calls per second each, shared by the standard consumers) or on-demand
// capacity; partition keys hashed to shards; retention expiry; shard-hour and PUT-unit pricing.
//
// Each accepted record becomes one unit of work per consumer (event source mapping): every
// consumer reads every record and checkpoints on its own. The copies live in the consumers'
// lanes; a stream with no consumer keeps one copy until its retention ends.
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <vector>

#include "components/token_bucket.hpp"
#include "engine/call.hpp"
#include "engine/event_route.hpp"
#include "engine/message.hpp"
#include "kernel/key_hash.hpp"
#include "kernel/pool.hpp"
#include "kernel/random_stream.hpp"
#include "metrics/time_series.hpp"
#include "sluice/failure.hpp"
#include "sluice/model.hpp"
#include "sluice/summary/kinesis.hpp"

namespace sluice::engine {
class Runtime;
}

namespace sluice::components {

class KinesisEventSourceMapping;

class KinesisStream {
 public:
  static constexpr std::string_view kType = "kinesis";  // the model's type: engine/services.hpp
  // `table`: the component index of the DynamoDB table whose stream this is (DynamoDB Streams,
  // a part of the table): read by the same event source mapping, written by the table (no write
  // limits, no charges), its records and faults those of the table.
  KinesisStream(engine::Runtime& e, const ComponentSpec& spec, engine::EventRoute route,
                std::optional<std::uint32_t> table = std::nullopt);
  // A record the table wrote (one per item written).
  void append(const engine::Lineage& lineage);
  // The mapping's polling rate: 1 per second per shard on Kinesis, 4 per second on DynamoDB
  // Streams (aws-facts §4).
  std::int64_t poll_interval_ns() const { return table_stream_ ? 250'000'000 : 1'000'000'000; }

  // PutRecord from a source or a function's step: accepted (a new message) or refused; the
  // caller's reply comes after the call's latency.
  void receive(const engine::Caller& caller, const engine::Lineage& lineage);
  enum class Event : std::uint8_t { timer };  // payload: the stream's own (retention, producer retries)
  void on_event(Event, std::uint64_t payload) { on_timer(payload); }
  KinesisStream* polled() { return this; }  // what an event source mapping on it polls
  void on_timer(std::uint64_t payload);
  void attach(KinesisEventSourceMapping* consumer);  // every consumer reads every record
  void finish_run();

  std::uint64_t messages_in_flight() const;  // counted from the stream's pool of records
  double cost_usd() const;
  summary::Kinesis summary() const;
  const ComponentSpec& spec() const { return *spec_; }
  const KinesisSpec& config() const { return *config_; }
  // Shards as consumers see them (an on-demand stream: 4, see the constructor).
  std::uint32_t shards() const { return shards_; }

  // --- for the consumers ---
  // A record copy has ended (processed, expired or given up): one fewer in the backlog.
  void record_ended(sluice::Failure outcome);
  // Bytes a consumer read (on-demand streams bill data read).
  void charge_read(const engine::Lineage& lineage);
  // GetRecords by a standard consumer (aws-facts §4): a shard serves 5 calls and 2 MB per second,
  // shared by all its standard consumers; a call reads at most 10,000 records and 10 MB, and one
  // that reads more than the second's 2 MB makes the next calls wait until the shard has caught
  // up (a 10 MB read: about 5 s). The earliest time a call on `shard` is allowed (now if it is),
  // counting a refused call (ReadProvisionedThroughputExceeded) when it is not.
  kernel::SimTime get_records_allowed(std::uint32_t shard);
  // A call made on `shard` that read `records` records of `bytes` in all.
  void get_records(std::uint32_t shard, std::uint32_t records, double bytes);

  // CloudWatch names (AWS/Kinesis), counted after the warm-up.
  summary::KinesisCounts counts;
  sluice::FailureCounts failed{};  // puts refused (throttled, rejected, dependency_failed); copies retention_expired
  metrics::Gauge backlog;          // record copies not yet processed by their consumer
  double cost_shard_hours_usd = 0, cost_put_units_usd = 0, cost_stream_hours_usd = 0, cost_written_usd = 0,
         cost_read_usd = 0;

 private:
  // A PutRecord refused for throughput that the producer's SDK will try again.
  struct PendingPut {
    engine::Caller caller;
    engine::Lineage lineage;
    std::uint32_t attempt = 1;
  };
  void attempt(const engine::Caller& caller, const engine::Lineage& lineage, std::uint32_t attempt);
  bool take_capacity(std::uint32_t shard, double bytes);
  void follow_peak();  // on-demand: capacity follows twice the peak per-minute write rate
  void accept(engine::Lineage lineage, std::uint32_t shard);
  void expire_orphans();

  engine::Runtime* engine_;
  const ComponentSpec* spec_;
  const KinesisSpec* config_;
  engine::EventRoute route_;
  std::uint32_t component_;
  std::uint32_t shards_;
  bool on_demand_;
  bool table_stream_ = false;
  std::vector<KinesisEventSourceMapping*> consumers_;
  // Write limits: per shard (provisioned) or for the whole stream (on-demand), each a bucket
  // holding one second of its rate.
  std::vector<TokenBucket> record_limit_, byte_limit_;
  // Read limits: per shard (provisioned) or for the whole stream (on-demand, twice its write
  // capacity); none on a table's stream (DynamoDB Streams publishes no such figures).
  std::vector<TokenBucket> call_limit_, read_limit_;
  double on_demand_records_per_s_ = 0, on_demand_bytes_per_s_ = 0;
  double max_records_per_s_ = 0, max_bytes_per_s_ = 0;  // on-demand: the ceiling
  std::int64_t minute_ = 0;                             // on-demand: the current minute and its writes
  double minute_records_ = 0, minute_bytes_ = 0, peak_records_per_s_ = 0, peak_bytes_per_s_ = 0;
  kernel::Pool<PendingPut> pending_;
  std::deque<engine::Message> orphans_;  // copies kept for no consumer, until retention
  bool orphan_timer_ = false;
  std::vector<std::uint64_t> records_by_source_;  // to share the standing cost among sources
  kernel::RandomStream rng_latency_, rng_backoff_, rng_keys_;
  double price_shard_hour_ = 0, price_put_unit_ = 0, price_stream_hour_ = 0, price_gb_written_ = 0, price_gb_read_ = 0;
  int series_incoming_, series_throttled_, series_backlog_, series_read_bytes_, series_read_throttled_;
};

}  // namespace sluice::components
