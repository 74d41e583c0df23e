#pragma once
// An SQS queue (aws-facts §2.2): standard (at-least-once, unordered) or FIFO (in order per
// message group, its throughput limits); delay, visibility timeout, retention expiry, the
// dead-letter queue after max_receive_count, and billing by 64 KB chunk.
//
// Messages live in the queue's own pool from SendMessage until they end (deleted, expired,
// moved to the dead-letter queue), whether visible, delayed or in flight in a consumer's
// batch; queues hold their handles. A queued message costs its 56-byte slot, the pool's
// 4-byte generation and an 8-byte deque entry: no heap allocation and no event of its own.
#include <cstdint>
#include <deque>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "components/token_bucket.hpp"
#include "engine/call.hpp"
#include "engine/event_route.hpp"
#include "engine/message.hpp"
#include "kernel/pool.hpp"
#include "kernel/random_stream.hpp"
#include "metrics/latency_histogram.hpp"
#include "metrics/time_series.hpp"
#include "sluice/failure.hpp"
#include "sluice/model.hpp"
#include "sluice/summary/sqs.hpp"

namespace sluice::engine {
class Runtime;
}

namespace sluice::components {

class SqsEventSourceMapping;

class SqsQueue {
 public:
  static constexpr std::string_view kType = "sqs";  // the model's type: engine/services.hpp
  SqsQueue(engine::Runtime& e, const ComponentSpec& spec, engine::EventRoute route);

  // SendMessage from a source or a function's step: accepted (a new message) or refused; the
  // caller's reply comes after the call's latency.
  void receive(const engine::Caller& caller, const engine::Lineage& lineage);
  // A message handed over by a service (an SNS delivery, a dead-letter move, an on-failure
  // record). False while the queue is down (the sender retries or gives up).
  bool accept(engine::Message m);
  enum class Event : std::uint8_t { timer };  // payload: the component's own (see on_timer)
  void on_event(Event, std::uint64_t payload) { on_timer(payload); }
  SqsQueue* polled() { return this; }  // what an event source mapping on it polls
  void on_timer(std::uint64_t payload);
  void attach(SqsEventSourceMapping* consumer);
  void finish_run();

  std::uint64_t messages_in_flight() const;  // counted from the queue's pool of messages
  double cost_usd() const;
  void charge_requests(const engine::Lineage& lineage, double requests);  // ReceiveMessage, DeleteMessage...
  summary::Sqs summary() const;
  const ComponentSpec& spec() const { return *spec_; }
  const SqsSpec& config() const { return *config_; }

  // --- for the event source mapping that polls the queue ---
  // A received message as a batch holds it: its handle and the receive it came from (its
  // receipt handle: a later receive of the same message makes this one stale).
  struct Receipt {
    kernel::Handle message;
    std::uint32_t receive = 0;
  };
  // Whether a ReceiveMessage would return anything now (FIFO: a message group not locked).
  bool receivable() const;
  std::uint64_t visible() const { return visible_n_; }
  // ReceiveMessage: up to max_messages (and max_bytes in all, at least one message) appended
  // to `out`, each now in flight with its receive count incremented. Returns their bytes.
  double receive_batch(std::vector<Receipt>& out, std::uint32_t max_messages, double max_bytes);
  engine::Message& message(kernel::Handle h) { return slots_[h].message; }
  // DeleteMessage with the batch's receipt: ignored when the receipt is stale (the message
  // became visible again after its visibility timeout, perhaps received again since).
  void delete_message(const Receipt& r);
  // Whether the receipt still holds the message in flight.
  bool holds(const Receipt& r) const;
  // The visibility timeout of the receive is over: the message returns to the queue (or goes
  // to the dead-letter queue, or has expired). Ignored when the receipt is stale.
  void visibility_expired(const Receipt& r);
  // The batch that held the message is done with it (the slot is freed once the message has
  // ended and no batch refers to it any more).
  void release(const Receipt& r);

  // CloudWatch names (AWS/SQS), counted after the warm-up.
  summary::SqsCounts counts;
  sluice::FailureCounts failed{};
  metrics::Gauge visible_gauge, not_visible_gauge, delayed_gauge;
  metrics::LatencyHistogram wait_ms;  // from send to the first receive (time in the queue)
  double cost_requests_usd = 0;

 private:
  enum class State : std::uint8_t { delayed, visible, in_flight, ended };
  struct Slot {
    engine::Message message;
    std::uint32_t receives = 0;  // ApproximateReceiveCount; also the receipt of the last receive
    std::uint16_t holders = 0;   // batches that refer to the message
    State state = State::delayed;
  };
  // FIFO: a message group's visible messages, in order, as a list threaded through next_.
  struct Group {
    kernel::Handle head, tail;
    std::uint32_t visible = 0, in_flight = 0;
    bool ready = false;  // in ready_: has visible messages and none in flight
  };
  static constexpr std::uint64_t kTimerRetention = 1, kTimerDelay = 2;

  void enqueue(engine::Message m);
  void make_visible(kernel::Handle h, bool front);
  void end(kernel::Handle h, sluice::Failure outcome);
  void dead_letter(kernel::Handle h);
  void leave_flight(kernel::Handle h);  // FIFO: the group's count of messages in flight
  bool expired(const Slot& s) const;
  void sweep();
  void arm_retention();
  void group_ready(std::uint32_t key, Group& g);
  void bill_send(const engine::Lineage& lineage);
  void counts_changed();
  void advance_age(kernel::SimTime now);
  kernel::Handle& next(kernel::Handle h);

  engine::Runtime* engine_;
  const ComponentSpec* spec_;
  const SqsSpec* config_;
  engine::EventRoute route_;
  std::uint32_t index_, component_;
  bool dead_letter_queue_;         // it receives failures (model::Roles): parked, not a backlog
  std::int64_t dead_letter_ = -1;  // component index of the dead-letter queue
  SqsEventSourceMapping* consumer_ = nullptr;
  kernel::RandomStream rng_latency_;
  TokenBucket send_quota_;  // FIFO: 300 (or 70,000) SendMessage per second
  double price_request_;
  kernel::SimTime retention_, delay_;

  kernel::Pool<Slot> slots_;
  std::uint64_t zombies_ = 0;           // ended, but a batch still refers to them
  std::deque<kernel::Handle> delayed_;  // sent with the queue's delay: in order of their end
  std::deque<kernel::Handle> visible_;  // standard: oldest first (returned messages go to the front)
  // FIFO
  std::unordered_map<std::uint32_t, Group> groups_;
  std::deque<std::uint32_t> ready_;    // groups that can be received from, in turn
  std::deque<kernel::Handle> by_age_;  // every message in send order (ended ones dropped lazily)
  std::vector<kernel::Handle> next_;   // by slot: the next message of its group
  std::uint64_t visible_n_ = 0, in_flight_n_ = 0;

  kernel::SimTime retention_armed_ = kernel::SimTime::max();  // the earliest retention timer pending
  bool delay_armed_ = false;
  // ApproximateAgeOfOldestMessage: the oldest message's send time, followed between changes.
  bool has_oldest_ = false;
  kernel::SimTime oldest_, age_last_;
  double age_area_s2_ = 0, age_max_s_ = 0;
  // Empty receives: how long the queue had nothing visible (after the warm-up).
  kernel::SimTime empty_since_;
  double empty_ns_ = 0;
  std::vector<std::uint64_t> sent_by_source_;

  int series_sent_, series_received_, series_deleted_, series_dlq_, series_visible_, series_not_visible_, series_age_;
};

}  // namespace sluice::components
