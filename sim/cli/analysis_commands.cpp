#include "cli/analysis_commands.hpp"

#include <cmath>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "sluice/analysis.hpp"
#include "sluice/option_values.hpp"
#include "sluice/units.hpp"

namespace sluice::cli {
namespace {

// A measured figure, or "-" where there was nothing to measure.
std::string ms_or_dash(const std::optional<double>& v) { return v ? fmt::format("{:.1f}ms", *v) : "-"; }
nlohmann::ordered_json or_null(const std::optional<double>& v) { return v ? nlohmann::ordered_json(*v) : nullptr; }

}  // namespace

int tune_command(const TuneArgs& args) {
  ModelSpec model = load_model(args.model, args.overrides);
  PowerTuneOptions o;
  o.function = args.function;
  if (!args.memories.empty()) {
    o.memories_mb.clear();
    for (const auto& m : args.memories) o.memories_mb.push_back(parse_memory_option_mb(m, "--memories", true));
  }
  if (!args.slo_p99.empty()) o.slo_p99_ms = parse_duration_option_ns(args.slo_p99, "--slo-p99") / units::kNsPerMs;
  auto strategy = parse_tune_strategy(args.strategy);
  if (!strategy)
    throw ModelError(SourceLocation{"--strategy", 0, 0}, "",
                     fmt::format("'{}' is not a strategy: expected one of {}", args.strategy,
                                 fmt::join(tune_strategy_names(), ", ")));
  o.strategy = *strategy;
  o.balanced_weight = args.balanced_weight;
  if (!args.duration.empty()) o.run.duration_ns = parse_duration_option_ns(args.duration, "--duration");
  o.run.seed = args.seed;
  PowerTuneResult r = power_tune(model, o);
  if (args.format == "json") {
    nlohmann::ordered_json j;
    j["function"] = args.function;
    j["strategy"] = args.strategy;
    j["recommended_memory_mb"] = r.recommended_memory_mb ? nlohmann::ordered_json(*r.recommended_memory_mb) : nullptr;
    j["explanation"] = r.explanation;
    j["points"] = nlohmann::ordered_json::array();
    for (const auto& p : r.points)
      j["points"].push_back({{"memory_mb", p.memory_mb},
                             {"invocations", p.invocations},
                             {"duration_mean_ms", or_null(p.duration_mean_ms)},
                             {"duration_p50_ms", or_null(p.duration_p50_ms)},
                             {"duration_p99_ms", or_null(p.duration_p99_ms)},
                             {"end_to_end_p99_ms", or_null(p.end_to_end_p99_ms)},
                             {"cold_start_share", p.cold_start_share},
                             {"throttles", p.throttles},
                             {"errors", p.errors},
                             {"crashes", p.crashes},
                             {"cost_per_million_usd", p.cost_per_million_usd},
                             {"meets_slo", p.meets_slo}});
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  fmt::print("{:>8} {:>11} {:>10} {:>10} {:>10} {:>8} {:>9} {:>10}  {}\n", "memory", "invocations", "dur p50",
             "dur p99", "e2e p99", "cold", "throttles", "$/1M inv", "");
  for (const auto& p : r.points)
    fmt::print("{:>6}MB {:>11} {:>10} {:>10} {:>10} {:>7.2f}% {:>9} {:>10.4f}  {}{}{}\n", p.memory_mb, p.invocations,
               ms_or_dash(p.duration_p50_ms), ms_or_dash(p.duration_p99_ms), ms_or_dash(p.end_to_end_p99_ms),
               p.cold_start_share * 100, p.throttles, p.cost_per_million_usd,
               p.crashes ? fmt::format("{} timeouts/out-of-memory ", p.crashes) : std::string(),
               p.meets_slo           ? ""
               : p.end_to_end_p99_ms ? "misses SLO "
                                     : "nothing completed ",
               r.recommended_memory_mb == p.memory_mb ? "<- recommended" : "");
  fmt::print("\n{} (strategy: {})\n", r.explanation, args.strategy);
  return 0;
}

int calibrate_command(const std::string& csv_path, const std::string& format) {
  auto measurements = read_measurements_csv(csv_path);
  Calibration c;
  try {
    c = calibrate(measurements);
  } catch (const std::invalid_argument& e) {
    throw ModelError(SourceLocation{csv_path, 0, 0}, "", e.what());
  }
  if (format == "json") {
    nlohmann::ordered_json j{{"cpu_ms", c.cpu_ms},       {"threads", c.threads}, {"io_ms", c.io_ms},
                             {"r_squared", c.r_squared}, {"rmse_ms", c.rmse_ms}, {"measurements", c.measurements}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  fmt::print("fit of {} measurements: duration = io + cpu / min(memory / 1769 MB, threads)\n", c.measurements);
  fmt::print("  cpu: {:.2f}ms   threads: {}   io: {:.2f}ms\n", c.cpu_ms, c.threads, c.io_ms);
  fmt::print("  R^2 = {:.4f}, RMSE = {:.2f} ms\n\n", c.r_squared, c.rmse_ms);
  fmt::print("as model steps:\n  steps:\n    - {{cpu: {:.1f}ms, threads: {}}}\n    - {{io: {:.1f}ms}}\n", c.cpu_ms,
             c.threads, c.io_ms);
  return 0;
}

}  // namespace sluice::cli
