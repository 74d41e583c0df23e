#pragma once
// The seed corpus: the models a mutation run starts from.
#include <string>
#include <vector>

#include "mutation_runner.hpp"

namespace sluice::fuzz {

// Every .yaml file given, or found (recursively) under a folder given, sorted by path so that a
// seed number means the same inputs on every machine. Each seed's base_dir is its folder.
std::vector<SeedModel> load_seed_models(const std::vector<std::string>& paths);

}  // namespace sluice::fuzz
