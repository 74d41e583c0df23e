#pragma once
// Cold-start presets per Lambda runtime, from aws-facts.md §1.3 (maxday/lambda-perf, S-L12).
#include <optional>
#include <string>
#include <vector>

#include "sluice/model.hpp"

namespace sluice::model {

// The cold-start (Init Duration) distribution for a runtime and architecture, or nothing when
// the runtime is unknown. SnapStart applies to Java runtimes only.
std::optional<Distribution> cold_start_preset(const std::string& runtime, LambdaSpec::Architecture arch,
                                              bool snap_start);
const std::vector<std::string>& known_runtimes();

}  // namespace sluice::model
