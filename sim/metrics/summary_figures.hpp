#pragma once
// The metrics as summary figures: a histogram's percentiles, a gauge's mean and max, failure
// counts by reason.
#include <initializer_list>

#include "metrics/latency_histogram.hpp"
#include "metrics/time_series.hpp"
#include "sluice/failure.hpp"
#include "sluice/summary/figures.hpp"

namespace sluice::metrics {

// Which percentiles a section reports: all (p50, p90, p99, p999), without p999, or the short
// form (p50, p99) of init durations and event ages.
enum class Percentiles { all, without_p999, short_form };

inline summary::Latency latency(const LatencyHistogram& h, Percentiles which = Percentiles::all) {
  LatencyStats s = h.stats();
  summary::Latency l;
  l.mean = s.mean;
  l.p50 = s.p50;
  if (which != Percentiles::short_form) l.p90 = s.p90;
  l.p99 = s.p99;
  if (which == Percentiles::all) l.p999 = s.p999;
  l.max = s.max;
  return l;
}

inline summary::MeanMax mean_max(const Gauge& g) { return {g.mean(), g.max()}; }

inline summary::Failed failed(const FailureCounts& counts, std::initializer_list<Failure> which) {
  summary::Failed f;
  for (Failure reason : which) f.by_reason.emplace_back(reason, counts[static_cast<std::size_t>(reason)]);
  return f;
}

}  // namespace sluice::metrics
