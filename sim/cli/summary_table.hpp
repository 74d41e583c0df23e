#pragma once
// The readable summary printed by `sluice run`.
#include <string>

#include "sluice/results.hpp"

namespace sluice::cli {

std::string summary_table(const Results& results);

}  // namespace sluice::cli
