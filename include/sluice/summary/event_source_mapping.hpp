#pragma once
// A function's trigger: the event source mapping that polls a queue or reads a stream for it
// (summary.json: components.<function>.trigger).
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "sluice/summary/figures.hpp"

namespace sluice::summary {

struct SqsMapping {
  std::uint64_t batches = 0;
  double batch_size_mean = 0;
  MeanMax concurrency;  // batches in flight
  int max_pollers_allowed = 0;
  std::uint64_t throttled_batches = 0, failed_batches = 0, partially_failed_batches = 0;
  template <class V>
  void fields(V& v) const {
    v("type", std::string_view("sqs"));
    v("batches", batches);
    v("batch_size_mean", batch_size_mean);
    v("concurrency", concurrency);
    v("max_pollers_allowed", max_pollers_allowed);
    v("throttled_batches", throttled_batches);
    v("failed_batches", failed_batches);
    v("partially_failed_batches", partially_failed_batches);
  }
};

struct KinesisMapping {
  std::uint64_t lanes = 0;  // shards (or partition-key lanes with parallelization_factor)
  std::uint64_t batches = 0;
  double batch_size_mean = 0;
  MeanMax iterator_age_ms;
  std::uint64_t retries = 0, throttled_batches = 0, bisections = 0, records_given_up = 0, destination_deliveries = 0;
  Failed failed;
  MeanMax concurrency;
  template <class V>
  void fields(V& v) const {
    v("type", std::string_view("kinesis"));
    v("lanes", lanes);
    v("batches", batches);
    v("batch_size_mean", batch_size_mean);
    v("IteratorAge_ms", iterator_age_ms);
    v("retries", retries);
    v("throttled_batches", throttled_batches);
    v("bisections", bisections);
    v("records_given_up", records_given_up);
    v("destination_deliveries", destination_deliveries);
    v("failed", failed);
    v("concurrency", concurrency);
  }
};

struct Trigger {
  std::variant<SqsMapping, KinesisMapping> mapping;
  std::string source;  // the queue or stream
  template <class V>
  void fields(V& v) const {
    v(kInline, mapping);
    v("source", source);
  }
};

}  // namespace sluice::summary
