// The public entry point: build the engine from a model, run it, and read the results out.
#include "sluice/run.hpp"

#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "engine/engine.hpp"
#include "engine/summary.hpp"
#include "sluice/errors.hpp"
#include "sluice/units.hpp"

namespace sluice {
namespace {

// The engine, or bad input when its time series alone would exceed the memory budget: refused
// before their memory is taken, with a bucket that would fit.
std::unique_ptr<engine::Engine> build(const ModelSpec& model, const RunOptions& options) {
  try {
    return std::make_unique<engine::Engine>(model, options);
  } catch (const metrics::SeriesOverBudget& e) {
    double needed_bucket_ns = model.run.bucket_ns * std::ceil(e.bytes / e.budget * 1.05);
    double suggestion = 1e9;
    for (double b : {1e9, 10e9, 60e9, 300e9, 900e9, 3600e9, 6 * 3600e9, 86400e9})
      if ((suggestion = b) >= needed_bucket_ns) break;
    throw ModelError(SourceLocation{model.file, 0, 0}, "run.bucket",
                     fmt::format("the time series would need more than {} with {} buckets (run.budget.memory: {}); "
                                 "raise run.bucket to {} (--set run.bucket={}), or shorten the run",
                                 units::format_size_bytes(e.bytes), units::format_duration_ns(model.run.bucket_ns),
                                 units::format_size_bytes(e.budget), units::format_duration_ns(suggestion),
                                 units::format_duration_ns(suggestion)));
  }
}

}  // namespace

void check_run_options(const ModelSpec& model, const RunOptions& options) {
  // A duration given at run time gets the same checks as run.duration in the model.
  if (options.duration_ns) {
    SourceLocation where{"--duration " + units::format_duration_ns(*options.duration_ns), 0, 0};
    if (!(*options.duration_ns >= 1e6 && *options.duration_ns <= 366.0 * 86400e9))
      throw ModelError(where, "run.duration", "the run's duration must be between 1ms and 366d");
    if (*options.duration_ns / model.run.bucket_ns > 1e6)
      throw ModelError(where, "run.bucket", "more than a million time-series buckets: choose a coarser run.bucket");
  }
  // Compared as the engine's clock will hold them (whole nanoseconds).
  auto end = kernel::SimTime::from_ns_rounded(options.duration_ns.value_or(model.run.duration_ns));
  if (kernel::SimTime::from_ns_rounded(model.run.warmup_ns) >= end)
    throw ModelError(SourceLocation{options.duration_ns ? "--duration" : model.file, 0, 0}, "run.warmup",
                     fmt::format("the warm-up ({}) must be shorter than the run ({}): shorten it, e.g. --set "
                                 "run.warmup={} (a tenth of the run) or --set run.warmup=0s",
                                 units::format_duration_ns(model.run.warmup_ns),
                                 units::format_duration_ns(static_cast<double>(end.ns)),
                                 units::format_duration_ns(static_cast<double>(end.ns) / 10)));
}

Results run(const ModelSpec& model, const RunOptions& options) {
  check_run_options(model, options);
  std::unique_ptr<engine::Engine> built = build(model, options);
  engine::Engine& e = *built;
  e.run();
  Results r;
  r.summary = engine::build_summary(e);
  r.summary.run.seed = options.seed.value_or(model.run.seed);
  r.timeseries = e.series().finish();
  r.wall_s = e.wall_seconds();
  for (const auto& w : model.warnings) r.warnings.push_back(format_error(w.where, w.key_path, w.message));
  return r;
}

}  // namespace sluice
