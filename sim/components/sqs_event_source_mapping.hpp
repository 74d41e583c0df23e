#pragma once
// The Lambda SQS event source mapping (aws-facts §2.1): pollers that start at 5 concurrent
// batches and grow by 300 per minute up to their ceiling or max_concurrency, batches of up to
// batch_size within the batching window, partial batch responses, and failed or throttled
// batches returning after the visibility timeout.
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

class SqsQueue;

class SqsEventSourceMapping {
 public:
  // `index`: among SQS mappings; `function`: the consumer's component index.
  SqsEventSourceMapping(engine::Engine& e, const ComponentSpec& function_spec, std::uint32_t index,
                        std::uint32_t function, SqsQueue& queue);
  void start();
  void on_timer(std::uint64_t payload);  // EventKind::sqs_mapping_timer
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
  SqsQueue* queue_;
};

}  // namespace sluice::components
