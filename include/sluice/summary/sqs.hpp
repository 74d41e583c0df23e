#pragma once
// An SQS queue's section of summary.json: CloudWatch's AWS/SQS metrics.
#include <array>
#include <cstdint>
#include <string_view>

#include "sluice/summary/figures.hpp"

namespace sluice::summary {

// What the queue counts as it runs (after the warm-up): the component keeps these in its own
// copy, which becomes the section's.
struct SqsCounts {
  std::uint64_t sent = 0, received = 0, deleted = 0, moved_to_dlq = 0, empty_receives = 0;
  std::uint64_t send_throttled = 0, send_rejected = 0;
};

struct SqsMetrics : SqsCounts {
  MeanMax visible, not_visible, delayed;
  MeanMax oldest_message_age_s;
  Latency wait_ms;  // from sending to receiving
  template <class V>
  void fields(V& v) const {
    v("NumberOfMessagesSent", sent);
    v("NumberOfMessagesReceived", received);
    v("NumberOfMessagesDeleted", deleted);
    v("NumberOfMessagesMovedToDLQ", moved_to_dlq);
    v("NumberOfEmptyReceives", empty_receives);
    v("ApproximateNumberOfMessagesVisible", visible);
    v("ApproximateNumberOfMessagesNotVisible", not_visible);
    v("ApproximateNumberOfMessagesDelayed", delayed);
    v("ApproximateAgeOfOldestMessage", oldest_message_age_s);
    v("MessageWaitTime_ms", wait_ms);
    v("SendMessageThrottled", send_throttled);
    v("SendMessageRejected", send_rejected);
  }
};

struct Sqs {
  bool fifo = false;
  SqsMetrics metrics;
  Failed failed;
  Cost cost_usd;
  // A queue that receives failures (a dead-letter queue, an on-failure destination): its messages
  // are parked, not a backlog of work.
  bool dead_letter_queue = false;
  template <class V>
  void fields(V& v) const {
    v("type", std::string_view("sqs"));
    v("fifo", fifo);
    v("metrics", metrics);
    v("failed", failed);
    v("cost_usd", cost_usd);
    v("dead_letter_queue", dead_letter_queue);
  }

  static constexpr std::string_view kTableTitle = "queue";
  static constexpr std::array<Column, 7> kColumns{
      {{"sent", 10}, {"received", 10}, {"deleted", 10}, {"to DLQ", 8}, {"visible", 14}, {"oldest s", 9}, {"cost", 10}}};
  std::array<Cell, 7> table_row() const {
    return {Cell::count(metrics.sent),          Cell::count(metrics.received),
            Cell::count(metrics.deleted),       Cell::count(metrics.moved_to_dlq),
            Cell::mean_max(metrics.visible, 1), Cell::number(metrics.oldest_message_age_s.max, 1),
            Cell::usd(cost_usd.total)};
  }
  // A dead-letter queue parks failures: they count as dead-lettered where they were moved from,
  // not as a backlog.
  Pressure pressure() const {
    Pressure p{0, 0, metrics.send_throttled, failed[Failure::dead_lettered], 0};
    if (!dead_letter_queue) {
      p.peak_backlog = metrics.visible.max;
      p.oldest_message_age_s = metrics.oldest_message_age_s.max;
    }
    return p;
  }
};

}  // namespace sluice::summary
