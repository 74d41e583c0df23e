// A sweep's metrics: the numbers of a run's summary by dotted path. Which metrics a model has is
// read from the engine, not from a list kept here: a run of 1 ms without warm-up has the summary
// of every run of that model, only with other numbers. One exception today: the engine writes a
// function's AsyncEvent* metrics once it has an on-failure destination or has received an
// asynchronous event, so a function invoked asynchronously without a destination lacks them in
// the probe.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

#include "model/suggest.hpp"
#include "sluice/run.hpp"
#include "sluice/sweep.hpp"

namespace sluice {
namespace {

constexpr double kProbeNs = 1e6;  // the shortest run the engine accepts

// Every number of a summary by its dotted path, in the summary's order: the paths of summary.json's
// document (docs/model-reference.md), as users name them.
template <class Visit>
void walk(const nlohmann::ordered_json& node, const std::string& path, Visit&& visit) {
  if (node.is_object()) {
    for (const auto& [key, child] : node.items()) walk(child, path.empty() ? key : path + "." + key, visit);
  } else if (node.is_number()) {  // not bools: nlohmann keeps them apart
    visit(path, MetricValue{node.get<double>(), node.is_number_integer()});
  } else if (node.is_null()) {
    visit(path, MetricValue{});  // a statistic without samples: NaN
  }
}

nlohmann::ordered_json summary_of(const Results& results) { return summary_document(results.summary); }

// Up to three metrics a misspelled one may have meant: within a fifth of its length in edits,
// the closest first (ties: the later name in sorted order, as Python's difflib picks them).
std::vector<std::string> close_metrics(std::string_view metric, const std::vector<std::string>& known) {
  std::size_t limit = std::max<std::size_t>(1, metric.size() / 5);
  std::vector<std::pair<std::size_t, std::string>> close;
  for (const auto& k : known) {
    std::size_t gap = k.size() > metric.size() ? k.size() - metric.size() : metric.size() - k.size();
    if (gap > limit) continue;
    if (std::size_t d = model::edit_distance(metric, k); d <= limit) close.emplace_back(d, k);
  }
  std::sort(close.begin(), close.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first < b.first : a.second > b.second; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < close.size() && i < 3; ++i) out.push_back(close[i].second);
  return out;
}

std::string unknown_metric_message(const std::string& metric, const std::vector<std::string>& known) {
  std::string message = fmt::format("metric {} is not in this model's summary", model::quote(metric));
  auto close = close_metrics(metric, known);
  for (std::size_t i = 0; i < close.size(); ++i)
    message += fmt::format("{}'{}'", i == 0 ? "; did you mean " : " or ", close[i]);
  if (!close.empty()) message += "?";
  // What the deepest existing part of the path holds.
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    auto dot = metric.find('.', start);
    parts.push_back(metric.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (std::size_t depth = parts.size(); depth-- > 0;) {
    std::string prefix;
    for (std::size_t i = 0; i < depth; ++i) prefix += (i ? "." : "") + parts[i];
    std::vector<std::string> children;
    for (const auto& k : known) {
      if (!prefix.empty() && k.rfind(prefix + ".", 0) != 0) continue;
      std::string below = prefix.empty() ? k : k.substr(prefix.size() + 1);
      std::string child = below.substr(0, below.find('.'));
      if (std::find(children.begin(), children.end(), child) == children.end()) children.push_back(child);
    }
    if (!children.empty()) {
      message +=
          fmt::format(" ({} holds: {})", prefix.empty() ? "the summary" : "'" + prefix + "'", model::join(children));
      break;
    }
  }
  return message;
}

}  // namespace

std::vector<std::string> default_sweep_metrics(const ModelSpec& model) {
  std::vector<std::string> metrics;
  for (const auto& s : model.sources) {
    metrics.push_back("sources." + s.name + ".latency_ms.p99");
    metrics.push_back("sources." + s.name + ".cost_per_million_usd");
  }
  metrics.push_back("cost_usd.total");
  return metrics;
}

std::vector<std::string> summary_metrics(const ModelSpec& model) {
  ModelSpec probe = model;
  probe.run.warmup_ns = 0;
  RunOptions options;
  options.duration_ns = kProbeNs;
  options.seed = 0;
  std::vector<std::string> names;
  walk(summary_of(run(probe, options)), "", [&](const std::string& path, const MetricValue& v) {
    if (!std::isnan(v.value)) names.push_back(path);  // numbers only, as JSON has no NaN
  });
  return names;
}

std::optional<std::string> unknown_metric(const ModelSpec& model, const std::vector<std::string>& metrics) {
  auto known = summary_metrics(model);
  for (const auto& m : metrics)
    if (std::find(known.begin(), known.end(), m) == known.end()) return unknown_metric_message(m, known);
  return std::nullopt;
}

std::vector<MetricValue> read_metrics(const Results& results, const std::vector<std::string>& metrics) {
  std::unordered_map<std::string, MetricValue> all;
  walk(summary_of(results), "", [&](const std::string& path, const MetricValue& v) { all.emplace(path, v); });
  std::vector<MetricValue> out;
  out.reserve(metrics.size());
  for (const auto& m : metrics) {
    auto it = all.find(m);
    out.push_back(it == all.end() ? MetricValue{} : it->second);
  }
  return out;
}

}  // namespace sluice
