// A model's text with its --set overrides applied, written back as YAML or JSON. The text is
// read as the loader reads it (yaml_document.hpp), so these walks meet the same limits.
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "model/overrides.hpp"
#include "model/yaml_document.hpp"

namespace sluice {
namespace {

YAML::Node parse_with_overrides(const std::string& text, const std::vector<Override>& overrides,
                                const std::string& display_name) {
  YAML::Node root = model::parse_yaml(text, model::YamlOrigin{"model", display_name, "", true});
  model::LoadContext ctx{display_name, ".", overrides};
  if (!root.IsMap()) throw ModelError(SourceLocation{display_name, 0, 0}, "", "a model is a mapping of keys");
  model::apply_overrides(root, ctx);
  return root;
}

nlohmann::ordered_json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::ordered_json j = nlohmann::ordered_json::object();
      for (auto it = node.begin(); it != node.end(); ++it) j[it->first.as<std::string>("")] = to_json(it->second);
      return j;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::ordered_json j = nlohmann::ordered_json::array();
      for (const auto& item : node) j.push_back(to_json(item));
      return j;
    }
    case YAML::NodeType::Scalar:
      return node.Scalar();
    default:
      return nullptr;
  }
}

}  // namespace

std::string effective_yaml(const std::string& text, const std::vector<Override>& overrides,
                           const std::string& display_name) {
  YAML::Emitter out;
  out << parse_with_overrides(text, overrides, display_name);
  return std::string(out.c_str()) + "\n";
}

std::string effective_json(const std::string& text, const std::vector<Override>& overrides,
                           const std::string& display_name) {
  return to_json(parse_with_overrides(text, overrides, display_name)).dump();
}

}  // namespace sluice
