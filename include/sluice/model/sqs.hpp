#pragma once
// An SQS queue (aws-facts §2.2): the model's spec of an `sqs` component.
#include <string>
#include <string_view>
#include <vector>

#include "sluice/distribution.hpp"
#include "sluice/model/links.hpp"

namespace sluice {

// Latency of the API call a client makes to a messaging service (SendMessage, Publish,
// PutRecord): an assumption named in docs/assumptions.md, overridable per component.
struct SqsSpec {
  static constexpr std::string_view kType = "sqs";      // `type:` in the model
  static constexpr std::string_view kDotShape = "cds";  // in `sluice graph`
  // What the loader and `sluice graph` need to know (sluice/model/links.hpp, ServiceSpec).
  static constexpr LinkKind kFromSource = link_kind::send;
  static constexpr LinkKind kFromAsyncSource = link_kind::none;
  static constexpr std::string_view kSourceHint = "";
  static constexpr std::string_view kStepHint = "a send step sends a message to an SQS queue";
  static constexpr bool kFunction = false;
  static constexpr bool kStream = false;
  bool fifo = false;
  bool high_throughput = false;                     // FIFO high-throughput mode
  double visibility_timeout_ns = 30e9;              // 0 .. 12 h
  double retention_ns = 345600e9;                   // 4 days; 60 s .. 14 days
  double delay_ns = 0;                              // 0 .. 15 min
  std::string dead_letter_target;                   // empty: none
  int max_receive_count = 0;                        // with a dead-letter queue: 1 .. 1,000
  Distribution latency;                             // the SendMessage call
  static SqsSpec read(const model::SpecInput& in);  // sim/model/sqs_reader.cpp
  std::vector<ComponentLink> links() const;
  std::string unpolled_warning() const;
  bool operator==(const SqsSpec&) const = default;
};

}  // namespace sluice
