#pragma once
// `sluice compare`: several designs, one workload, side by side.
#include <optional>
#include <string>
#include <vector>

#include "sluice/model.hpp"

namespace sluice::cli {

struct CompareArgs {
  std::vector<std::string> models;
  std::vector<Override> overrides;  // applied to every design
  std::string duration;             // a duration, or empty
  std::optional<std::uint64_t> seed;
  std::string format = "table";
};

// Returns the exit code: 0, or 1 when a design's ledger does not balance.
int compare_command(const CompareArgs& args);

}  // namespace sluice::cli
