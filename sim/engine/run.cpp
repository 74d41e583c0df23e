// The public entry point: build the engine from a model, run it, and read the results out.
#include "sluice/run.hpp"

#include <fmt/format.h>

#include "engine/engine.hpp"
#include "engine/summary.hpp"
#include "sluice/errors.hpp"
#include "sluice/units.hpp"

namespace sluice {

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
                     fmt::format("the warm-up ({}) must be shorter than the run ({})",
                                 units::format_duration_ns(model.run.warmup_ns),
                                 units::format_duration_ns(static_cast<double>(end.ns))));
}

Results run(const ModelSpec& model, const RunOptions& options) {
  check_run_options(model, options);
  engine::Engine e(model, options);
  e.run();
  Results r;
  r.summary = engine::build_summary(e);
  r.summary["run"]["seed"] = options.seed.value_or(model.run.seed);
  r.timeseries = e.series().finish();
  r.wall_s = e.wall_seconds();
  for (const auto& w : model.warnings) r.warnings.push_back(format_error(w.where, w.key_path, w.message));
  return r;
}

}  // namespace sluice
