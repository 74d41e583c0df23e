// YAML text -> ModelSpec: parse, apply --set overrides, read every section strictly, resolve
// names, check account-wide limits and the architecture graph.
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "model/architecture_graph.hpp"
#include "model/dynamodb_reader.hpp"
#include "model/lambda_reader.hpp"
#include "model/overrides.hpp"
#include "model/readers.hpp"
#include "model/spec_input.hpp"
#include "model/suggest.hpp"
#include "model/yaml_document.hpp"

namespace sluice {

const ComponentSpec* ModelSpec::find_component(const std::string& n) const {
  auto it = index_.position.find(n);
  if (it != index_.position.end() && it->second < components.size() && components[it->second].name == n)
    return &components[it->second];
  // Not there: trusted while the index covers every component (names are not changed after
  // loading); a model built or extended by hand is scanned.
  if (it == index_.position.end() && index_.position.size() == components.size()) return nullptr;
  for (const auto& c : components)
    if (c.name == n) return &c;
  return nullptr;
}

void ModelSpec::index_components() {
  index_.position.clear();
  for (std::size_t i = 0; i < components.size(); ++i) index_.position.emplace(components[i].name, i);
}

namespace {
template <class... Spec>
std::vector<std::string> type_names(const std::variant<Spec...>*) {
  return {std::string(Spec::kType)...};
}
}  // namespace

const std::vector<std::string>& supported_component_types() {
  static const std::vector<std::string> types = type_names(static_cast<const ComponentConfig*>(nullptr));
  return types;
}

namespace model {
namespace {

// A mapping of user-chosen names (sources, components): a map, names well-formed and unique.
template <class F>
void for_each_named(const LoadContext& ctx, const YAML::Node& node, const std::string& path, F&& f) {
  if (!node.IsMap()) ctx.fail(node, path, "expected a mapping of names, got " + describe_kind(node));
  std::map<std::string, int> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::string name = it->first.IsScalar() ? it->first.Scalar() : "";
    std::string key_path = path + "." + shorten(name);
    bool well_formed = !name.empty() && name.size() <= 80;
    for (char c : name)
      well_formed = well_formed && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    if (!well_formed)
      ctx.fail(it->first, key_path.empty() ? path : key_path,
               fmt::format("{} is not a valid name: use letters, digits, '-' and '_' (at most 80)", quote(name)));
    if (auto [pos, fresh] = seen.emplace(name, it->first.Mark().line + 1); !fresh)
      ctx.fail(it->first, key_path,
               fmt::format("the name '{}' is defined twice (first at line {})", name, pos->second));
    f(name, it->first, it->second);
  }
}

// The spec of the service whose kType is `type`, read by its reader (Spec::read); false for an
// unknown type.
template <class... Spec>
bool read_config_of(const SpecInput& in, const std::string& type, ComponentConfig& config,
                    const std::variant<Spec...>*) {
  return ((type == Spec::kType ? (config = Spec::read(in), true) : false) || ...);
}
bool read_config(const SpecInput& in, const std::string& type, ComponentConfig& config) {
  return read_config_of(in, type, config, static_cast<const ComponentConfig*>(nullptr));
}

ComponentSpec read_component(const LoadContext& ctx, const std::string& name, const YAML::Node& node,
                             const AccountSpec& account) {
  std::string path = "components." + name;
  if (!node.IsMap()) ctx.fail(node, path, "expected a mapping with a type, got " + describe_kind(node));
  if (!node["type"])
    ctx.fail(node, path + ".type", "every component needs a type: one of " + join(supported_component_types()));
  std::string type = scalar_text(ctx, node["type"], path + ".type");
  ComponentSpec c;
  c.name = name;
  c.type = type;
  c.where = ctx.locate(node, path);
  if (!read_config(SpecInput{ctx, node, path, account}, type, c.config)) {
    ctx.fail(node["type"], path + ".type",
             fmt::format("unknown component type {}{}; supported types: {}", quote(type),
                         did_you_mean(type, supported_component_types()), join(supported_component_types())));
  }
  return c;
}

// Reserved concurrency can take the account's limit down to 100 unreserved (aws-facts §1.2).
void check_concurrency(const LoadContext& ctx, const YAML::Node& root, const ModelSpec& m) {
  long reserved = 0, provisioned_unreserved = 0;
  for (const auto& c : m.components)
    if (const auto* f = std::get_if<LambdaSpec>(&c.config)) {
      if (f->reserved_concurrency) reserved += *f->reserved_concurrency;
      else provisioned_unreserved += f->provisioned_concurrency;
    }
  long limit = m.account.concurrency_limit;
  for (const auto& c : m.components)
    if (const auto* f = std::get_if<LambdaSpec>(&c.config); f && f->reserved_concurrency && reserved > limit - 100)
      ctx.fail(root["components"][c.name]["reserved_concurrency"], "components." + c.name + ".reserved_concurrency",
               fmt::format("functions reserve {} in all, but at most {} (the account limit of {} minus the 100 that "
                           "stay unreserved) can be reserved",
                           reserved, limit - 100, limit));
  for (const auto& c : m.components)
    if (const auto* f = std::get_if<LambdaSpec>(&c.config); f && !f->reserved_concurrency &&
                                                            f->provisioned_concurrency > 0 &&
                                                            provisioned_unreserved > limit - reserved - 100)
      ctx.fail(
          root["components"][c.name]["provisioned_concurrency"], "components." + c.name + ".provisioned_concurrency",
          fmt::format("provisioned concurrency of {} in all (on functions without reserved concurrency) would leave "
                      "less than 100 of the account's {} unreserved",
                      provisioned_unreserved, limit - reserved));
}

ModelSpec read_model(const LoadContext& ctx, YAML::Node root) {
  if (!root.IsDefined() || root.IsNull()) ctx.fail(root, "", "the model is empty");
  if (!root.IsMap()) ctx.fail(root, "", "a model is a mapping with sluice, run, sources and components keys");
  apply_overrides(root, ctx);
  MapReader top(ctx, root, "", {"sluice", "name", "description", "run", "account", "sources", "components", "faults"});
  ModelSpec m;
  m.file = ctx.file;
  std::int64_t version = top.integer("sluice", 0, INT32_MAX);
  if (version != 1)
    top.fail("sluice", fmt::format("this is model language version {}; sluice reads version 1", version));
  m.name = top.string_or("name", std::filesystem::path(ctx.file).stem().string());
  m.run = read_run(top);
  m.account = read_account(top);
  for_each_named(ctx, top.at("components"), "components",
                 [&](const std::string& name, const YAML::Node&, const YAML::Node& node) {
                   m.components.push_back(read_component(ctx, name, node, m.account));
                 });
  m.index_components();
  for_each_named(ctx, top.at("sources"), "sources",
                 [&](const std::string& name, const YAML::Node& key, const YAML::Node& node) {
                   if (m.find_component(name))
                     ctx.fail(key, "sources." + name,
                              fmt::format("'{}' is already the name of a component: names must be unique", name));
                   m.sources.push_back(read_source(ctx, name, node));
                 });
  if (m.sources.empty()) top.fail("sources", "a model needs at least one source of traffic");
  read_triggers(ctx, root, m);
  resolve_references(ctx, root, m);
  check_messaging(ctx, root, m);
  check_tables(ctx, root, m);
  m.faults = read_faults(ctx, top, m);
  check_concurrency(ctx, root, m);
  check_architecture(m);
  return m;
}

ModelSpec load(const std::string& text, const std::vector<Override>& overrides, const std::string& display_name,
               const std::string& base_dir) {
  LoadContext ctx{display_name, base_dir, overrides};
  YAML::Node root = parse_yaml(text, YamlOrigin{"model", display_name, "", true});
  try {
    return read_model(ctx, root);
  } catch (const YAML::Exception& e) {  // a shape yaml-cpp refused that our readers did not foresee
    throw ModelError(SourceLocation{display_name, e.mark.line + 1, e.mark.column + 1}, "", e.msg);
  }
}

}  // namespace
}  // namespace model

ModelSpec load_model(const std::string& path, const std::vector<Override>& overrides) {
  std::string text = model::read_yaml_file(path, "model file", "", SourceLocation{path, 0, 0}, "");
  std::string dir = std::filesystem::path(path).parent_path().string();
  return model::load(text, overrides, path, dir.empty() ? "." : dir);
}

ModelSpec load_model_from_string(const std::string& yaml_text, const std::vector<Override>& overrides,
                                 const std::string& display_name, const std::string& base_dir) {
  return model::load(yaml_text, overrides, display_name, base_dir);
}

}  // namespace sluice
