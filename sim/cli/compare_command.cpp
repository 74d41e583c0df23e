#include "cli/compare_command.hpp"

#include <iostream>

#include <fmt/format.h>

#include "sluice/analysis.hpp"
#include "sluice/option_values.hpp"
#include "sluice/units.hpp"

namespace sluice::cli {
namespace {

std::string lost_text(const std::map<std::string, std::uint64_t>& lost) {
  std::string out;
  for (const auto& [reason, n] : lost) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n, reason);
  return out.empty() ? "-" : out;
}

// The designs with their overrides: shared ones first, then "design:key=value" ones, which need
// the designs' names (so every design is loaded once with the shared overrides first).
std::vector<ModelSpec> load_designs(const CompareArgs& args) {
  std::vector<Override> shared;
  for (const auto& o : args.overrides)
    if (o.key_path.find(':') == std::string::npos) shared.push_back(o);
  std::vector<ModelSpec> designs;
  std::vector<DesignIdentity> identities;
  for (const auto& path : args.models) {
    designs.push_back(load_model(path, shared));
    identities.push_back({designs.back().name, path});
  }
  if (shared.size() == args.overrides.size()) return designs;
  auto per_design = overrides_per_design(identities, args.overrides);
  for (std::size_t i = 0; i < designs.size(); ++i)
    if (per_design[i].size() > shared.size()) designs[i] = load_model(args.models[i], per_design[i]);
  return designs;
}

}  // namespace

int compare_command(const CompareArgs& args) {
  std::vector<ModelSpec> designs = load_designs(args);
  RunOptions options;
  if (!args.duration.empty()) options.duration_ns = parse_duration_option_ns(args.duration, "--duration");
  options.seed = args.seed;
  std::vector<DesignComparison> rows = compare(designs, options);
  bool balanced = true;
  for (const auto& r : rows) balanced = balanced && r.ledger_balanced;
  if (args.format == "json") {
    std::cout << comparison_to_json(rows).dump(2) << "\n";
    return balanced ? 0 : 1;
  }
  std::size_t width = 6;
  for (const auto& r : rows) width = std::max(width, r.design.size());
  fmt::print("{:<{}} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9} {:>9} {:>9} {:>10} {:>10} {:>9}  {}\n", "design", width,
             "requests", "completed", "in flight", "p50 ms", "p99 ms", "backlog", "oldest s", "throttles", "dead-let.",
             "duplicates", "$/month", "$/1M req", "lost");
  bool any_behind = false;
  for (const auto& r : rows) {
    any_behind = any_behind || r.falling_behind;
    fmt::print(
        "{:<{}} {:>9} {:>9} {:>9} {:>9.1f} {:>9.1f} {:>8.0f} {:>9.1f} {:>9} {:>9} {:>10} {:>10.2f} {:>9.4f}  {}{}\n",
        r.design, width, r.requests, r.completed, r.in_flight, r.p50_ms, r.p99_ms, r.peak_backlog,
        r.oldest_message_age_s, r.throttles, r.dead_lettered, r.duplicates, r.cost_per_month_usd,
        r.cost_per_million_usd, lost_text(r.lost), r.falling_behind ? "  FALLING BEHIND" : "");
  }
  fmt::print(
      "\nrequests: arrived after the warm-up; completed: every message they caused has ended; in flight: still open at "
      "the end.\nlatency: end to end, of completed requests. backlog: the most messages waiting at once in any one "
      "queue, stream\nor asynchronous-invocation queue; oldest s: the oldest message any of them held. dead-let.: "
      "messages moved to a\ndead-letter queue or on-failure destination. lost: requests that failed, by reason. "
      "duplicates: records processed\nsuccessfully more than once.\n");
  if (any_behind)
    fmt::print(
        "FALLING BEHIND: requests in flight grew over the last tenth of the run by more than noise allows: the "
        "design does\nnot keep up, its latency and cost cover only the work it finished, and a longer run would "
        "look worse.\n");
  std::uint64_t seed = options.seed.value_or(designs.empty() ? 0 : designs.front().run.seed);
  if (same_workload(designs))
    fmt::print("seed {} for every design: each source sees the same arrivals in every design.\n", seed);
  else
    fmt::print(
        "seed {} for every design, but the designs' sources differ (names or arrivals): their workloads "
        "differ.\n",
        seed);
  if (!balanced) fmt::print(stderr, "internal error: a design's ledger does not balance\n");
  return balanced ? 0 : 1;
}

}  // namespace sluice::cli
