#pragma once
// The Lambda Kinesis event source mapping (aws-facts §4): one batch per shard at a time
// (x parallelization_factor, in order per key), batch size and window, a failed batch retried
// until success, max_retry_attempts or max_record_age, bisect_batch_on_error, the on-failure
// destination, and the IteratorAge metric.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "engine/call.hpp"
#include "engine/failure.hpp"
#include "engine/message.hpp"
#include "sluice/model.hpp"

namespace sluice::engine {
class Engine;
}

namespace sluice::components {

class KinesisStream;

class KinesisEventSourceMapping {
 public:
  // `index`: among Kinesis mappings; `function`: the consumer's component index.
  KinesisEventSourceMapping(engine::Engine& e, const ComponentSpec& function_spec, std::uint32_t index,
                        std::uint32_t function, KinesisStream& queue);
  void start();
  void on_timer(std::uint64_t payload);  // EventKind::kinesis_mapping_timer
  // The function's answer: records [0, records_done) were processed (see LambdaFunction).
  void on_batch_reply(kernel::Handle batch, engine::Failure outcome, std::uint32_t records_done);
  engine::Message& record(kernel::Handle batch, std::uint32_t i);
  std::uint32_t records(kernel::Handle batch) const;
  void finish_run();
  nlohmann::ordered_json summary() const;

 private:
  engine::Engine* engine_;
  const TriggerSpec* trigger_;
  std::uint32_t index_, function_;
  KinesisStream* queue_;
};

}  // namespace sluice::components
