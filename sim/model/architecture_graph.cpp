#include "model/architecture_graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <fmt/format.h>

namespace sluice {
namespace {

struct Node {
  std::string name;
  std::string kind;  // "source" or the component type
};
struct Edge {
  std::string how;  // invoke, ...
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, Node, Edge>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

struct ArchitectureGraph {
  Graph g;
  std::map<std::string, Vertex> by_name;
  std::size_t sources = 0;
};

ArchitectureGraph build_graph(const ModelSpec& model) {
  ArchitectureGraph a;
  for (const auto& s : model.sources) a.by_name[s.name] = boost::add_vertex(Node{s.name, "source"}, a.g);
  a.sources = model.sources.size();
  for (const auto& c : model.components) a.by_name[c.name] = boost::add_vertex(Node{c.name, c.type}, a.g);
  auto link = [&](const std::string& from, const std::string& to, const std::string& how) {
    boost::add_edge(a.by_name.at(from), a.by_name.at(to), Edge{how}, a.g);
  };
  for (const auto& s : model.sources) link(s.name, s.target, s.async ? "invoke_async" : "invoke");
  for (const auto& c : model.components) {
    if (const auto* g = std::get_if<ApiGatewaySpec>(&c.config)) link(c.name, g->target, "invoke");
    if (const auto* f = std::get_if<LambdaSpec>(&c.config))
      for (const auto& step : f->steps)
        if (step.kind == Step::Kind::invoke) link(c.name, step.target, "invoke");
  }
  return a;
}

// Records the first back edge found: it closes a cycle.
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<Vertex>* stack;
  std::vector<Vertex>* cycle;
  void discover_vertex(Vertex v, const Graph&) { stack->push_back(v); }
  void finish_vertex(Vertex, const Graph&) { stack->pop_back(); }
  void back_edge(boost::graph_traits<Graph>::edge_descriptor e, const Graph& g) {
    if (!cycle->empty()) return;
    Vertex target = boost::target(e, g);
    auto it = std::find(stack->begin(), stack->end(), target);
    cycle->assign(it, stack->end());
    cycle->push_back(target);
  }
};

}  // namespace

namespace model {

void check_architecture(ModelSpec& model) {
  ArchitectureGraph a = build_graph(model);
  std::vector<Vertex> stack, cycle;
  CycleFinder finder;
  finder.stack = &stack;
  finder.cycle = &cycle;
  boost::depth_first_search(a.g, boost::visitor(finder));
  if (!cycle.empty()) {
    std::string path;
    for (Vertex v : cycle) path += (path.empty() ? "" : " -> ") + a.g[v].name;
    const ComponentSpec* first = model.find_component(a.g[cycle.front()].name);
    throw ModelError(first ? first->where : SourceLocation{model.file, 0, 0}, "components." + a.g[cycle.front()].name,
                     fmt::format("recursion loop: {} (each invocation calls the next synchronously, so the run "
                                 "could never end)",
                                 path));
  }
  // Reachability from every source at once.
  std::vector<boost::default_color_type> colour(boost::num_vertices(a.g), boost::white_color);
  auto colours = boost::make_iterator_property_map(colour.begin(), boost::get(boost::vertex_index, a.g));
  for (std::size_t s = 0; s < a.sources; ++s)
    if (colour[s] == boost::white_color)
      boost::breadth_first_visit(a.g, boost::vertex(s, a.g), boost::color_map(colours));
  for (const auto& c : model.components)
    if (colour[a.by_name.at(c.name)] == boost::white_color)
      model.warnings.push_back(Warning{c.where, "components." + c.name,
                                       "no source reaches this component: it will see no traffic"});
}

std::vector<std::string> sources_reaching(const ModelSpec& model, const std::string& component) {
  ArchitectureGraph a = build_graph(model);
  std::vector<std::string> out;
  auto target = a.by_name.find(component);
  if (target == a.by_name.end()) return out;
  for (std::size_t s = 0; s < a.sources; ++s) {
    std::vector<boost::default_color_type> colour(boost::num_vertices(a.g), boost::white_color);
    auto colours = boost::make_iterator_property_map(colour.begin(), boost::get(boost::vertex_index, a.g));
    boost::breadth_first_visit(a.g, boost::vertex(s, a.g), boost::color_map(colours));
    if (colour[target->second] != boost::white_color) out.push_back(a.g[boost::vertex(s, a.g)].name);
  }
  return out;
}

}  // namespace model

std::string to_dot(const ModelSpec& model) {
  ArchitectureGraph a = build_graph(model);
  std::string out = fmt::format("digraph \"{}\" {{\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n", model.name);
  for (auto [v, end] = boost::vertices(a.g); v != end; ++v) {
    const Node& n = a.g[*v];
    const char* shape = n.kind == "source" ? "ellipse" : n.kind == "lambda" ? "box" : "component";
    out += fmt::format("  \"{}\" [shape={}, label=\"{}\\n({})\"];\n", n.name, shape, n.name, n.kind);
  }
  for (auto [e, end] = boost::edges(a.g); e != end; ++e)
    out += fmt::format("  \"{}\" -> \"{}\" [label=\"{}\"];\n", a.g[boost::source(*e, a.g)].name,
                       a.g[boost::target(*e, a.g)].name, a.g[*e].how);
  out += "}\n";
  return out;
}

}  // namespace sluice
