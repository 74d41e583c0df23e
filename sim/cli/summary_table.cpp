#include "cli/summary_table.hpp"

#include <fmt/format.h>

namespace sluice::cli {
namespace {

using json = nlohmann::ordered_json;

std::string count(const json& v) { return fmt::format("{}", v.get<std::uint64_t>()); }
std::string ms(const json& v) {
  double x = v.get<double>();
  return x >= 1000 ? fmt::format("{:.2f}s", x / 1000) : fmt::format("{:.1f}ms", x);
}
std::string usd(double x) { return x >= 100 ? fmt::format("${:.0f}", x) : fmt::format("${:.4f}", x); }

std::string failures(const json& failed) {
  std::string out;
  for (const auto& [reason, n] : failed.items())
    if (n.get<std::uint64_t>() > 0) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n.get<std::uint64_t>(), reason);
  return out.empty() ? "-" : out;
}

}  // namespace

std::string summary_table(const Results& results) {
  const json& s = results.summary;
  std::string out;
  auto line = [&](const std::string& text) { out += text + "\n"; };
  const json& run = s["run"];
  line(fmt::format("model {}: {} s simulated ({} s warm-up), seed {}, {} events in {:.2f} s", s["model"].get<std::string>(),
                   run["duration_s"].get<double>(), run["warmup_s"].get<double>(), run["seed"].get<std::uint64_t>(),
                   run["events"].get<std::uint64_t>(), run.value("wall_s", 0.0)));
  line("");
  line(fmt::format("{:<18} {:>10} {:>10} {:>9} {:>9} {:>9} {:>10}  {}", "source", "requests", "completed", "p50",
                   "p99", "p99.9", "$/1M req", "failed"));
  for (const auto& [name, src] : s["sources"].items()) {
    const json& l = src["latency_ms"];
    line(fmt::format("{:<18} {:>10} {:>10} {:>9} {:>9} {:>9} {:>10}  {}", name, count(src["requests"]),
                     count(src["completed"]), ms(l["p50"]), ms(l["p99"]), ms(l["p999"]),
                     usd(src["cost_per_million_usd"].get<double>()), failures(src["failed"])));
  }
  bool header = false;
  for (const auto& [name, c] : s["components"].items()) {
    if (c["type"] != "lambda") continue;
    if (!header) {
      line("");
      line(fmt::format("{:<18} {:>11} {:>7} {:>9} {:>7} {:>9} {:>9} {:>11} {:>6} {:>10}", "function", "invocations",
                       "errors", "throttles", "cold", "dur p50", "dur p99", "concurrency", "envs", "cost"));
      header = true;
    }
    const json& m = c["metrics"];
    line(fmt::format("{:<18} {:>11} {:>7} {:>9} {:>7} {:>9} {:>9} {:>11} {:>6} {:>10}", name, count(m["Invocations"]),
                     count(m["Errors"]), count(m["Throttles"]), count(m["ColdStarts"]), ms(m["Duration_ms"]["p50"]),
                     ms(m["Duration_ms"]["p99"]),
                     fmt::format("{:.1f}/{:.0f}", m["ConcurrentExecutions"]["mean"].get<double>(),
                                 m["ConcurrentExecutions"]["max"].get<double>()),
                     fmt::format("{:.0f}", m["ExecutionEnvironments"]["max"].get<double>()),
                     usd(c["cost_usd"]["total"].get<double>())));
  }
  header = false;
  for (const auto& [name, c] : s["components"].items()) {
    if (c["type"] != "api_gateway") continue;
    if (!header) {
      line("");
      line(fmt::format("{:<18} {:>10} {:>8} {:>8} {:>9} {:>9} {:>10}", "api", "count", "4XX", "5XX", "lat p50",
                       "lat p99", "cost"));
      header = true;
    }
    const json& m = c["metrics"];
    line(fmt::format("{:<18} {:>10} {:>8} {:>8} {:>9} {:>9} {:>10}", name, count(m["Count"]), count(m["4XXError"]),
                     count(m["5XXError"]), ms(m["Latency_ms"]["p50"]), ms(m["Latency_ms"]["p99"]),
                     usd(c["cost_usd"]["total"].get<double>())));
  }
  line("");
  line(fmt::format("cost: {} for the measured window, {} per month at this load",
                   usd(s["cost_usd"]["total"].get<double>()), usd(s["cost_usd"]["per_month"].get<double>())));
  const json& l = s["ledger"];
  line(fmt::format("ledger: {} created = {} completed + {} failed + {} in flight: {}", count(l["created"]),
                   count(l["completed"]), count(l["failed"]), count(l["in_flight"]),
                   l["balanced"].get<bool>() ? "balanced" : "NOT BALANCED"));
  return out;
}

}  // namespace sluice::cli
