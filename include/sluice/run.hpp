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
};

// Simulates the model. Throws RunAborted when the run budget is exceeded.
Results run(const ModelSpec& model, const RunOptions& options = {});

}  // namespace sluice
