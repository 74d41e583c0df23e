#pragma once
// The figures a summary section is made of (a latency distribution, a gauge's mean and max,
// failures by reason, money by dimension), and how a section lists its fields: each section type
// has fields(v), calling v(key, value) in summary.json's order, so one writer (results_io.cpp) turns
// every section into JSON and the key of a field is written in one place.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/failure.hpp"

namespace sluice::summary {

// v(kInline, section): the section's fields are written into the enclosing object, not under a key.
inline constexpr std::string_view kInline{};

// A distribution of durations (ms). p90 and p999 are absent from the sections that do not report
// them (an init duration, an asynchronous event's age).
struct Latency {
  double mean = 0, p50 = 0;
  std::optional<double> p90;
  double p99 = 0;
  std::optional<double> p999;
  double max = 0;
  template <class V>
  void fields(V& v) const {
    v("mean", mean);
    v("p50", p50);
    v("p90", p90);
    v("p99", p99);
    v("p999", p999);
    v("max", max);
  }
};

// A gauge over the measured window: its time-weighted mean and its maximum.
struct MeanMax {
  double mean = 0, max = 0;
  template <class V>
  void fields(V& v) const {
    v("mean", mean);
    v("max", max);
  }
};

// Units of work that failed, by reason, in the order the section reports its reasons.
struct Failed {
  std::vector<std::pair<Failure, std::uint64_t>> by_reason;
  std::uint64_t operator[](Failure f) const {
    for (const auto& [reason, n] : by_reason)
      if (reason == f) return n;
    return 0;
  }
  template <class V>
  void fields(V& v) const {
    for (const auto& [reason, n] : by_reason) v(failure_name(reason), n);
  }
};

// Money (USD) by pricing dimension (requests, duration, shard_hours...) and the component's total.
struct Cost {
  std::vector<std::pair<std::string, double>> parts;
  double total = 0;
  template <class V>
  void fields(V& v) const {
    for (const auto& [dimension, usd] : parts) v(dimension, usd);
    v("total", total);
  }
};

// The `sluice run` table: each service's section has a header of columns and a row per component
// (sim/cli/summary_table.cpp prints them).
struct Column {
  std::string_view title;
  int width;
};
struct Cell {
  enum class Kind { count, ms, usd, mean_max, number };
  Kind kind = Kind::count;
  double value = 0, max = 0;
  int decimals = 0;
  static Cell count(std::uint64_t n) { return {Kind::count, static_cast<double>(n), 0, 0}; }
  static Cell ms(double v) { return {Kind::ms, v, 0, 0}; }
  static Cell usd(double v) { return {Kind::usd, v, 0, 0}; }
  static Cell mean_max(const MeanMax& g, int decimals) { return {Kind::mean_max, g.mean, g.max, decimals}; }
  static Cell number(double v, int decimals) { return {Kind::number, v, 0, decimals}; }
};

// What `sluice compare` reads of a component's section (sim/analysis/compare.cpp): the work it
// holds back (its peak backlog and its oldest message), the requests it refused for capacity, the
// messages it dead-lettered and the records processed twice.
struct Pressure {
  double peak_backlog = 0, oldest_message_age_s = 0;
  std::uint64_t throttles = 0, dead_lettered = 0, duplicates = 0;
};

// Named entries (sources, components) in the model's order: written as a JSON object.
template <class T>
using Named = std::vector<std::pair<std::string, T>>;

template <class T>
const T* find(const Named<T>& entries, std::string_view name) {
  for (const auto& [n, entry] : entries)
    if (n == name) return &entry;
  return nullptr;
}

}  // namespace sluice::summary
