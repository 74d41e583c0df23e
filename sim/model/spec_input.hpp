#pragma once
// What a service's reader (Spec::read, declared with the spec in sluice/model/<service>.hpp and
// defined in sim/model/<service>_reader.cpp) reads: one component's YAML node, with what every
// message needs to point at it, and the account, whose quotas bound some settings.
#include <string>

#include "model/yaml_reader.hpp"

namespace sluice::model {

struct SpecInput {
  const LoadContext& ctx;
  const YAML::Node& node;      // the component's mapping
  const std::string& path;     // its key path: "components.<name>"
  const AccountSpec& account;  // read before the components
};

}  // namespace sluice::model
