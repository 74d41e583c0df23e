#include "model/overrides.hpp"

#include <charconv>

#include <fmt/format.h>

#include "model/suggest.hpp"
#include "model/yaml_document.hpp"

namespace sluice {

Override parse_override(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ModelError(SourceLocation{"--set " + text, 0, 0}, "",
                     "expected key.path=value, like components.ingest.memory=1024MB");
  return Override{text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace sluice

namespace sluice::model {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

std::vector<std::string> keys_of(const YAML::Node& map) {
  std::vector<std::string> keys;
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar()) keys.push_back(it->first.Scalar());
  return keys;
}

}  // namespace

void apply_overrides(YAML::Node& root, const LoadContext& ctx) {
  for (const auto& o : ctx.overrides) {
    SourceLocation where{"--set " + shorten(o.key_path) + "=" + shorten(o.value), 0, 0};
    const std::string key = shorten(o.key_path);  // as messages show it
    auto parts = split_path(o.key_path);
    for (const auto& p : parts)
      if (p.empty()) throw ModelError(where, key, "empty segment in the key path");
    // Each segment may create a mapping: a longer path would nest the model past its limit.
    if (parts.size() > static_cast<std::size_t>(kMaxNesting))
      throw ModelError(
          where, key,
          fmt::format("the key path has {} levels; a key path may have at most {}", parts.size(), kMaxNesting));
    YAML::Node value = parse_yaml(o.value, YamlOrigin{"value", where.file, key, false});
    YAML::Node cursor;
    cursor.reset(root);
    std::string walked;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const std::string& part = parts[i];
      bool last = i + 1 == parts.size();
      if (cursor.IsSequence()) {
        std::size_t index = 0;
        auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
        if (ec != std::errc() || ptr != part.data() + part.size() || index >= cursor.size())
          throw ModelError(where, key,
                           fmt::format("'{}' holds a list of {} items; {} is not an index into it", walked,
                                       cursor.size(), quote(part)));
        if (last) {
          cursor[index] = value;
        } else {
          YAML::Node next = cursor[index];
          cursor.reset(next);
        }
      } else if (cursor.IsMap() || cursor.IsNull()) {
        if (last) {
          cursor[part] = value;
        } else {
          // A missing section (say account: in a model without one) is created, and validation
          // then checks its keys; but a missing source or component is a typo, not a new one.
          bool named_collection = walked == "sources" || walked == "components";
          if (!cursor[part] && !named_collection) cursor[part] = YAML::Node(YAML::NodeType::Map);
          if (!cursor[part]) {
            auto keys = cursor.IsMap() ? keys_of(cursor) : std::vector<std::string>{};
            throw ModelError(where, key,
                             fmt::format("there is no {} under '{}'{}", quote(part),
                                         walked.empty() ? "the model" : walked, did_you_mean(part, keys)));
          }
          YAML::Node next = cursor[part];
          cursor.reset(next);
        }
      } else {
        throw ModelError(where, key, fmt::format("'{}' is a single value, it has no keys under it", walked));
      }
      walked += walked.empty() ? part : "." + part;
    }
    // Each value is within the limits, but where it lands counts too (its depth adds to the
    // path's, and its nodes to the model's).
    if (std::string problem = over_limits(root); !problem.empty())
      throw ModelError(where, key, "with this value the model " + problem);
  }
}

}  // namespace sluice::model
