#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <variant>

#include <fmt/format.h>

#include "model/architecture_graph.hpp"
#include "model/suggest.hpp"
#include "sluice/analysis.hpp"
#include "sluice/option_values.hpp"

namespace sluice {

const std::vector<std::string>& tune_strategy_names() {
  static const std::vector<std::string> names{"cost", "speed", "balanced"};  // TuneStrategy's order
  return names;
}

std::optional<TuneStrategy> parse_tune_strategy(std::string_view name) {
  const auto& names = tune_strategy_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<TuneStrategy>(i);
  return std::nullopt;
}

std::optional<int> recommend(const std::vector<PowerTunePoint>& points, TuneStrategy strategy, double weight) {
  std::vector<const PowerTunePoint*> eligible;
  for (const auto& p : points)
    if (p.eligible()) eligible.push_back(&p);
  if (eligible.empty()) return std::nullopt;
  double max_cost = 0, max_duration = 0;
  for (const auto* p : eligible) max_cost = std::max(max_cost, p->cost_per_million_usd);
  for (const auto* p : eligible) max_duration = std::max(max_duration, *p->duration_mean_ms);
  auto value = [&](const PowerTunePoint* p) {
    double c = max_cost > 0 ? p->cost_per_million_usd / max_cost : 0;
    double d = max_duration > 0 ? *p->duration_mean_ms / max_duration : 0;
    return weight * c + (1 - weight) * d;
  };
  auto better = [&](const PowerTunePoint* a, const PowerTunePoint* b) {
    switch (strategy) {
      case TuneStrategy::cost:
        return a->cost_per_million_usd != b->cost_per_million_usd ? a->cost_per_million_usd < b->cost_per_million_usd
                                                                  : *a->duration_mean_ms < *b->duration_mean_ms;
      case TuneStrategy::speed:
        return *a->duration_mean_ms != *b->duration_mean_ms ? *a->duration_mean_ms < *b->duration_mean_ms
                                                            : a->cost_per_million_usd < b->cost_per_million_usd;
      case TuneStrategy::balanced:
        return value(a) < value(b);
    }
    return false;
  };
  return (*std::min_element(eligible.begin(), eligible.end(), better))->memory_mb;
}

PowerTuneResult power_tune(const ModelSpec& model, const PowerTuneOptions& options) {
  const ComponentSpec* target = model.find_component(options.function);
  if (!target || target->type != "lambda") {
    std::vector<std::string> functions;
    for (const auto& c : model.components)
      if (c.type == "lambda") functions.push_back(c.name);
    throw ModelError(SourceLocation{model.file, 0, 0}, "--function",
                     fmt::format("'{}' is not a function of this model{}; functions: {}", options.function,
                                 model::did_you_mean(options.function, functions), model::join(functions)));
  }
  if (options.memories_mb.empty()) throw ModelError(SourceLocation{"--memories", 0, 0}, "", "no memory sizes to try");
  for (int mb : options.memories_mb) check_memory_mb(mb, "--memories");
  auto entry_points = model::sources_reaching(model, options.function);

  PowerTuneResult result;
  result.strategy = options.strategy;
  for (int mb : options.memories_mb) {
    ModelSpec variant = model;
    for (auto& c : variant.components)
      if (c.name == options.function) std::get<LambdaSpec>(c.config).memory_mb = mb;
    Results r = run(variant, options.run);
    const auto* f = std::get_if<summary::Lambda>(summary::find(r.summary.components, options.function));
    if (!f) throw std::logic_error("power_tune: the summary has no function " + options.function);
    const summary::LambdaMetrics& m = f->metrics;
    PowerTunePoint p;
    p.memory_mb = mb;
    p.invocations = m.invocations;
    p.throttles = m.throttles;
    p.errors = m.errors;
    p.crashes = f->failed[Failure::timeout] + f->failed[Failure::out_of_memory];
    if (p.invocations > 0) {
      p.duration_mean_ms = m.duration_ms.mean;
      p.duration_p50_ms = m.duration_ms.p50;
      p.duration_p99_ms = m.duration_ms.p99;
    }
    // The end-to-end p99 of the entry points with completed requests: a size at which every
    // request failed has none (its 0 was read as "meets any SLO" before).
    for (const auto& s : entry_points) {
      const summary::Source* source = summary::find(r.summary.sources, s);
      if (!source || source->completed == 0) continue;
      p.end_to_end_p99_ms = std::max(p.end_to_end_p99_ms.value_or(0.0), source->latency_ms.p99);
    }
    p.cold_start_share = p.invocations ? static_cast<double>(m.cold_starts) / static_cast<double>(p.invocations) : 0;
    p.cost_per_million_usd = p.invocations ? f->cost_usd.total / static_cast<double>(p.invocations) * 1e6 : 0;
    p.meets_slo = p.end_to_end_p99_ms && (!options.slo_p99_ms || *p.end_to_end_p99_ms <= *options.slo_p99_ms);
    result.points.push_back(p);
  }
  result.recommended_memory_mb = recommend(result.points, options.strategy, options.balanced_weight);
  bool any_crash = false;
  for (const auto& p : result.points) any_crash = any_crash || p.crashes > 0;
  std::string name = options.strategy == TuneStrategy::cost    ? "the cheapest"
                     : options.strategy == TuneStrategy::speed ? "the fastest"
                                                               : "the best balance of cost and speed";
  if (any_crash) name += " of the sizes that do not crash (time out or run out of memory)";
  std::string slo = options.slo_p99_ms ? fmt::format(" meeting an end-to-end p99 of {:g} ms", *options.slo_p99_ms) : "";
  result.explanation = result.recommended_memory_mb
                           ? fmt::format("{} MB is {}{}", *result.recommended_memory_mb, name, slo)
                           : fmt::format("no memory size tried is {}{}", name, slo.empty() ? "" : slo);
  if (!result.recommended_memory_mb && options.slo_p99_ms)
    result.explanation = fmt::format("no memory size tried meets an end-to-end p99 of {:g} ms", *options.slo_p99_ms);
  return result;
}

}  // namespace sluice
