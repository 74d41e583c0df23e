#pragma once
// The entries of a `sources:` or `components:` map by name, found in constant time. yaml-cpp
// finds a map's key by walking the map, so looking every component up in `components:` that
// way made loading a model of n components take time in n^2 (10,000 components: 7 s).
#include <string>
#include <unordered_map>

#include <yaml-cpp/yaml.h>

namespace sluice::model {

class NamedNodes {
 public:
  explicit NamedNodes(const YAML::Node& map) {
    if (!map.IsMap()) return;
    for (const auto& entry : map) nodes_.emplace(entry.first.Scalar(), entry.second);
  }
  // The entry's node, or an undefined node when there is none (as yaml-cpp's operator[] gives).
  YAML::Node operator[](const std::string& name) const {
    auto it = nodes_.find(name);
    return it != nodes_.end() ? it->second : YAML::Node(YAML::NodeType::Undefined);
  }

 private:
  std::unordered_map<std::string, YAML::Node> nodes_;
};

}  // namespace sluice::model
