// The public entry point: build the engine from a model, run it, and read the results out.
#include "sluice/run.hpp"

#include "engine/engine.hpp"
#include "engine/summary.hpp"

namespace sluice {

Results run(const ModelSpec& model, const RunOptions& options) {
  engine::Engine e(model, options);
  e.run();
  Results r;
  r.summary = engine::build_summary(e);
  r.summary["run"]["seed"] = options.seed.value_or(model.run.seed);
  r.timeseries = e.series().finish();
  for (const auto& w : model.warnings) r.warnings.push_back(format_error(w.where, w.key_path, w.message));
  return r;
}

}  // namespace sluice
