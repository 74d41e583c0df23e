#include "cli/compare_command.hpp"

#include <iostream>

#include <fmt/format.h>

#include "sluice/analysis.hpp"
#include "sluice/units.hpp"

namespace sluice::cli {
namespace {

std::string lost_text(const std::map<std::string, std::uint64_t>& lost) {
  std::string out;
  for (const auto& [reason, n] : lost) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n, reason);
  return out.empty() ? "-" : out;
}

}  // namespace

int compare_command(const CompareArgs& args) {
  std::vector<ModelSpec> designs;
  for (const auto& path : args.models) designs.push_back(load_model(path, args.overrides));
  RunOptions options;
  if (!args.duration.empty()) {
    auto ns = units::parse_duration_ns(args.duration);
    if (!ns || *ns <= 0)
      throw ModelError({"--duration " + args.duration, 0, 0}, "", "expected a duration with a unit, like 1h or 30m");
    options.duration_ns = *ns;
  }
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
  fmt::print("{:<{}} {:>9} {:>9} {:>9} {:>8} {:>9} {:>9} {:>9} {:>10} {:>10} {:>9}  {}\n", "design", width, "requests",
             "p50 ms", "p99 ms", "backlog", "oldest s", "throttles", "dead-let.", "duplicates", "$/month", "$/1M req",
             "lost");
  for (const auto& r : rows)
    fmt::print("{:<{}} {:>9} {:>9.1f} {:>9.1f} {:>8.0f} {:>9.1f} {:>9} {:>9} {:>10} {:>10.2f} {:>9.4f}  {}\n", r.design,
               width, r.requests, r.p50_ms, r.p99_ms, r.peak_backlog, r.oldest_message_age_s, r.throttles,
               r.dead_lettered, r.duplicates, r.cost_per_month_usd, r.cost_per_million_usd, lost_text(r.lost));
  fmt::print("\nseed {} for every design: each source sees the same arrivals in every design.\n",
             options.seed.value_or(designs.empty() ? 0 : designs.front().run.seed));
  if (!balanced) fmt::print(stderr, "internal error: a design's ledger does not balance\n");
  return balanced ? 0 : 1;
}

}  // namespace sluice::cli
