// Names that point at other components: each must name a component of a type that can take
// that kind of work. Which names a component uses, and which types each may name, its spec says
// (links(), sluice/model/links.hpp); a trigger's names are resolved by the trigger reader, a
// fault's by the fault reader, both with require_component.
#include <algorithm>

#include <fmt/format.h>

#include "model/named_nodes.hpp"
#include "model/readers.hpp"
#include "model/suggest.hpp"

namespace sluice::model {
namespace {

// "a", "a or b", "a, b or c"
std::string either(const std::vector<std::string>& words) {
  if (words.size() <= 2) return join(words, " or ");
  std::vector<std::string> head(words.begin(), words.end() - 1);
  return join(head) + " or " + words.back();
}

// The types whose kFromSource (or, for `invocation: async`, kFromAsyncSource) is a link.
template <class... Spec>
std::vector<std::string> source_target_types(bool async, const std::variant<Spec...>*) {
  std::vector<std::string> types;
  auto add = [&](LinkKind link, std::string_view type) {
    if (!link.none()) types.emplace_back(type);
  };
  (add(async ? Spec::kFromAsyncSource : Spec::kFromSource, Spec::kType), ...);
  return types;
}
const std::vector<std::string>& source_target_types(bool async) {
  static const std::vector<std::string> sync_types =
      source_target_types(false, static_cast<const ComponentConfig*>(nullptr));
  static const std::vector<std::string> async_types =
      source_target_types(true, static_cast<const ComponentConfig*>(nullptr));
  return async ? async_types : sync_types;
}

// The YAML node at `key` ("steps.2.send") below `node`; a number indexes a list.
YAML::Node node_below(YAML::Node node, std::string_view key) {
  std::size_t dot = key.find('.');
  std::string head(key.substr(0, dot));
  bool index = !head.empty() && head.find_first_not_of("0123456789") == std::string::npos;
  YAML::Node child = index ? node[std::size_t{std::stoul(head)}] : node[head];
  return dot == std::string_view::npos ? child : node_below(child, key.substr(dot + 1));
}

void resolve_source(const LoadContext& ctx, const ModelSpec& m, YAML::Node node, const SourceSpec& s) {
  // A component a source cannot target says why (a table is called from functions' steps).
  const ComponentSpec* named = m.find_component(s.target);
  std::string hint =
      named ? std::visit([](const auto& spec) { return std::string(spec.kFromSource.none() ? spec.kSourceHint : ""); },
                         named->config)
            : "";
  const ComponentSpec& target = require_component(ctx, m, node["target"], "sources." + s.name + ".target", s.target,
                                                  source_target_types(false), "a source's target", hint);
  // Asynchronous invocation is Lambda's (aws-facts §1.4); queues, topics and streams take a
  // message with their own API call.
  bool takes_async = std::visit([](const auto& spec) { return !spec.kFromAsyncSource.none(); }, target.config);
  if (s.async && !takes_async) {
    const auto& types = source_target_types(true);
    ctx.fail(node["invocation"], "sources." + s.name + ".invocation",
             fmt::format("invocation: async applies to {} {} target only; '{}' is {} {}, which takes the "
                         "source's messages with its own API call (leave invocation out)",
                         article(types.front()), either(types), s.target, article(target.type), target.type));
  }
}

void resolve_link(const LoadContext& ctx, const ModelSpec& m, const ComponentSpec& c, const YAML::Node& node,
                  const ComponentLink& link) {
  std::string path = "components." + c.name + "." + link.key;
  YAML::Node at = node_below(node, link.key);
  std::vector<std::string> types(link.types.begin(), link.types.end());
  std::string hint;
  if (const ComponentSpec* named = m.find_component(link.name);
      link.hint_from_target && named && std::find(types.begin(), types.end(), named->type) == types.end())
    hint = std::visit([](const auto& spec) { return std::string(spec.kStepHint); }, named->config);
  require_component(ctx, m, at, path, link.name, types, std::string(link.what), hint);
  if (!link.not_itself.empty() && link.name == c.name) ctx.fail(at, path, std::string(link.not_itself));
}

}  // namespace

const ComponentSpec& require_component(const LoadContext& ctx, const ModelSpec& m, const YAML::Node& at,
                                       const std::string& path, const std::string& name,
                                       const std::vector<std::string>& types, const std::string& what,
                                       const std::string& hint) {
  const ComponentSpec* c = m.find_component(name);
  if (!c) {
    std::vector<std::string> names;
    for (const auto& other : m.components) names.push_back(other.name);
    bool is_source = false;
    for (const auto& s : m.sources) is_source = is_source || s.name == name;
    ctx.fail(at, path,
             is_source ? fmt::format("'{}' is a source, not a component", name)
                       : fmt::format("{} is not a component of this model{}", quote(name), did_you_mean(name, names)));
  }
  for (const auto& t : types)
    if (c->type == t) return *c;
  ctx.fail(at, path,
           fmt::format("{} must be {}; '{}' is {} {}{}", what, either(types), name, article(c->type), c->type,
                       hint.empty() ? "" : " (" + hint + ")"));
}

void resolve_references(const LoadContext& ctx, const YAML::Node& root, const ModelSpec& m) {
  const NamedNodes sources(root["sources"]), components(root["components"]);
  for (const auto& s : m.sources) resolve_source(ctx, m, sources[s.name], s);
  for (const auto& c : m.components) {
    YAML::Node node = components[c.name];
    for (const auto& link : std::visit([](const auto& spec) { return spec.links(); }, c.config))
      if (!link.resolved_by_reader) resolve_link(ctx, m, c, node, link);
  }
}

}  // namespace sluice::model
