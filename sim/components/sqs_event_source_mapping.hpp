#pragma once
// The Lambda SQS event source mapping (aws-facts §2.1): pollers that start at 5 concurrent
// batches and grow by 300 per minute up to their ceiling or max_concurrency, batches of up to
// batch_size within the batching window, partial batch responses, and failed or throttled
// batches returning after the visibility timeout.
#include <cstdint>
#include <vector>

#include "components/sqs_queue.hpp"
#include "engine/call.hpp"
#include "engine/event_route.hpp"
#include "engine/message.hpp"
#include "kernel/pool.hpp"
#include "metrics/time_series.hpp"
#include "sluice/failure.hpp"
#include "sluice/model.hpp"
#include "sluice/summary/event_source_mapping.hpp"

namespace sluice::engine {
class Runtime;
}

namespace sluice::components {

class SqsEventSourceMapping {
 public:
  // A part of the function: `route` is the function's, to its event for the mapping; `function`:
  // the function's component index.
  SqsEventSourceMapping(engine::Runtime& e, const ComponentSpec& function_spec, engine::EventRoute route,
                        std::uint32_t function, SqsQueue& queue);
  void start();
  enum class Event : std::uint8_t { timer };  // payload: the mapping's own
  void on_timer(std::uint64_t payload);
  // The function's answer: records [0, records_done) were processed (see LambdaFunction).
  void on_batch_reply(kernel::Handle batch, sluice::Failure outcome, std::uint32_t records_done);
  engine::Message& record(kernel::Handle batch, std::uint32_t i);
  std::uint32_t records(kernel::Handle batch) const;
  void finish_run();
  summary::SqsMapping summary() const;

  // The queue has a message to receive (a new one, one back, a FIFO group unlocked).
  void on_visible();
  // The pollers that keep long-polling an empty queue (its empty receives).
  double idle_pollers() const { return min_pollers_; }

  // After the warm-up.
  std::uint64_t batches = 0, batch_records = 0, throttled_batches = 0, failed_batches = 0, partially_failed_batches = 0;
  metrics::Gauge concurrency;  // batches in flight (being processed by the function)
  int max_pollers_allowed = 0;

 private:
  struct Batch {
    kernel::SimTime received;
    bool replied = false;  // the function has answered
    bool expired = false;  // the visibility timeout of its receive is over
  };
  // Timer payloads below 2^32; a batch's visibility timer carries its handle (generation >= 1).
  static constexpr std::uint64_t kPoll = 1, kScale = 2, kWindow = 3;

  void poll();
  bool dispatch_one();
  void update_scaling();
  void schedule_poll(kernel::SimTime at);
  void on_visibility_timeout(kernel::Handle h);
  void release_batch(kernel::Handle h);

  engine::Runtime* engine_;
  const TriggerSpec* trigger_;
  engine::EventRoute route_;
  std::uint32_t index_, function_;
  SqsQueue* queue_;
  kernel::SimTime visibility_, window_;
  bool skip_failed_records_;  // report_batch_item_failures on a standard queue

  kernel::Pool<Batch> batches_;
  std::vector<std::vector<SqsQueue::Receipt>> receipts_;  // by batch slot: capacity reused
  std::uint32_t in_flight_ = 0;

  // Scaling: the number of concurrent batches allowed, growing while there is a backlog.
  double min_pollers_, max_allowed_, allowed_;
  bool backlog_ = false;
  kernel::SimTime last_scale_, last_backlog_, paused_until_;
  bool poll_pending_ = false, scale_armed_ = false, window_armed_ = false, window_open_ = false;
  kernel::SimTime poll_at_, window_start_;
  int series_concurrency_, series_batches_;
};

}  // namespace sluice::components
