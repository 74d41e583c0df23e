#pragma once
// Studies built on runs: memory sizing (power tuning) and fitting a function's work from
// measurements. Shared by the command line and the Python package.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/model.hpp"
#include "sluice/results.hpp"
#include "sluice/run.hpp"

namespace sluice {

// --- Memory sizing: AWS Lambda Power Tuning's question, answered with the whole system around
// the function (concurrency, callers, downstream limits) rather than one function in isolation.

enum class TuneStrategy { cost, speed, balanced };
// The strategies by name ("cost", "speed", "balanced"), as `sluice tune --strategy` and
// sluice.power_tune(strategy=) take them; nothing for any other name.
const std::vector<std::string>& tune_strategy_names();
std::optional<TuneStrategy> parse_tune_strategy(std::string_view name);

struct PowerTuneOptions {
  std::string function;
  std::vector<int> memories_mb{128, 256, 512, 1024, 1536, 1769, 2048, 3008};
  std::optional<double> slo_p99_ms;  // the end-to-end p99 a recommendation must meet
  TuneStrategy strategy = TuneStrategy::cost;
  double balanced_weight = 0.5;  // 0 = speed only, 1 = cost only (Power Tuning's balancedWeight)
  RunOptions run;                // duration and seed for every memory size
};

struct PowerTunePoint {
  int memory_mb = 0;
  std::uint64_t invocations = 0, throttles = 0, errors = 0;
  // Percentiles exist only where there were samples: no invocation, no duration; no request
  // completed (every one crashed, say), no end-to-end latency.
  std::optional<double> duration_mean_ms, duration_p50_ms, duration_p99_ms;
  std::optional<double> end_to_end_p99_ms;  // the worst p99 over the sources that reach the function
  double cold_start_share = 0;              // cold starts / invocations
  double cost_per_million_usd = 0;          // the function's cost per 1M invocations (request charge included)
  std::uint64_t crashes = 0;                // timeouts and out-of-memory: a size that crashes is never recommended
  bool meets_slo = false;                   // false without an end-to-end p99: nothing completed to meet it
  bool eligible() const { return meets_slo && crashes == 0 && invocations > 0 && duration_mean_ms.has_value(); }
};

struct PowerTuneResult {
  std::vector<PowerTunePoint> points;
  std::optional<int> recommended_memory_mb;  // none when no memory size meets the SLO
  TuneStrategy strategy = TuneStrategy::cost;
  std::string explanation;
};

// Throws ModelError when the function does not exist or a memory size is out of range.
PowerTuneResult power_tune(const ModelSpec& model, const PowerTuneOptions& options);
// Picks among measured points the way Power Tuning does: cheapest (ties: fastest), fastest
// (ties: cheapest), or the least weight·cost/max cost + (1 − weight)·duration/max duration.
std::optional<int> recommend(const std::vector<PowerTunePoint>& points, TuneStrategy strategy, double balanced_weight);

// --- Calibration: a function's cpu, threads and io from measured (memory, duration) pairs.
// duration(m) = io + cpu / min(m / 1769 MB, threads), fitted by least squares for each whole
// number of threads (1..6); the best fit wins.

struct Measurement {
  double memory_mb = 0;
  double duration_ms = 0;
};

struct Calibration {
  double cpu_ms = 0;  // CPU time at one full vCPU
  int threads = 1;
  double io_ms = 0;  // time that does not shrink with memory
  double r_squared = 0;
  double rmse_ms = 0;
  std::size_t measurements = 0;
  std::vector<double> fitted_ms;  // the model's duration at each measurement
};

// Throws std::invalid_argument with a clear message on too few or malformed measurements.
Calibration calibrate(const std::vector<Measurement>& measurements);
// Reads "memory,duration" CSV (header allowed; memory in MB or with a unit like 512MB, duration
// in ms or with a unit like 120ms). Throws ModelError naming the file and line.
std::vector<Measurement> read_measurements_csv(const std::string& path);

// --- Design comparison: the same workload through several designs (SNS vs SQS vs Kinesis, say),
// side by side. Every design runs with the same seed, so sources with the same names see the
// same arrivals (common random numbers) and the differences are the designs'.

struct DesignComparison {
  std::string design;  // the model's name
  std::string file;    // the model's file
  std::uint64_t requests = 0, completed = 0;
  std::uint64_t in_flight = 0;                // requests still open at the end: their work has not finished
  double p50_ms = 0, p99_ms = 0;              // end to end: until a request's last descendant has ended
  double peak_backlog = 0;                    // the most messages waiting in any one queue, stream or async queue
  double oldest_message_age_s = 0;            // the oldest message any of them held
  std::uint64_t throttles = 0;                // refused for capacity anywhere (429s, Lambda throttles, Kinesis writes)
  std::map<std::string, std::uint64_t> lost;  // failed requests by reason (end to end)
  std::uint64_t dead_lettered = 0;            // messages moved to a dead-letter queue or on-failure destination
  std::uint64_t duplicates = 0;               // records processed successfully more than once
  double cost_per_month_usd = 0, cost_per_million_usd = 0;
  // Requests in flight gained over the last tenth of the measured window (arrivals minus ends),
  // and whether that growth is more than noise allows (see falling_behind()).
  std::int64_t in_flight_growth = 0;
  bool falling_behind = false;
  bool ledger_balanced = true;
};

// The rule for "falling behind": over the last tenth of the measured window (whole time-series
// buckets), requests in flight grew by more than 1% of the requests that arrived in it, and by more
// than 3 standard deviations of the difference of two Poisson counts of the sizes seen (in flight
// at the end, and then). A design that keeps up returns to its level: its growth is noise.
bool falling_behind(std::int64_t growth, std::uint64_t arrivals_in_window, std::uint64_t in_flight_at_end);

// One design's row, read from its run's summary and time series.
DesignComparison comparison_row(const Results& results);
// Runs every design with options.seed, or else the first design's run.seed. An error of a design
// (a warm-up longer than --duration, a run over its budget) names the design's file.
std::vector<DesignComparison> compare(const std::vector<ModelSpec>& designs, const RunOptions& options = {});
nlohmann::ordered_json comparison_to_json(const std::vector<DesignComparison>& rows);

// Overrides for a comparison: "key=value" applies to every design; "design:key=value" only to the
// design of that name (its model name or its file name without .yaml), since designs differ in
// their components. Returns the overrides of each design, in order; throws ModelError naming an
// unknown design.
struct DesignIdentity {
  std::string name;  // the model's name
  std::string file;  // the model's file
};
std::vector<std::vector<Override>> overrides_per_design(const std::vector<DesignIdentity>& designs,
                                                        const std::vector<Override>& overrides);
// True when every design has sources of the same names with the same arrivals: then, with one
// seed, each source sees the same arrivals in every design.
bool same_workload(const std::vector<ModelSpec>& designs);

}  // namespace sluice
