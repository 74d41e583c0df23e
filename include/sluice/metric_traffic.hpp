#pragma once
// Traffic from CloudWatch metrics: an API's Count or a function's Invocations, summed per period,
// read from `aws cloudwatch get-metric-data` JSON or a "timestamp,value" CSV, becomes an arrival
// trace (format: counts) that a source replays. Shared by `sluice calibrate --metrics` and Python.
// The CloudWatch behaviour relied on is in docs/aws-facts.md §8, the assumptions in
// docs/assumptions.md (traffic from metrics).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sluice/model.hpp"

namespace sluice {

// What a file given to `sluice calibrate` holds, told by its first line: "memory,duration"
// (measurements to fit a function), "timestamp,value" (a metric as CSV), or a JSON object (the
// output of get-metric-data). Throws ModelError naming both headers for anything else.
enum class CalibrationFile { measurements, metrics_csv, metrics_json };
CalibrationFile classify_calibration_file(const std::string& path);

struct MetricReadOptions {
  bool skip_bad_lines = false;           // skip (and count) malformed data points instead of failing
  std::optional<std::int64_t> period_s;  // the export's period; otherwise the smallest spacing
  std::string id;                        // which MetricDataResult (its Id), when the JSON holds several
};

struct MetricTraffic {
  std::string file;
  std::string format;     // "get-metric-data JSON" or "timestamp,value CSV"
  std::string id, label;  // the JSON's Id and Label (empty for a CSV)
  std::string metric;     // Count, Invocations, NumberOfMessagesSent, or "" when unknown
  std::int64_t period_s = 0;
  bool period_inferred = false;      // from the spacing of the data points, not --period
  std::int64_t start_epoch_s = 0;    // the start of the first period (UTC)
  std::vector<std::int64_t> counts;  // per period, oldest first; a period the export omits is 0
  std::size_t data_points = 0;
  std::size_t missing_periods = 0;    // periods between data points without one: read as no requests
  std::size_t skipped_lines = 0;      // malformed data points skipped (skip_bad_lines)
  std::vector<std::string> skipped;   // "file:line:column: what is wrong" of the first ones skipped
  std::vector<std::string> warnings;  // why these counts may not be the arrivals
};

// Reads a metric export. Errors (bad header, a malformed data point without skip_bad_lines,
// irregular spacing, duplicate timestamps, a result CloudWatch could not produce) are ModelErrors
// naming the file and line.
MetricTraffic read_metric_traffic(const std::string& path, const MetricReadOptions& options = {});

// Whether the metric can be read as the arrivals of `source` in `model`. `component` is the
// component the metric was read from (default: the source's target); `metric` its name (default:
// the Label when it names a known metric, else the component type's). Throws ModelError where the
// counts are not arrivals (a function fed by an event source mapping counts batches); appends
// warnings where they may overstate or understate them (retries, throttles).
void check_metric_source(MetricTraffic& traffic, const ModelSpec& model, const std::string& source,
                         const std::string& component = "", const std::string& metric = "");

// Why invocation counts are not always arrivals: said in the output of every conversion.
extern const char* const kMetricCountsCaveat;

// The counts trace file: a header, comment lines saying where it came from, one count per period.
std::string metric_trace_csv(const MetricTraffic& traffic);
// The YAML to paste into the model: the source's arrivals and a run.duration the trace covers.
std::string metric_source_yaml(const MetricTraffic& traffic, const std::string& source, const std::string& trace_file);
// "2026-11-30T10:05:00Z"
std::string utc_timestamp(std::int64_t epoch_s);

}  // namespace sluice
