#pragma once
// The summary of a finished run: summary.json schema 1 (MODEL.md), from the engine's counters.
#include <nlohmann/json.hpp>

namespace sluice::engine {
class Engine;

nlohmann::ordered_json build_summary(const Engine& engine);

}  // namespace sluice::engine
