#pragma once
// Parameter sweeps: a grid of overridden values, every point run `replications` times, and for
// each point and metric the mean over the replications with its 95% confidence interval. The one
// implementation behind `sluice sweep` and the Python package's sluice.sweep (which also hands
// single replications to a Dask cluster, see run_replication).
//
// Replication r of every point runs with seed + r: the same random streams at every point
// (common random numbers), so differences between points come from the parameters and not from
// noise. Every run is deterministic, so the results do not depend on the number of workers.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/model.hpp"
#include "sluice/results.hpp"

namespace sluice {

// Limits that catch typos. 10,000 replications narrow a 95% interval to ±2% of one run's standard
// deviation (1.96/√10,000): past that a longer run is the cheaper way to a narrower interval. A
// million runs is days of work for any model worth sweeping, and every run's outcome is held in
// memory. Past a few threads per core nothing runs faster.
inline constexpr int kMaxReplications = 10'000;
inline constexpr std::size_t kMaxSweepRuns = 1'000'000;
inline constexpr int kMaxSweepWorkers = 1024;
inline constexpr std::size_t kMaxSweepValues = 10'000;  // the values of one key (a range's count)

// --- The grid ------------------------------------------------------------------------------

// One swept key and its values as text, exactly as --set takes a value.
struct SweepParameter {
  std::string key_path;
  std::vector<std::string> values;
};

// "key.path=VALUES", VALUES a comma-separated list of values and ranges (a comma inside {}, []
// or quotes belongs to its value):
//   512MB,1GB,2GB     the values as written
//   LO..HI:N          N values evenly spaced from LO to HI, both included (N >= 2)
//   LO..HI:+STEP      LO, LO + STEP, LO + 2·STEP, ... up to HI
// LO, HI and STEP are plain numbers or quantities of one kind (durations, sizes, rates,
// percentages); the values are written in LO's unit: 100/s..500/s:5 is 100/s, 200/s, ... 500/s.
// Throws ModelError naming "--set <text>".
SweepParameter parse_sweep_parameter(std::string_view text);
// Every combination of the parameters' values, the first parameter's varying slowest: the
// overrides of each point.
std::vector<std::vector<Override>> sweep_grid(const std::vector<SweepParameter>& parameters);

// --- Metrics: the numbers of a run's summary by dotted path ("sources.s.latency_ms.p99",
// "cost_usd.total"; a key holding dots joins the path as it is: "cost_usd.by_dimension.lambda.requests").

// The metrics swept when none are named: each source's p99 latency and cost per million
// requests, and the total cost.
std::vector<std::string> default_sweep_metrics(const ModelSpec& model);
// Every metric of the model's summary, in the summary's order, read from a run of 1 ms without
// warm-up: it has the summary of every run of the model, only with other numbers.
std::vector<std::string> summary_metrics(const ModelSpec& model);
// What is wrong with the first metric that is not in the model's summary ("metric 'x' is not in
// this model's summary; did you mean 'y'? ('sources.s' holds: ...)"), or nothing. Probes the
// model (summary_metrics).
std::optional<std::string> unknown_metric(const ModelSpec& model, const std::vector<std::string>& metrics);

// A metric's value in one run. Counts (the summary's whole numbers: invocations, cold starts,
// throttles) get an interval that never goes below zero. NaN where the run's summary has no number
// at that path (a percentile without samples is null).
struct MetricValue {
  double value = std::numeric_limits<double>::quiet_NaN();
  bool count = false;
};
std::vector<MetricValue> read_metrics(const Results& results, const std::vector<std::string>& metrics);

// --- Replications and intervals -------------------------------------------------------------

struct SweepSettings {
  std::vector<std::string> metrics;
  int replications = 5;
  std::uint64_t seed = 0;             // replication r runs with seed + r
  std::optional<double> duration_ns;  // overrides every point's run.duration
};

// seed + replication. Throws ModelError when it passes 2^64 - 1.
std::uint64_t replication_seed(std::uint64_t seed, int replication);
// One run of one point: replication `replication`, with its seed. `check_interrupt` as in RunOptions.
std::vector<MetricValue> run_replication(const ModelSpec& point, const SweepSettings& settings, int replication,
                                         const std::function<void()>& check_interrupt = {});

// A mean over replications and its 95% confidence interval (NaN bounds from one replication).
struct Interval {
  double mean = std::numeric_limits<double>::quiet_NaN();
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
  std::size_t n = 0;
};
// The two-sided 95% quantile of Student's t with `df` degrees of freedom (NaN for df = 0).
double t_quantile_975(std::size_t df);
// A quantity: Student's t interval, mean ± t(0.975, n-1)·s/√n.
Interval mean_interval(const std::vector<double>& values);
// Garwood's exact 95% interval for the mean of a Poisson count observed as `total`: the 2.5%
// quantile of Gamma(total) and the 97.5% quantile of Gamma(total + 1).
std::pair<double, double> poisson_interval(double total);
// A count: never below zero. It spans Garwood's interval of the mean (from the total of the n
// counts, divided by n) and the t interval, cut at zero: a count that varies like a Poisson count
// gets the exact interval, asymmetric near zero; one that varies more (cold starts and throttles
// come in bursts) at least the t interval. All zeros give [0, 3.69/n].
Interval count_interval(const std::vector<double>& values);
// A metric over replications: count_interval when every value is a count, else mean_interval.
Interval metric_interval(const std::vector<MetricValue>& replications);

// --- The whole sweep ------------------------------------------------------------------------

// Everything checked before the first run: replications (1..10,000), seed + replications - 1
// within 64 bits, at most a million runs, each point's run options (check_run_options), and every
// metric in each point's summary (a swept key can add parts of the summary or take them away).
// `labels` name the points in messages ("components.f.memory=512MB"); empty for one point.
// Throws ModelError.
void check_sweep(const std::vector<ModelSpec>& points, const std::vector<std::string>& labels,
                 const SweepSettings& settings);

struct SweepPointResult {
  std::vector<std::vector<MetricValue>> runs;  // [replication][metric]
  std::vector<Interval> intervals;             // [metric]
};

struct SweepExecution {
  int workers = 1;  // threads running replications; the results are the same for any number
  // Called from the calling thread (never from a worker) as runs finish.
  std::function<void(std::size_t done, std::size_t total)> on_progress;
  // Called from the calling thread about every 100 ms: to stop the sweep, throw. The runs in
  // flight stop too, and the exception leaves sweep().
  std::function<void()> check_interrupt;
};

// Runs every replication of every point on `workers` threads. Throws what a run throws
// (RunAborted for a run over its budget) after stopping the others.
std::vector<SweepPointResult> sweep(const std::vector<ModelSpec>& points, const SweepSettings& settings,
                                    const SweepExecution& execution = {});

}  // namespace sluice
