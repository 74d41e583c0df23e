#pragma once
// A Kinesis data stream (aws-facts §4): provisioned shards with their write limits (1 MB/s
// and 1,000 records/s each; the producer retries ProvisionedThroughputExceeded) or on-demand
// capacity; partition keys hashed to shards; retention expiry; shard-hour and PUT-unit pricing.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "engine/call.hpp"
#include "engine/message.hpp"
#include "sluice/model.hpp"

namespace sluice::engine {
class Engine;
}

namespace sluice::components {

class KinesisEventSourceMapping;

class KinesisStream {
 public:
  KinesisStream(engine::Engine& e, const ComponentSpec& spec, std::uint32_t index);

  // PutRecord from a source or a function's step: accepted (a new message) or refused; the
  // caller's reply comes after the call's latency.
  void receive(const engine::Caller& caller, const engine::Lineage& lineage);
  void on_timer(std::uint64_t payload);  // EventKind::kinesis_stream_timer
  void attach(KinesisEventSourceMapping* consumer);  // every consumer reads every record
  void finish_run();

  std::uint64_t messages_in_flight() const;  // counted from the stream's pool of records
  double cost_usd() const;
  nlohmann::ordered_json summary() const;
  const ComponentSpec& spec() const { return *spec_; }
  const KinesisSpec& config() const { return *config_; }

 private:
  engine::Engine* engine_;
  const ComponentSpec* spec_;
  const KinesisSpec* config_;
  std::uint32_t index_;
};

}  // namespace sluice::components
