#pragma once
// A Lambda function's section of summary.json: CloudWatch's AWS/Lambda metrics, its failures,
// its trigger and its cost.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sluice/summary/event_source_mapping.hpp"
#include "sluice/summary/figures.hpp"

namespace sluice::summary {

// The function's queue of asynchronous invocations: written when anything can invoke it
// asynchronously, so every run of a model has the same keys.
struct AsyncQueue {
  std::uint64_t received = 0, dropped = 0, retries = 0;
  Latency event_age_ms;
  MeanMax queued;
  std::uint64_t destination_deliveries = 0;
  template <class V>
  void fields(V& v) const {
    v("AsyncEventsReceived", received);
    v("AsyncEventsDropped", dropped);
    v("AsyncEventRetries", retries);
    v("AsyncEventAge_ms", event_age_ms);
    v("AsyncEventsQueued", queued);
    v("DestinationDeliveries", destination_deliveries);
  }
};

// What the function counts as it runs (after the warm-up): the component keeps these in its own
// copy, which becomes the section's.
struct LambdaCounts {
  std::uint64_t invocations = 0, errors = 0, throttles = 0, cold_starts = 0, spillover_invocations = 0;
  double billed_gb_seconds = 0;
  // Records processed successfully again after a retry; recursive chains stopped (aws-facts §1.5).
  std::uint64_t duplicates = 0, records_processed = 0, recursive_invocations_dropped = 0;
};

struct LambdaMetrics : LambdaCounts {
  Latency duration_ms, init_duration_ms;
  MeanMax concurrent_executions, provisioned_concurrent_executions, provisioned_concurrency_utilization;
  MeanMax execution_environments;
  std::optional<AsyncQueue> async;
  template <class V>
  void fields(V& v) const {
    v("Invocations", invocations);
    v("Errors", errors);
    v("Throttles", throttles);
    v("ColdStarts", cold_starts);
    v("ProvisionedConcurrencySpilloverInvocations", spillover_invocations);
    v("Duration_ms", duration_ms);
    v("InitDuration_ms", init_duration_ms);
    v("ConcurrentExecutions", concurrent_executions);
    v("ProvisionedConcurrentExecutions", provisioned_concurrent_executions);
    v("ProvisionedConcurrencyUtilization", provisioned_concurrency_utilization);
    v("ExecutionEnvironments", execution_environments);
    v("BilledGBSeconds", billed_gb_seconds);
    v("Duplicates", duplicates);
    v("RecordsProcessed", records_processed);
    v("RecursiveInvocationsDropped", recursive_invocations_dropped);
    v(kInline, async);
  }
};

struct Lambda {
  int memory_mb = 0;
  double vcpus = 0;
  LambdaMetrics metrics;
  Failed failed;
  std::optional<Trigger> trigger;
  Cost cost_usd;
  template <class V>
  void fields(V& v) const {
    v("type", std::string_view("lambda"));
    v("memory_mb", memory_mb);
    v("vcpus", vcpus);
    v("metrics", metrics);
    v("failed", failed);
    v("trigger", trigger);
    v("cost_usd", cost_usd);
  }

  static constexpr std::string_view kTableTitle = "function";
  static constexpr std::array<Column, 10> kColumns{{{"invocations", 11},
                                                    {"errors", 7},
                                                    {"throttles", 9},
                                                    {"cold", 7},
                                                    {"dur p50", 9},
                                                    {"dur p99", 9},
                                                    {"concurrency", 11},
                                                    {"envs", 6},
                                                    {"duplicates", 10},
                                                    {"cost", 10}}};
  std::array<Cell, 10> table_row() const {
    const auto& m = metrics;
    return {Cell::count(m.invocations),
            Cell::count(m.errors),
            Cell::count(m.throttles),
            Cell::count(m.cold_starts),
            Cell::ms(m.duration_ms.p50),
            Cell::ms(m.duration_ms.p99),
            Cell::mean_max(m.concurrent_executions, 1),
            Cell::number(m.execution_environments.max, 0),
            Cell::count(m.duplicates),
            Cell::usd(cost_usd.total)};
  }
  // Its asynchronous queue and its stream mapping's iterator age hold work back.
  Pressure pressure() const {
    Pressure p{0, 0, metrics.throttles, failed[Failure::dead_lettered], metrics.duplicates};
    if (metrics.async) {
      p.peak_backlog = metrics.async->queued.max;
      p.oldest_message_age_s = metrics.async->event_age_ms.max / 1e3;
    }
    if (trigger)
      if (const auto* k = std::get_if<KinesisMapping>(&trigger->mapping)) {
        p.oldest_message_age_s = std::max(p.oldest_message_age_s, k->iterator_age_ms.max / 1e3);
        p.dead_lettered += k->failed[Failure::dead_lettered];
      }
    return p;
  }
};

}  // namespace sluice::summary
