#pragma once
// `sluice sweep`: a grid of --set values and ranges, each point run --replications times, and per
// point and metric the mean with its 95% confidence interval (sluice/sweep.hpp does the work).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::cli {

struct SweepArgs {
  std::string model;
  std::vector<std::string> sets;     // key=values (sweep.hpp's grammar)
  std::vector<std::string> metrics;  // empty: default_sweep_metrics
  int replications = 5;
  std::string duration;  // a duration, or empty
  std::optional<std::uint64_t> seed;
  std::optional<int> workers;  // default: the number of CPUs
  std::string format = "table";
  std::string out;  // a file, or empty for stdout
  bool quiet = false;
};

int sweep_command(const SweepArgs& args);

}  // namespace sluice::cli
