#pragma once
// `sluice calibrate --metrics FILE`: a CloudWatch metric export (an API's Count, a function's
// Invocations) becomes an arrival trace a source replays, with the YAML to paste.
#include <cstdint>
#include <optional>
#include <string>

namespace sluice::cli {

struct MetricsArgs {
  std::string file;
  std::string model, source, component, metric;  // the model check, when a model is given
  std::string period;                            // a duration, or empty: inferred from the spacing
  std::string id;                                // which MetricDataResult
  std::string out;                               // where to write the trace, or empty
  bool skip_bad_lines = false;
  std::string format = "table";
};

int metrics_command(const MetricsArgs& args);
// `sluice calibrate [FILE] [--metrics FILE]`: a FILE is told by its header (memory,duration:
// measurements to fit; timestamp,value or get-metric-data JSON: a metric), --metrics is a metric.
int calibrate_or_metrics_command(const std::string& file, MetricsArgs args);

}  // namespace sluice::cli
