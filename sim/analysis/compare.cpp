// Design comparison: every design runs with one seed; its row is read from its summary and time
// series, so the comparison sees exactly what a user reading summary.json would.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "model/suggest.hpp"
#include "sluice/analysis.hpp"

namespace sluice {
namespace {

using json = nlohmann::ordered_json;

// Each service says where it holds work back and what it refused (summary::Pressure).
void read_component(const summary::Component& component, DesignComparison& row) {
  summary::Pressure p = std::visit([](const auto& section) { return section.pressure(); }, component);
  row.peak_backlog = std::max(row.peak_backlog, p.peak_backlog);
  row.oldest_message_age_s = std::max(row.oldest_message_age_s, p.oldest_message_age_s);
  row.throttles += p.throttles;
  row.dead_lettered += p.dead_lettered;
  row.duplicates += p.duplicates;
}

// Requests that arrived, and requests that ended (completed or failed), in the buckets of the
// last tenth of the measured window (at least one bucket), over every source.
struct Window {
  std::uint64_t arrivals = 0, ends = 0;
};
Window last_tenth(const Results& results, const std::vector<std::string>& sources) {
  const TimeSeries& ts = results.timeseries;
  double warmup = results.summary.run.warmup_s, end = results.summary.run.duration_s;
  double last_bucket = warmup;
  for (double t : ts.time_s) last_bucket = std::max(last_bucket, t);
  double cutoff = std::min(end - 0.1 * (end - warmup), last_bucket);
  std::vector<bool> is_source(ts.components.size());
  for (std::size_t i = 0; i < ts.components.size(); ++i)
    is_source[i] = std::find(sources.begin(), sources.end(), ts.components[i]) != sources.end();
  Window w;
  for (std::size_t r = 0; r < ts.rows(); ++r) {
    if (ts.time_s[r] < cutoff || !is_source[ts.component[r]]) continue;
    const std::string& metric = ts.metrics[ts.metric[r]];
    auto n = static_cast<std::uint64_t>(std::llround(ts.value[r]));
    if (metric == "Requests") w.arrivals += n;
    else if (metric == "Completed" || metric == "Failed") w.ends += n;
  }
  return w;
}

std::string file_stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

}  // namespace

bool falling_behind(std::int64_t growth, std::uint64_t arrivals_in_window, std::uint64_t in_flight_at_end) {
  if (growth <= 0) return false;
  double then = std::max(0.0, static_cast<double>(in_flight_at_end) - static_cast<double>(growth));
  double noise = 3 * std::sqrt(static_cast<double>(in_flight_at_end) + then);
  return static_cast<double>(growth) > noise &&
         static_cast<double>(growth) > 0.01 * static_cast<double>(arrivals_in_window);
}

DesignComparison comparison_row(const Results& results) {
  const summary::Summary& s = results.summary;
  DesignComparison row;
  row.design = s.model;
  const summary::EndToEnd& e2e = s.end_to_end;
  row.requests = e2e.requests;
  row.completed = e2e.completed;
  row.in_flight = e2e.in_flight;
  row.p50_ms = e2e.latency_ms.p50;
  row.p99_ms = e2e.latency_ms.p99;
  for (const auto& [reason, n] : e2e.failed.by_reason)
    if (n > 0) row.lost[std::string(failure_name(reason))] = n;
  for (const auto& [name, c] : s.components) read_component(c, row);
  row.cost_per_month_usd = s.cost_usd.per_month;
  row.cost_per_million_usd = row.requests ? s.cost_usd.total / static_cast<double>(row.requests) * 1e6 : 0.0;
  row.ledger_balanced = s.ledger.balanced;
  std::vector<std::string> sources;
  for (const auto& [name, _] : s.sources) sources.push_back(name);
  Window w = last_tenth(results, sources);
  row.in_flight_growth = static_cast<std::int64_t>(w.arrivals) - static_cast<std::int64_t>(w.ends);
  row.falling_behind = falling_behind(row.in_flight_growth, w.arrivals, row.in_flight);
  return row;
}

std::vector<DesignComparison> compare(const std::vector<ModelSpec>& designs, const RunOptions& options) {
  std::vector<DesignComparison> rows;
  if (designs.empty()) return rows;
  RunOptions o = options;
  if (!o.seed) o.seed = designs.front().run.seed;  // one workload for every design
  // Every design is checked before the first one runs (run()'s own checks of the options), and an
  // error names the design's file; a warm-up too long for --duration says how to fix that design.
  for (const auto& d : designs) {
    try {
      check_run_options(d, o);
    } catch (const ModelError& e) {
      std::string fix = e.key_path() == "run.warmup"
                            ? fmt::format(" (for this design only: --set {}:run.warmup=...)", d.name)
                            : std::string();
      throw ModelError(SourceLocation{d.file, 0, 0}, e.key_path(), e.problem() + fix);
    }
  }
  for (const auto& d : designs) {
    try {
      DesignComparison row = comparison_row(run(d, o));
      row.file = d.file;
      rows.push_back(std::move(row));
    } catch (const ModelError& e) {
      if (e.where().file == d.file) throw;
      throw ModelError(SourceLocation{d.file, 0, 0}, e.key_path(), format_error(e.where(), "", e.problem()));
    } catch (const RunAborted& e) {
      throw RunAborted(fmt::format("{}: {}", d.file, e.what()));
    }
  }
  return rows;
}

json comparison_to_json(const std::vector<DesignComparison>& rows) {
  json out = json::array();
  for (const auto& r : rows) {
    json lost = json::object();
    for (const auto& [reason, n] : r.lost) lost[reason] = n;
    out.push_back({{"design", r.design},
                   {"file", r.file},
                   {"requests", r.requests},
                   {"completed", r.completed},
                   {"in_flight", r.in_flight},
                   {"falling_behind", r.falling_behind},
                   {"in_flight_growth", r.in_flight_growth},
                   {"p50_ms", r.p50_ms},
                   {"p99_ms", r.p99_ms},
                   {"peak_backlog", r.peak_backlog},
                   {"oldest_message_age_s", r.oldest_message_age_s},
                   {"throttles", r.throttles},
                   {"lost", std::move(lost)},
                   {"dead_lettered", r.dead_lettered},
                   {"duplicates", r.duplicates},
                   {"cost_per_month_usd", r.cost_per_month_usd},
                   {"cost_per_million_usd", r.cost_per_million_usd},
                   {"ledger_balanced", r.ledger_balanced}});
  }
  return out;
}

std::vector<std::vector<Override>> overrides_per_design(const std::vector<DesignIdentity>& designs,
                                                        const std::vector<Override>& overrides) {
  std::vector<std::vector<Override>> out(designs.size());
  for (const auto& o : overrides) {
    auto colon = o.key_path.find(':');
    if (colon == std::string::npos) {
      for (auto& list : out) list.push_back(o);
      continue;
    }
    std::string design = o.key_path.substr(0, colon);
    Override own{o.key_path.substr(colon + 1), o.value};
    bool found = false;
    for (std::size_t i = 0; i < designs.size(); ++i)
      if (designs[i].name == design || file_stem(designs[i].file) == design) {
        out[i].push_back(own);
        found = true;
      }
    if (!found) {
      std::vector<std::string> names, candidates;
      for (const auto& d : designs) {
        names.push_back(d.name);
        candidates.push_back(d.name);
        candidates.push_back(file_stem(d.file));
      }
      throw ModelError(SourceLocation{"--set", 0, 0}, o.key_path,
                       fmt::format("no design is named '{}'{}; designs: {}", design.substr(0, 80),
                                   model::did_you_mean(design, candidates), model::join(names)));
    }
  }
  return out;
}

bool same_workload(const std::vector<ModelSpec>& designs) {
  auto arrivals_of = [](const ModelSpec& m) {
    std::map<std::string, Arrivals> by_name;
    for (const auto& s : m.sources) {
      Arrivals a = s.arrivals;
      a.trace.file.clear();  // the same trace may be named by different relative paths
      by_name[s.name] = a;
    }
    return by_name;
  };
  for (const auto& d : designs)
    if (arrivals_of(d) != arrivals_of(designs.front())) return false;
  return true;
}

}  // namespace sluice
