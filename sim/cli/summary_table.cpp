#include "cli/summary_table.hpp"

#include <variant>
#include <vector>

#include <fmt/format.h>

namespace sluice::cli {
namespace {

std::string count(std::uint64_t n) { return fmt::format("{}", n); }
std::string ms(double x) { return x >= 1000 ? fmt::format("{:.2f}s", x / 1000) : fmt::format("{:.1f}ms", x); }
std::string usd(double x) { return x >= 100 ? fmt::format("${:.0f}", x) : fmt::format("${:.4f}", x); }
std::string mean_max(const summary::MeanMax& g, int decimals) {
  return fmt::format("{:.{}f}/{:.0f}", g.mean, decimals, g.max);
}

std::string failures(const summary::Failed& failed) {
  std::string out;
  for (const auto& [reason, n] : failed.by_reason)
    if (n > 0) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n, failure_name(reason));
  return out.empty() ? "-" : out;
}

struct Column {
  const char* title;
  int width;
};

// One section per service: a header, then a row per component of that service.
template <class Service, class Row>
void section(std::string& out, const summary::Summary& s, const char* first, const std::vector<Column>& columns,
             Row&& row) {
  bool header = false;
  for (const auto& [name, component] : s.components) {
    const auto* c = std::get_if<Service>(&component);
    if (!c) continue;
    if (!header) {
      std::string h = fmt::format("\n{:<18}", first);
      for (const auto& col : columns) h += fmt::format(" {:>{}}", col.title, col.width);
      out += h + "\n";
      header = true;
    }
    std::vector<std::string> cells = row(*c);
    std::string r = fmt::format("{:<18}", name);
    for (std::size_t i = 0; i < columns.size(); ++i) r += fmt::format(" {:>{}}", cells[i], columns[i].width);
    out += r + "\n";
  }
}

}  // namespace

std::string summary_table(const Results& results) {
  const summary::Summary& s = results.summary;
  std::string out;
  auto line = [&](const std::string& text) { out += text + "\n"; };
  line(fmt::format("model {}: {} s simulated ({} s warm-up), seed {}, {} events in {:.2f} s", s.model, s.run.duration_s,
                   s.run.warmup_s, s.run.seed, s.run.events, results.wall_s));
  line("");
  line(fmt::format("{:<18} {:>10} {:>10} {:>9} {:>9} {:>9} {:>10}  {}", "source", "requests", "completed", "p50", "p99",
                   "p99.9", "$/1M req", "failed"));
  for (const auto& [name, src] : s.sources) {
    const summary::Latency& l = src.latency_ms;
    line(fmt::format("{:<18} {:>10} {:>10} {:>9} {:>9} {:>9} {:>10}  {}", name, src.requests, src.completed, ms(l.p50),
                     ms(l.p99), ms(l.p999.value_or(0)), usd(src.cost_per_million_usd), failures(src.failed)));
  }
  section<summary::Lambda>(out, s, "function",
                           {{"invocations", 11},
                            {"errors", 7},
                            {"throttles", 9},
                            {"cold", 7},
                            {"dur p50", 9},
                            {"dur p99", 9},
                            {"concurrency", 11},
                            {"envs", 6},
                            {"duplicates", 10},
                            {"cost", 10}},
                           [](const summary::Lambda& c) {
                             const auto& m = c.metrics;
                             return std::vector<std::string>{count(m.invocations),
                                                             count(m.errors),
                                                             count(m.throttles),
                                                             count(m.cold_starts),
                                                             ms(m.duration_ms.p50),
                                                             ms(m.duration_ms.p99),
                                                             mean_max(m.concurrent_executions, 1),
                                                             fmt::format("{:.0f}", m.execution_environments.max),
                                                             count(m.duplicates),
                                                             usd(c.cost_usd.total)};
                           });
  section<summary::ApiGateway>(
      out, s, "api", {{"count", 10}, {"4XX", 8}, {"5XX", 8}, {"lat p50", 9}, {"lat p99", 9}, {"cost", 10}},
      [](const summary::ApiGateway& c) {
        const auto& m = c.metrics;
        return std::vector<std::string>{count(m.count),       count(m.errors_4xx),  count(m.errors_5xx),
                                        ms(m.latency_ms.p50), ms(m.latency_ms.p99), usd(c.cost_usd.total)};
      });
  section<summary::Sqs>(
      out, s, "queue",
      {{"sent", 10}, {"received", 10}, {"deleted", 10}, {"to DLQ", 8}, {"visible", 14}, {"oldest s", 9}, {"cost", 10}},
      [](const summary::Sqs& c) {
        const auto& m = c.metrics;
        return std::vector<std::string>{count(m.sent),          count(m.received),
                                        count(m.deleted),       count(m.moved_to_dlq),
                                        mean_max(m.visible, 1), fmt::format("{:.1f}", m.oldest_message_age_s.max),
                                        usd(c.cost_usd.total)};
      });
  section<summary::Sns>(
      out, s, "topic", {{"published", 10}, {"delivered", 10}, {"retried", 9}, {"filtered", 9}, {"cost", 10}},
      [](const summary::Sns& c) {
        const auto& m = c.metrics;
        return std::vector<std::string>{count(m.published), count(m.delivered), count(m.delivery_failures),
                                        count(m.filtered_out), usd(c.cost_usd.total)};
      });
  section<summary::Kinesis>(out, s, "stream", {{"records", 10}, {"throttled", 10}, {"backlog", 14}, {"cost", 10}},
                            [](const summary::Kinesis& c) {
                              const auto& m = c.metrics;
                              return std::vector<std::string>{count(m.incoming_records), count(m.write_throttled),
                                                              mean_max(m.backlog, 1), usd(c.cost_usd.total)};
                            });
  section<summary::DynamoDb>(out, s, "table",
                             {{"requests", 10},
                              {"RCU total", 10},
                              {"WCU total", 10},
                              {"throttles", 10},
                              {"failed", 8},
                              {"dup writes", 10},
                              {"cost", 10}},
                             [](const summary::DynamoDb& c) {
                               const auto& m = c.metrics;
                               return std::vector<std::string>{count(m.requests),
                                                               fmt::format("{:.0f}", m.consumed_read_units),
                                                               fmt::format("{:.0f}", m.consumed_write_units),
                                                               count(m.throttled_requests),
                                                               count(m.failed_requests),
                                                               count(m.duplicate_writes),
                                                               usd(c.cost_usd.total)};
                             });
  line("");
  line(fmt::format("cost: {} for the measured window, {} per month at this load", usd(s.cost_usd.total),
                   usd(s.cost_usd.per_month)));
  // Units of work, whole run (warm-up included): source requests and the messages they caused.
  auto units = [](const summary::UnitCounts& u) {
    return fmt::format("{} created = {} completed + {} failed + {} in flight", u.created, u.completed, u.failed,
                       u.in_flight);
  };
  line(fmt::format("ledger (whole run): requests {}; messages {}: {}", units(s.ledger.requests),
                   units(s.ledger.messages), s.ledger.balanced ? "balanced" : "NOT BALANCED"));
  return out;
}

}  // namespace sluice::cli
