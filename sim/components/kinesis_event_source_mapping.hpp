#pragma once
// The Lambda Kinesis event source mapping (aws-facts §4): one batch per shard at a time
// (x parallelization_factor, in order per key), batch size and window, a failed batch retried
// until success, max_retry_attempts or max_record_age, bisect_batch_on_error, the on-failure
// destination, and the IteratorAge metric.
//
// A lane is one (shard, parallelization slot): the records of a partition key always go to the
// same lane, and a lane has one batch in flight at a time, so order per key is kept. A lane holds
// its records in arrival order; the batch in flight is its first records.
//
// The mapping's poller reads a shard with GetRecords, within the shard's read limits shared with
// the stream's other consumers (KinesisStream::get_records_allowed): one call reads every record
// of the shard written since its last call, for all its lanes, up to 10,000 records and 10 MB. A
// lane batches only records its poller has read; when it needs more it reads at once if the
// shard allows, else waits for the call the shard allows next (with records read already, it
// goes on with those meanwhile).
#include <cstdint>
#include <deque>
#include <vector>

#include "engine/call.hpp"
#include "engine/event_route.hpp"
#include "engine/message.hpp"
#include "kernel/pool.hpp"
#include "kernel/sim_time.hpp"
#include "metrics/time_series.hpp"
#include "sluice/failure.hpp"
#include "sluice/model.hpp"
#include "sluice/summary/event_source_mapping.hpp"

namespace sluice::engine {
class Runtime;
}

namespace sluice::components {

class KinesisStream;

class KinesisEventSourceMapping {
 public:
  // A part of the function: `route` is the function's, to its event for the mapping; `function`:
  // the function's component index.
  KinesisEventSourceMapping(engine::Runtime& e, const ComponentSpec& function_spec, engine::EventRoute route,
                            std::uint32_t function, KinesisStream& queue);
  KinesisEventSourceMapping(const KinesisEventSourceMapping&) = delete;
  KinesisEventSourceMapping& operator=(const KinesisEventSourceMapping&) = delete;
  KinesisEventSourceMapping(KinesisEventSourceMapping&&) = default;  // stored in a reserved vector
  void start();
  enum class Event : std::uint8_t { timer };  // payload: the mapping's own
  void on_timer(std::uint64_t payload);
  // The function's answer: records [0, records_done) were processed (see LambdaFunction);
  // `handler`: whether the batch reached the function (see engine::Handler).
  void on_batch_reply(kernel::Handle batch, sluice::Failure outcome, std::uint32_t records_done,
                      engine::Handler handler);
  engine::Message& record(kernel::Handle batch, std::uint32_t i);
  std::uint32_t records(kernel::Handle batch) const;
  void finish_run();
  summary::KinesisMapping summary() const;

  // A record copy written to the stream, for this consumer, on `shard`.
  void deliver(const engine::Message& m, std::uint32_t shard);
  std::uint64_t records_in_flight() const { return live_; }

  // After the warm-up: invocations (batches), their records, retries and bisections; records
  // given up (by reason); IteratorAge of each invocation (the age of its last record).
  std::uint64_t batches = 0, batch_records_total = 0, retries = 0, throttled_batches = 0, bisections = 0,
                records_given_up = 0, destination_deliveries = 0;
  sluice::FailureCounts failed{};
  double iterator_age_sum_ms = 0, iterator_age_max_ms = 0;
  std::uint64_t iterator_age_count = 0;
  metrics::Gauge concurrency;  // batches in flight

 private:
  struct Lane {
    std::deque<engine::Message> records;  // arrival order; the batch in flight is the first `in_batch`
    // Sizes of the batches to come back to, innermost last: a failed batch is retried as the same
    // records, a bisected one as its halves. Empty: the next batch is a fresh one of batch_size.
    std::vector<std::uint32_t> segments;
    std::uint32_t in_batch = 0;
    std::uint32_t fetched = 0;      // the first records, read by GetRecords (the rest are not read yet)
    std::uint32_t gone_unread = 0;  // records that expired before they were read, still in the shard's queue
    bool awaiting_read = false;     // needs the shard's next GetRecords to go on
    std::uint32_t retries = 0;      // retries of the batch at the head
    std::uint32_t token = 0;        // the pending wake-up's; older timers are stale
    std::uint32_t shard = 0;
    bool busy = false, wake_pending = false, window_open = false;
    kernel::SimTime wake_at, window_ends;
  };
  struct Batch {
    std::uint32_t lane = 0, n = 0;
  };
  // A shard as the poller reads it: the lane slot (within the shard) of each record written but
  // not read yet, in arrival order, and the call it waits for.
  struct ShardReader {
    std::deque<std::uint8_t> unread;
    bool call_pending = false;
    std::uint32_t token = 0;
  };
  void wake(std::uint32_t lane, kernel::SimTime at);
  bool get_records(std::uint32_t shard);
  void on_shard_timer(std::uint32_t shard);
  void service(std::uint32_t lane);
  void start_batch(std::uint32_t lane, std::uint32_t n, double bytes);
  void sweep(std::uint32_t lane);
  void pop_front(Lane& l, sluice::Failure outcome);
  void failed_attempt(std::uint32_t lane, std::uint32_t remaining, sluice::Failure outcome);
  void give_up(std::uint32_t lane, std::uint32_t n, sluice::Failure reason);
  void send_to_destination(const engine::Lineage& first);
  kernel::SimTime next_poll(std::uint32_t shard, bool strictly_after) const;

  engine::Runtime* engine_;
  const TriggerSpec* trigger_;
  engine::EventRoute route_;
  std::uint32_t index_, function_;
  KinesisStream* queue_;
  std::uint32_t factor_;
  std::vector<Lane> lanes_;
  std::vector<ShardReader> readers_;         // by shard
  std::vector<std::int64_t> poll_phase_ns_;  // per shard: where in each interval its poller reads
  std::int64_t poll_interval_ns_ = 1'000'000'000;
  kernel::Pool<Batch> batches_;
  std::int64_t on_failure_ = -1;  // component index of the destination
  std::uint64_t live_ = 0;
  int series_age_max_, series_age_mean_;
};

}  // namespace sluice::components
