#pragma once
// Calibrating a Lambda function from its REPORT log lines (aws-facts §1.6): what a user's real
// function did, read from CloudWatch Logs exports, turned into the model's handler duration,
// init, memory_used and the observed cold-start share, and checked by running the calibrated
// model. Shared by `sluice calibrate --logs` and `sluice.calibrate_logs`.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/analysis.hpp"
#include "sluice/model.hpp"

namespace sluice {

// --- Reading REPORT lines -------------------------------------------------------------------

// One invocation's REPORT: a plain-text REPORT line or a JSON `platform.report` record.
struct LambdaReport {
  std::string log_group;  // where the export names it (a filter-log-events event's logGroupName), else empty
  std::string request_id;
  double duration_ms = 0;
  double billed_duration_ms = 0;
  int memory_size_mb = 0;
  int max_memory_used_mb = 0;
  std::optional<double> init_duration_ms;     // only on a cold start
  std::optional<double> restore_duration_ms;  // SnapStart: a restore instead of an init
  std::optional<double> billed_restore_duration_ms;
  std::string status;  // "timeout", "error", ... as the line or record gives it; empty when it names none
  SourceLocation where;
  bool cold() const { return init_duration_ms.has_value() || restore_duration_ms.has_value(); }
};

// Parses one plain-text REPORT line ("REPORT RequestId: ... Duration: 102.25 ms ..."), which may
// follow a prefix (`aws logs tail` puts a timestamp and the log stream first). Returns nothing
// for a line that is not a REPORT line; throws std::invalid_argument saying what is wrong with a
// REPORT line that is malformed (a missing field, a value that is not a number, a wrong unit).
std::optional<LambdaReport> parse_report_line(std::string_view line);
// Parses one JSON-format system log record; nothing unless its "type" is "platform.report".
std::optional<LambdaReport> parse_platform_report(const nlohmann::json& record);

struct BadLine {
  SourceLocation where;
  std::string problem;
};

struct ReportFileSummary {
  std::string path;
  std::string format;  // "text", "filter-log-events", "platform.report" (JSON lines), or a mix ("text+platform.report")
  std::size_t reports = 0;
  std::size_t bad_lines = 0;
};

struct ReportReading {
  std::vector<LambdaReport> reports;
  std::vector<BadLine> bad_lines;  // only with skip_bad_lines: otherwise the first one is thrown
  std::vector<ReportFileSummary> files;
};

// Reads REPORT lines from exports as users make them: plain text (`aws logs tail`, a console
// download, one event per line, START/END and the function's own lines ignored), the JSON of
// `aws logs filter-log-events` / `get-log-events` ({"events": [{"message": ...}, ...]}), and JSON
// lines of the JSON log format (`platform.report` records). A malformed REPORT line throws
// ModelError "file:line:column: what is wrong" unless skip_bad_lines, which counts it instead.
// An unreadable file, or files without a single REPORT line, throw ModelError too.
ReportReading read_lambda_reports(const std::vector<std::string>& paths, bool skip_bad_lines);

// --- Fitting ---------------------------------------------------------------------------------

// A fitted distribution of a positive quantity: lognormal when it fits (see fit_positive), else
// the empirical distribution of the sample.
struct PositiveFit {
  enum class Kind { lognormal, empirical };
  Kind kind = Kind::lognormal;
  std::size_t samples = 0;
  double median = 0, p99 = 0;  // the lognormal's (also when the empirical one was chosen)
  double ks_statistic = 0;     // Kolmogorov-Smirnov D of the sample against the fitted lognormal
  double ks_critical = 0;      // D's critical value at kKsAlpha for this sample size (Lilliefors)
  std::vector<double> values;  // empirical: the sample, or at most kEmpiricalValues of its quantiles
  std::string reason;          // why this kind, in a sentence
};

inline constexpr double kKsAlpha = 0.01;
inline constexpr std::size_t kEmpiricalValues = 1000;
inline constexpr std::size_t kMinimumSamples = 5;

// Fits a lognormal by the mean and standard deviation of log(x) (maximum likelihood), then tests
// it: D is the Kolmogorov-Smirnov distance of log(x) to the fitted normal; its critical value
// at kKsAlpha is Lilliefors' (mean and variance estimated from the same sample), from the
// analytic approximation of Dallal & Wilkinson (1986). D above it: the empirical distribution.
// `shift` holds draws of a modelled addition (the latency of the handler's calls): then the
// lognormal is of x − shift, fitted so that the log-mean and log-sd of lognormal + shift match
// the sample's, and D is measured against lognormal + shift. Values are taken as printed to
// `resolution` (0.01 ms, 1 MB; 0 for exact values). Needs kMinimumSamples values.
PositiveFit fit_positive(const std::vector<double>& sample, double resolution = 0,
                         const std::vector<double>& shift = {});
// Lilliefors' critical value of D at level alpha (0.001 .. 0.1) for n >= 5 (Dallal & Wilkinson).
double lilliefors_critical_value(std::size_t n, double alpha);

// A measured percentile with its 95% confidence interval from the order statistics (the ranks
// of the binomial(n, p) 2.5% and 97.5% quantiles).
struct MeasuredPercentile {
  double p = 0;
  double value = 0, low = 0, high = 0;
  bool bounded = false;  // both ranks fall inside the sample (p99 needs 368 values): else the interval is open-ended
};
// The smallest sample whose 95% interval of the p-quantile is bounded on both sides.
std::size_t bounded_sample_size(double p);
MeasuredPercentile measured_percentile(const std::vector<double>& sorted, double p);

// A proportion with its 95% Wilson score interval.
struct Proportion {
  std::size_t successes = 0, trials = 0;
  double share = 0, low = 0, high = 0;
};
Proportion wilson_interval(std::size_t successes, std::size_t trials);

// A call the handler makes whose modelled latency is inside the measured Duration.
struct ModelledCall {
  std::string step;      // "write orders", "send queue"
  std::string where;     // components.f.steps.2
  Distribution latency;  // ns, as the model holds it
};

// One (function, memory size) group of REPORT lines, fitted.
struct FunctionCalibration {
  std::string function;
  int memory_mb = 0;
  std::size_t invocations = 0;
  std::vector<std::string> files;            // where its REPORT lines came from
  Proportion cold_starts;                    // invocations with an Init (or Restore) Duration
  std::vector<MeasuredPercentile> duration;  // p50, p90, p99 of REPORT Duration (ms)
  std::vector<MeasuredPercentile> init;      // p50, p99 of Init (or Restore) Duration (ms), when any
  std::vector<ModelledCall> calls;           // subtracted from Duration
  PositiveFit handler;                       // the handler's own part (ms)
  std::optional<PositiveFit> cold_start;     // Init Duration (ms), from kMinimumSamples cold starts
  bool cold_start_from_restore = false;      // SnapStart: fitted from Restore Duration
  PositiveFit memory_used;                   // Max Memory Used (MB)
  std::vector<std::string> notes;            // what was assumed
};

struct LogCalibrationOptions {
  std::string function;            // names every REPORT line's function; else the log group's
  std::optional<ModelSpec> model;  // the model whose functions' calls are subtracted
  std::uint64_t seed = 1;          // for the draws of the calls' latency
};

struct LogCalibration {
  std::vector<FunctionCalibration> groups;  // by function, then memory
  // Functions seen at two or more memory sizes: the cpu/io/threads fit of their handlers'
  // durations (calibrate()), from each group's invocations.
  std::map<std::string, Calibration> across_memory;
  std::vector<std::string> skipped_groups;  // groups with fewer than kMinimumSamples invocations
};

// Groups the reports by (function, memory size) and fits each group. Throws ModelError when a
// report has no function (no log group and no options.function), when a function is not in
// options.model, or when no group has kMinimumSamples invocations.
LogCalibration calibrate_reports(const std::vector<LambdaReport>& reports, const LogCalibrationOptions& options);

// --- The model fragment and the check ----------------------------------------------------------

// The fitted values as --set overrides of one group: memory, memory_used, cold_start (when
// fitted) and steps (the handler's own part as an io step, then the model's call steps as they
// were; with no model, the one io step). `model_json` is the model as effective_json gives it, or
// empty without a model.
std::vector<Override> calibration_overrides(const FunctionCalibration& group, const std::string& model_json);
// The same as a YAML fragment to paste under `components:`, with a comment naming the files, the
// sample counts and the fit quality.
std::string calibration_fragment(const FunctionCalibration& group, const std::vector<Override>& overrides);

// One row of the side-by-side check: measured (with its 95% interval) against the calibrated
// model's run, and whether they agree within the sampling error of both.
struct CheckRow {
  std::string quantity;  // "duration p50", "init p99", "cold-start share"
  double measured = 0, measured_low = 0, measured_high = 0;
  std::optional<double> simulated;               // none when the run had no such sample (no cold start)
  double tolerance_low = 0, tolerance_high = 0;  // simulated must lie in [measured − low, measured + high]
  std::optional<bool> within;                    // none: too few samples on one side to judge (see bounded_sample_size)
};

struct CalibrationCheck {
  std::string function;
  int memory_mb = 0;
  std::uint64_t simulated_invocations = 0;
  std::vector<CheckRow> rows;
};

// Runs the model with the group's overrides applied (model text as loaded, plus `overrides`,
// plus the calibration's) and compares percentiles and the cold-start share.
struct CheckModel {
  std::string yaml_text, display_name, base_dir = ".";
  std::vector<Override> overrides;
  std::optional<double> duration_ns;
  std::optional<std::uint64_t> seed;
  std::function<void()> check_interrupt;  // as RunOptions::check_interrupt (Ctrl-C in Python)
};
// The model of a file, as --model names it (checked by load_model first, with its messages).
CheckModel check_model_from_file(const std::string& path, const std::vector<Override>& overrides);
CalibrationCheck check_calibration(const FunctionCalibration& group, const std::vector<Override>& calibrated,
                                   const CheckModel& model);

// Everything as one JSON document (the CLI's --format json; Python builds its DataFrames from it).
nlohmann::ordered_json log_calibration_to_json(const ReportReading& reading, const LogCalibration& calibration,
                                               const std::vector<std::vector<Override>>& overrides,
                                               const std::vector<std::string>& fragments,
                                               const std::vector<CalibrationCheck>& checks);

// The whole study, as `sluice calibrate --logs` and `sluice.calibrate_logs` make it: read, fit,
// the fragment and the overrides of each group, and, with a model, its check.
struct LogCalibrationRequest {
  std::vector<std::string> paths;
  bool skip_bad_lines = false;
  std::string function;
  std::optional<CheckModel> model;  // subtract its calls and check the calibration by running it
  std::uint64_t seed = 1;           // the calls' latency draws
};
nlohmann::ordered_json calibrate_logs(const LogCalibrationRequest& request);

}  // namespace sluice
