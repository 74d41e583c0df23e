#pragma once
// An SQS queue's section of summary.json: CloudWatch's AWS/SQS metrics.
#include <cstdint>
#include <string_view>

#include "sluice/summary/figures.hpp"

namespace sluice::summary {

struct SqsMetrics {
  std::uint64_t sent = 0, received = 0, deleted = 0, moved_to_dlq = 0, empty_receives = 0;
  MeanMax visible, not_visible, delayed;
  MeanMax oldest_message_age_s;
  Latency wait_ms;  // from sending to receiving
  std::uint64_t send_throttled = 0, send_rejected = 0;
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
};

}  // namespace sluice::summary
