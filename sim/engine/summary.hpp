#pragma once
// The summary of a finished run (summary.json schema 1), from the engine's counters.
#include "sluice/summary.hpp"

namespace sluice::engine {
class Engine;

summary::Summary build_summary(const Engine& engine);

}  // namespace sluice::engine
