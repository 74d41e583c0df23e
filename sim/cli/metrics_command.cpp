#include "cli/metrics_command.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/analysis_commands.hpp"
#include "cli/output_directory.hpp"
#include "sluice/metric_traffic.hpp"
#include "sluice/units.hpp"

namespace sluice::cli {
namespace {

namespace fs = std::filesystem;

// The trace's path as the model should write it: relative to the model's folder when there is a
// model (trace files are resolved from there), else as given.
std::string path_for_model(const std::string& out, const std::string& model) {
  if (model.empty()) return out;
  fs::path base = fs::absolute(fs::path(model)).parent_path();
  return fs::absolute(fs::path(out)).lexically_normal().lexically_relative(base).generic_string();
}

// Written whole or not at all: a temporary file beside it, then renamed into place.
void write_trace(const std::string& out, const std::string& text) {
  fs::path path(out);
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw OutputError(fmt::format("--out {}: is a directory; give a file name", out));
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw OutputError(fmt::format("--out {}: cannot write there", out));
    f << text;
    if (!f.flush()) throw OutputError(fmt::format("--out {}: writing failed", out));
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw OutputError(fmt::format("--out {}: cannot write there", out));
  }
}

}  // namespace

int metrics_command(const MetricsArgs& args) {
  MetricReadOptions options;
  options.skip_bad_lines = args.skip_bad_lines;
  options.id = args.id;
  if (!args.period.empty()) {
    auto ns = units::parse_duration_ns(args.period);
    if (!ns || *ns < 1e9 || *ns > 366 * 86400e9 || std::fmod(*ns, 1e9) != 0)
      throw ModelError(SourceLocation{"--period " + args.period, 0, 0}, "",
                       "expected a whole number of seconds with a unit, 1s to 366d, like 60s or 5m");
    options.period_s = static_cast<std::int64_t>(*ns / 1e9);
  }
  if (args.model.empty() != args.source.empty())
    throw ModelError(SourceLocation{args.model.empty() ? "--source" : "--model", 0, 0}, "",
                     "--model and --source go together: the source of the model whose arrivals the metric is");
  if (args.model.empty() && (!args.component.empty() || !args.metric.empty()))
    throw ModelError(SourceLocation{!args.component.empty() ? "--component" : "--metric", 0, 0}, "",
                     "applies with --model and --source only");
  MetricTraffic traffic = read_metric_traffic(args.file, options);
  if (!args.model.empty()) {
    ModelSpec model = load_model(args.model);
    check_metric_source(traffic, model, args.source, args.component, args.metric);
  } else if (traffic.label == "Invocations") {
    traffic.warnings.push_back(
        "Invocations, and no --model to check against: if the function is fed by an SQS, Kinesis or DynamoDB "
        "stream mapping, these count batches, not messages (give --model and --source to check)");
  }
  std::string trace_text = metric_trace_csv(traffic);
  if (!args.out.empty()) write_trace(args.out, trace_text);
  std::string trace_file = args.out.empty() ? "TRACE.csv" : path_for_model(args.out, args.model);
  std::string yaml = metric_source_yaml(traffic, args.source, trace_file);
  std::int64_t total = 0, peak = 0;
  std::size_t peak_at = 0;
  for (std::size_t i = 0; i < traffic.counts.size(); ++i) {
    total += traffic.counts[i];
    if (traffic.counts[i] > peak) peak = traffic.counts[i], peak_at = i;
  }
  double span_s = static_cast<double>(traffic.counts.size() * traffic.period_s);
  if (args.format == "json") {
    nlohmann::ordered_json j{
        {"file", traffic.file},
        {"format", traffic.format},
        {"id", traffic.id},
        {"label", traffic.label},
        {"metric", traffic.metric},
        {"period_s", traffic.period_s},
        {"period_inferred", traffic.period_inferred},
        {"start", utc_timestamp(traffic.start_epoch_s)},
        {"periods", traffic.counts.size()},
        {"data_points", traffic.data_points},
        {"missing_periods", traffic.missing_periods},
        {"requests", total},
        {"skipped_lines", traffic.skipped_lines},
        {"skipped", traffic.skipped},
        {"warnings", traffic.warnings},
        {"caveat", kMetricCountsCaveat},
        {"trace_file", args.out.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(args.out)},
        {"yaml", yaml},
        {"counts", traffic.counts}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  for (const auto& w : traffic.warnings) fmt::print(stderr, "warning: {}\n", w);
  for (const auto& s : traffic.skipped) fmt::print(stderr, "skipped: {}\n", s);
  if (traffic.skipped_lines > traffic.skipped.size())
    fmt::print(stderr, "skipped: ... and {} more\n", traffic.skipped_lines - traffic.skipped.size());
  fmt::print("traffic from metrics: {} ({}{})\n", traffic.file, traffic.format,
             traffic.label.empty() ? "" : fmt::format(", Id {}, Label {}", traffic.id, traffic.label));
  fmt::print("  period: {} s ({})\n", traffic.period_s,
             traffic.period_inferred ? "inferred from the spacing of the data points; --period to set it" : "--period");
  fmt::print("  {} to {}: {} periods, {} data points, {} periods without one read as 0 requests\n",
             utc_timestamp(traffic.start_epoch_s),
             utc_timestamp(traffic.start_epoch_s + static_cast<std::int64_t>(span_s)), traffic.counts.size(),
             traffic.data_points, traffic.missing_periods);
  fmt::print("  requests: {} in all, {:.3f}/s on average, peak {:.3f}/s in the period from {}\n", total,
             static_cast<double>(total) / span_s, static_cast<double>(peak) / static_cast<double>(traffic.period_s),
             utc_timestamp(traffic.start_epoch_s + static_cast<std::int64_t>(peak_at) * traffic.period_s));
  fmt::print("  malformed lines skipped: {}\n", traffic.skipped_lines);
  fmt::print("\nnote: {}.\n\n", kMetricCountsCaveat);
  if (args.out.empty()) fmt::print("write the trace with --out FILE; then, in the model:\n{}", yaml);
  else fmt::print("wrote {} ({} periods); in the model:\n{}", args.out, traffic.counts.size(), yaml);
  return 0;
}

int calibrate_or_metrics_command(const std::string& file, MetricsArgs args) {
  if (!file.empty() && !args.file.empty())
    throw ModelError(SourceLocation{"--metrics " + args.file, 0, 0}, "",
                     "give the file once: as FILE (told by its header) or as --metrics FILE");
  if (file.empty() && args.file.empty())
    throw ModelError(SourceLocation{"sluice calibrate", 0, 0}, "",
                     "give a file: measurements with the header memory,duration, a CloudWatch metric "
                     "(get-metric-data JSON, or a CSV with the header timestamp,value), or --logs with Lambda "
                     "REPORT log exports");
  if (args.file.empty()) {
    if (classify_calibration_file(file) == CalibrationFile::measurements) {
      bool metric_options = !args.model.empty() || !args.source.empty() || !args.component.empty() ||
                            !args.metric.empty() || !args.period.empty() || !args.id.empty() || !args.out.empty() ||
                            args.skip_bad_lines;
      if (metric_options)
        throw ModelError(SourceLocation{file, 1, 1}, "",
                         "a measurements file (memory,duration) takes only --format: --model, --source, --component, "
                         "--metric, --period, --id, --out and --skip-bad-lines apply to a metric (timestamp,value)");
      return calibrate_command(file, args.format);
    }
    args.file = file;
  }
  return metrics_command(args);
}

}  // namespace sluice::cli
