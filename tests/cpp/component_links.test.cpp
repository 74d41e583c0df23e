// Each spec's links() (sluice/model/links.hpp): the names a component uses for others, from which
// the loader checks every name (references.cpp) and `sluice graph` draws its edges. Checked on
// every model shipped (models/, tests/data/good) against the model's own YAML text.
#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "catch.hpp"
#include "sluice/model.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> shipped_models() {
  std::vector<fs::path> out;
  for (const char* dir : {"models", "tests/data/good"})
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(SLUICE_SOURCE_DIR) / dir))
      if (entry.path().extension() == ".yaml") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// The node at a dotted key path ("steps.2.send") below `node`, read without changing the document.
YAML::Node at_key(const YAML::Node& node, const std::string& key) {
  std::vector<YAML::Node> chain{node};
  std::size_t start = 0;
  while (start <= key.size()) {
    std::size_t dot = std::min(key.find('.', start), key.size());
    std::string part = key.substr(start, dot - start);
    const YAML::Node& parent = chain.back();
    bool index = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    chain.push_back(index ? parent[std::stoul(part)] : parent[part]);
    start = dot + 1;
  }
  return chain.back();
}

}  // namespace

TEST_CASE("every link names its component at its key path, and is an edge of the graph", "[links]") {
  std::map<std::string, int> kinds;  // edges by label, over every model
  auto models = shipped_models();
  REQUIRE(models.size() >= 10);
  for (const auto& path : models) {
    INFO(path.string());
    sluice::ModelSpec m = sluice::load_model(path.string());
    YAML::Node root = YAML::LoadFile(path.string());
    std::string dot = sluice::to_dot(m);
    std::size_t edges = m.sources.size();
    for (const auto& c : m.components) {
      for (const auto& link : std::visit([](const auto& spec) { return spec.links(); }, c.config)) {
        INFO(c.name + "." + link.key);
        YAML::Node named = at_key(root["components"][c.name], link.key);
        REQUIRE(named.IsScalar());
        CHECK(named.Scalar() == link.name);
        const sluice::ComponentSpec* target = m.find_component(link.name);
        REQUIRE(target != nullptr);
        CHECK(std::find(link.types.begin(), link.types.end(), target->type) != link.types.end());
        const std::string& from = link.inbound ? link.name : c.name;
        const std::string& to = link.inbound ? c.name : link.name;
        CHECK(dot.find(fmt::format("\"{}\" -> \"{}\" [label=\"{}\"{}];", from, to, link.kind.how,
                                   link.kind.sync ? "" : ", style=dashed")) != std::string::npos);
        ++kinds[std::string(link.kind.how)];
        ++edges;
      }
    }
    std::size_t drawn = 0;
    for (std::size_t at = dot.find(" -> "); at != std::string::npos; at = dot.find(" -> ", at + 1)) ++drawn;
    CHECK(drawn == edges);  // a source's edge each, and one per link: nothing else is drawn
  }
  // The shipped models use every kind of link a spec gives.
  for (const char* how : {"invoke", "invoke_async", "send", "publish", "put", "read", "write", "query",
                          "transact_write", "subscription", "poll", "dead_letter", "on_failure"}) {
    INFO(how);
    CHECK(kinds[how] > 0);
  }
}

namespace {

// A component a source cannot target says why (kSourceHint), so that the error can say what to do.
template <class Spec>
void check_entry() {
  INFO(Spec::kType);
  CHECK(Spec::kFromSource.none() != Spec::kSourceHint.empty());
}
template <class... Spec>
void check_entries(const std::variant<Spec...>*) {
  (check_entry<Spec>(), ...);
}

}  // namespace

TEST_CASE("every service says how a source reaches it, or why it cannot", "[links]") {
  check_entries(static_cast<const sluice::ComponentConfig*>(nullptr));
}
