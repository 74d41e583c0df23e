#pragma once
// An SQS queue (aws-facts §2.2): the model's spec of an `sqs` component.
#include <string>
#include <string_view>

#include "sluice/distribution.hpp"

namespace sluice {

// Latency of the API call a client makes to a messaging service (SendMessage, Publish,
// PutRecord): an assumption named in docs/assumptions.md, overridable per component.
struct SqsSpec {
  static constexpr std::string_view kType = "sqs";      // `type:` in the model
  static constexpr std::string_view kDotShape = "cds";  // in `sluice graph`
  bool fifo = false;
  bool high_throughput = false;         // FIFO high-throughput mode
  double visibility_timeout_ns = 30e9;  // 0 .. 12 h
  double retention_ns = 345600e9;       // 4 days; 60 s .. 14 days
  double delay_ns = 0;                  // 0 .. 15 min
  std::string dead_letter_target;       // empty: none
  int max_receive_count = 0;            // with a dead-letter queue: 1 .. 1,000
  Distribution latency;                 // the SendMessage call
  bool operator==(const SqsSpec&) const = default;
};

}  // namespace sluice
