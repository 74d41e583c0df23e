#pragma once
// --set key.path=value: applied to the YAML tree before it is read, so an override goes
// through exactly the same validation as the file itself.
#include <vector>

#include <yaml-cpp/yaml.h>

#include "model/yaml_reader.hpp"

namespace sluice::model {

void apply_overrides(YAML::Node& root, const LoadContext& ctx);

}  // namespace sluice::model
