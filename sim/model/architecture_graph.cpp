#include "model/architecture_graph.hpp"

#include <algorithm>
#include <deque>

#include <fmt/format.h>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/strong_components.hpp>

namespace sluice {
namespace {

struct Node {
  std::string name;
  std::string kind;       // "source" or the component type
  bool function = false;  // its spec's kFunction: Lambda's recursive-loop detection counts it
  bool stream = false;    // its spec's kStream: a poll of it starts a new chain for that detection
};
struct Edge {
  // invoke, invoke_async, send, publish, put, read, write, query, transact_write, subscription,
  // poll, dead_letter, on_failure
  std::string how;
  bool sync = false;  // the caller waits for the answer (invoke, a table call); otherwise the work is handed over
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, Node, Edge>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using EdgeRef = boost::graph_traits<Graph>::edge_descriptor;

struct ArchitectureGraph {
  Graph g;
  std::map<std::string, Vertex> by_name;
  std::size_t sources = 0;
};

// How a source hands its requests to its target: the target's spec says (kFromSource, or
// kFromAsyncSource with invocation: async).
LinkKind source_link(const SourceSpec& s, const ComponentSpec& target) {
  return std::visit([&](const auto& spec) { return s.async ? spec.kFromAsyncSource : spec.kFromSource; },
                    target.config);
}

// The edges in the order the specs give them (links()), component by component in model order:
// `sluice graph` prints them in this order.
ArchitectureGraph build_graph(const ModelSpec& model) {
  ArchitectureGraph a;
  for (const auto& s : model.sources) a.by_name[s.name] = boost::add_vertex(Node{s.name, "source"}, a.g);
  a.sources = model.sources.size();
  for (const auto& c : model.components) {
    Node node = std::visit(
        [&](const auto& spec) {
          return Node{c.name, c.type, spec.kFunction, spec.kStream};
        },
        c.config);
    a.by_name[c.name] = boost::add_vertex(node, a.g);
  }
  auto link = [&](const std::string& from, const std::string& to, LinkKind kind) {
    auto f = a.by_name.find(from), t = a.by_name.find(to);
    if (f == a.by_name.end() || t == a.by_name.end() || kind.none()) return;  // unresolved: the loader has refused it
    boost::add_edge(f->second, t->second, Edge{std::string(kind.how), kind.sync}, a.g);
  };
  for (const auto& s : model.sources)
    if (const ComponentSpec* target = model.find_component(s.target)) link(s.name, s.target, source_link(s, *target));
  for (const auto& c : model.components)
    for (const auto& l : std::visit([](const auto& spec) { return spec.links(); }, c.config))
      if (l.inbound) link(l.name, c.name, l.kind);
      else link(c.name, l.name, l.kind);
  return a;
}

// Records the first back edge found: it closes a cycle.
template <class G>
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<Vertex>* stack;
  std::vector<Vertex>* cycle;
  void discover_vertex(Vertex v, const G&) { stack->push_back(v); }
  void finish_vertex(Vertex, const G&) { stack->pop_back(); }
  template <class E>
  void back_edge(E e, const G& g) {
    if (!cycle->empty()) return;
    Vertex target = boost::target(e, g);
    auto it = std::find(stack->begin(), stack->end(), target);
    cycle->assign(it, stack->end());
    cycle->push_back(target);
  }
};

struct SynchronousOnly {
  const Graph* g = nullptr;
  bool operator()(EdgeRef e) const { return (*g)[e].sync; }
};

// The edges along which a chain of requests stays one chain for Lambda's recursive-loop detection:
// all but the polls of a Kinesis or DynamoDB stream, which the detection does not follow
// (aws-facts §1.5 S-L16: SQS, SNS and Lambda).
struct CarriesChain {
  const Graph* g = nullptr;
  bool operator()(EdgeRef e) const { return !((*g)[e].how == "poll" && (*g)[boost::source(e, *g)].stream); }
};

std::string show_path(const Graph& g, const std::vector<Vertex>& path) {
  std::string out;
  for (Vertex v : path) out += (out.empty() ? "" : " -> ") + g[v].name;
  return out;
}

// The shortest loop from `start` back to itself within its strongly connected component.
std::vector<Vertex> loop_through(const Graph& g, Vertex start, const std::vector<int>& component) {
  std::vector<Vertex> parent(boost::num_vertices(g), boost::graph_traits<Graph>::null_vertex());
  std::deque<Vertex> queue{start};
  std::vector<bool> seen(boost::num_vertices(g), false);
  while (!queue.empty()) {
    Vertex v = queue.front();
    queue.pop_front();
    for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
      Vertex w = boost::target(*e, g);
      if (component[w] != component[start]) continue;
      if (w == start) {  // back at the start: unwind
        std::vector<Vertex> path{start};
        for (Vertex u = v; u != start; u = parent[u]) path.insert(path.begin() + 1, u);
        path.push_back(start);
        return path;
      }
      if (seen[w]) continue;
      seen[w] = true;
      parent[w] = v;
      queue.push_back(w);
    }
  }
  return {};
}

// Loops through at least one asynchronous hop: one warning per strongly connected component.
void warn_about_asynchronous_loops(const ArchitectureGraph& a, ModelSpec& model) {
  std::vector<int> component(boost::num_vertices(a.g));
  int count = boost::strong_components(
      a.g, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, a.g)));
  // Each loop is told from the first function in it (in model order), else from its first queue.
  std::vector<Vertex> start(static_cast<std::size_t>(count), boost::graph_traits<Graph>::null_vertex());
  for (auto [v, end] = boost::vertices(a.g); v != end; ++v) {
    Vertex& s = start[static_cast<std::size_t>(component[*v])];
    if (s == boost::graph_traits<Graph>::null_vertex() || (a.g[*v].function && !a.g[s].function)) s = *v;
  }
  std::sort(start.begin(), start.end());  // model order
  for (Vertex from : start) {
    std::vector<Vertex> loop = loop_through(a.g, from, component);
    if (loop.empty()) continue;
    bool through_lambda = false, through_stream = false;
    for (Vertex u : loop) {
      through_lambda = through_lambda || a.g[u].function;
      // A table in a loop is a DynamoDB stream (a write step alone never closes a loop).
      through_stream = through_stream || a.g[u].stream;
    }
    std::string path = show_path(a.g, loop);
    std::string message =
        !through_lambda ? fmt::format(
                              "dead-letter loop {}: a message that keeps failing moves between these queues for as "
                              "long as they keep it",
                              path)
        : through_stream ? fmt::format(
                               "recursive loop {} through asynchronous hops: Lambda's recursive-loop detection covers "
                               "SQS, SNS and Lambda only (aws-facts §1.5), so nothing stops a chain through Kinesis "
                               "or DynamoDB Streams",
                               path)
                         : fmt::format(
                               "recursive loop {} through asynchronous hops: Lambda stops such a chain after 16 "
                               "invocations (aws-facts §1.5)",
                               path);
    const ComponentSpec* first = model.find_component(a.g[loop.front()].name);
    model.warnings.push_back(Warning{first ? first->where : SourceLocation{model.file, 0, 0},
                                     "components." + a.g[loop.front()].name, message});
  }
}

// A queue or stream that work reaches but no function polls: its messages or records only wait
// to expire, which is rarely what was meant. A dead-letter queue or on-failure destination is
// exempt: it is a parking place for failures, left to a person to inspect or redrive, and its
// depth is reported. A component no source reaches has its own warning already.
void warn_about_unconsumed(const ArchitectureGraph& a, const std::vector<boost::default_color_type>& colour,
                           ModelSpec& model) {
  std::vector<bool> polled(boost::num_vertices(a.g), false), parking(boost::num_vertices(a.g), false);
  for (auto [e, end] = boost::edges(a.g); e != end; ++e) {
    const std::string& how = a.g[*e].how;
    if (how == "poll") polled[boost::source(*e, a.g)] = true;
    if (how == "dead_letter" || how == "on_failure") parking[boost::target(*e, a.g)] = true;
  }
  for (const auto& c : model.components) {
    Vertex v = a.by_name.at(c.name);
    if (polled[v] || parking[v] || colour[v] == boost::white_color) continue;
    std::string message = std::visit([](const auto& spec) { return spec.unpolled_warning(); }, c.config);
    if (!message.empty()) model.warnings.push_back(Warning{c.where, "components." + c.name, message});
  }
}

}  // namespace

namespace model {

void check_architecture(ModelSpec& model) {
  ArchitectureGraph a = build_graph(model);
  // A loop of synchronous invocations only: an error.
  boost::filtered_graph<Graph, SynchronousOnly> sync(a.g, SynchronousOnly{&a.g});
  std::vector<Vertex> stack, cycle;
  CycleFinder<decltype(sync)> finder;
  finder.stack = &stack;
  finder.cycle = &cycle;
  std::vector<boost::default_color_type> dfs_colour(boost::num_vertices(a.g), boost::white_color);
  boost::depth_first_search(sync, boost::visitor(finder).color_map(boost::make_iterator_property_map(
                                      dfs_colour.begin(), boost::get(boost::vertex_index, a.g))));
  if (!cycle.empty()) {
    const ComponentSpec* first = model.find_component(a.g[cycle.front()].name);
    throw ModelError(first ? first->where : SourceLocation{model.file, 0, 0}, "components." + a.g[cycle.front()].name,
                     fmt::format("recursion loop: {} (each invocation calls the next synchronously, so the run "
                                 "could never end)",
                                 show_path(a.g, cycle)));
  }
  warn_about_asynchronous_loops(a, model);
  // Reachability from every source at once, along every kind of edge.
  std::vector<boost::default_color_type> colour(boost::num_vertices(a.g), boost::white_color);
  auto colours = boost::make_iterator_property_map(colour.begin(), boost::get(boost::vertex_index, a.g));
  for (std::size_t s = 0; s < a.sources; ++s)
    if (colour[s] == boost::white_color)
      boost::breadth_first_visit(a.g, boost::vertex(s, a.g), boost::color_map(colours));
  for (const auto& c : model.components)
    if (colour[a.by_name.at(c.name)] == boost::white_color)
      model.warnings.push_back(
          Warning{c.where, "components." + c.name, "no source reaches this component: it will see no traffic"});
  warn_about_unconsumed(a, colour, model);
}

std::vector<int> function_loops(const ModelSpec& model) {
  ArchitectureGraph a = build_graph(model);
  boost::filtered_graph<Graph, CarriesChain> chain(a.g, CarriesChain{&a.g});
  std::vector<int> component(boost::num_vertices(a.g));
  int count = boost::strong_components(
      chain, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, a.g)));
  // A component is a loop if it has two vertices or more, or one with an edge to itself.
  std::vector<int> size(static_cast<std::size_t>(count), 0);
  std::vector<bool> self_edge(static_cast<std::size_t>(count), false);
  for (auto [v, end] = boost::vertices(a.g); v != end; ++v) ++size[static_cast<std::size_t>(component[*v])];
  for (auto [e, end] = boost::edges(chain); e != end; ++e)
    if (boost::source(*e, chain) == boost::target(*e, chain))
      self_edge[static_cast<std::size_t>(component[boost::source(*e, chain)])] = true;
  std::vector<int> loop_number(static_cast<std::size_t>(count), -1);
  int loops = 0;
  std::vector<int> out(model.components.size(), -1);
  for (std::size_t i = 0; i < model.components.size(); ++i) {
    if (!a.g[a.by_name.at(model.components[i].name)].function) continue;
    auto k = static_cast<std::size_t>(component[a.by_name.at(model.components[i].name)]);
    if (size[k] < 2 && !self_edge[k]) continue;
    if (loop_number[k] < 0) loop_number[k] = loops++;
    out[i] = loop_number[k];
  }
  return out;
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
    std::string_view shape = "ellipse";  // a source
    if (const ComponentSpec* c = model.find_component(n.name); c && n.kind != "source")
      shape = std::visit([](const auto& spec) { return spec.kDotShape; }, c->config);
    out += fmt::format("  \"{}\" [shape={}, label=\"{}\\n({})\"];\n", n.name, shape, n.name, n.kind);
  }
  // Synchronous calls (invocations, table calls) are solid; work handed over (queues, topics,
  // streams, async invokes) is dashed.
  for (auto [e, end] = boost::edges(a.g); e != end; ++e)
    out += fmt::format("  \"{}\" -> \"{}\" [label=\"{}\"{}];\n", a.g[boost::source(*e, a.g)].name,
                       a.g[boost::target(*e, a.g)].name, a.g[*e].how, a.g[*e].sync ? "" : ", style=dashed");
  out += "}\n";
  return out;
}

}  // namespace sluice
