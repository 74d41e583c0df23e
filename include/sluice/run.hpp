#pragma once
// Running a model: the one entry point shared by the command line and the Python package.
#include <cstdint>
#include <functional>
#include <optional>

#include "sluice/model.hpp"
#include "sluice/results.hpp"

namespace sluice {

struct Progress {
  double simulated_s = 0;
  double total_s = 0;
  std::uint64_t events = 0;
  double wall_s = 0;
};

struct RunOptions {
  std::optional<double> duration_ns;  // overrides run.duration
  std::optional<std::uint64_t> seed;  // overrides run.seed
  // Called now and then from the simulation thread (about every 2^16 events).
  std::function<void(const Progress&)> on_progress;
  // Called from the simulation thread between batches of events (about every 2^16 events), so
  // that the caller can stop a long run (Ctrl-C in Python): to stop it, throw. The exception
  // leaves run() as it is, and nothing is returned.
  std::function<void()> check_interrupt;
};

// The checks run() makes of the options before any work, with the same messages: the duration
// within 1ms..366d and at most a million time-series buckets, and the warm-up shorter than the
// run. Throws ModelError. For callers that prepare many runs (a sweep) and want every one checked
// before the first starts.
void check_run_options(const ModelSpec& model, const RunOptions& options);

// Simulates the model. Throws ModelError when the options do not fit the model, RunAborted when
// the run budget is exceeded.
Results run(const ModelSpec& model, const RunOptions& options = {});

}  // namespace sluice
