#include "cli/summary_table.hpp"

#include <vector>

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
    if (n.get<std::uint64_t>() > 0)
      out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n.get<std::uint64_t>(), reason);
  return out.empty() ? "-" : out;
}

}  // namespace

std::string summary_table(const Results& results) {
  const json& s = results.summary;
  std::string out;
  auto line = [&](const std::string& text) { out += text + "\n"; };
  const json& run = s["run"];
  line(fmt::format("model {}: {} s simulated ({} s warm-up), seed {}, {} events in {:.2f} s",
                   s["model"].get<std::string>(), run["duration_s"].get<double>(), run["warmup_s"].get<double>(),
                   run["seed"].get<std::uint64_t>(), run["events"].get<std::uint64_t>(), results.wall_s));
  line("");
  line(fmt::format("{:<18} {:>10} {:>10} {:>9} {:>9} {:>9} {:>10}  {}", "source", "requests", "completed", "p50", "p99",
                   "p99.9", "$/1M req", "failed"));
  for (const auto& [name, src] : s["sources"].items()) {
    const json& l = src["latency_ms"];
    line(fmt::format("{:<18} {:>10} {:>10} {:>9} {:>9} {:>9} {:>10}  {}", name, count(src["requests"]),
                     count(src["completed"]), ms(l["p50"]), ms(l["p99"]), ms(l["p999"]),
                     usd(src["cost_per_million_usd"].get<double>()), failures(src["failed"])));
  }
  // One section per component type: a header, then a row per component of that type.
  struct Column {
    const char* title;
    int width;
  };
  auto section = [&](const char* type, const char* first, std::vector<Column> columns, auto&& row) {
    bool header = false;
    for (const auto& [name, c] : s["components"].items()) {
      if (c["type"] != type) continue;
      if (!header) {
        line("");
        std::string h = fmt::format("{:<18}", first);
        for (const auto& col : columns) h += fmt::format(" {:>{}}", col.title, col.width);
        line(h);
        header = true;
      }
      std::vector<std::string> cells = row(c);
      std::string r = fmt::format("{:<18}", name);
      for (std::size_t i = 0; i < columns.size(); ++i) r += fmt::format(" {:>{}}", cells[i], columns[i].width);
      line(r);
    }
  };
  auto mean_max = [](const json& g, int decimals) {
    return fmt::format("{:.{}f}/{:.0f}", g["mean"].get<double>(), decimals, g["max"].get<double>());
  };
  auto cost = [](const json& c) { return usd(c["cost_usd"]["total"].get<double>()); };
  section("lambda", "function",
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
          [&](const json& c) {
            const json& m = c["metrics"];
            return std::vector<std::string>{count(m["Invocations"]),
                                            count(m["Errors"]),
                                            count(m["Throttles"]),
                                            count(m["ColdStarts"]),
                                            ms(m["Duration_ms"]["p50"]),
                                            ms(m["Duration_ms"]["p99"]),
                                            mean_max(m["ConcurrentExecutions"], 1),
                                            fmt::format("{:.0f}", m["ExecutionEnvironments"]["max"].get<double>()),
                                            count(m["Duplicates"]),
                                            cost(c)};
          });
  section("api_gateway", "api", {{"count", 10}, {"4XX", 8}, {"5XX", 8}, {"lat p50", 9}, {"lat p99", 9}, {"cost", 10}},
          [&](const json& c) {
            const json& m = c["metrics"];
            return std::vector<std::string>{count(m["Count"]),          count(m["4XXError"]),
                                            count(m["5XXError"]),       ms(m["Latency_ms"]["p50"]),
                                            ms(m["Latency_ms"]["p99"]), cost(c)};
          });
  section(
      "sqs", "queue",
      {{"sent", 10}, {"received", 10}, {"deleted", 10}, {"to DLQ", 8}, {"visible", 14}, {"oldest s", 9}, {"cost", 10}},
      [&](const json& c) {
        const json& m = c["metrics"];
        return std::vector<std::string>{count(m["NumberOfMessagesSent"]),
                                        count(m["NumberOfMessagesReceived"]),
                                        count(m["NumberOfMessagesDeleted"]),
                                        count(m["NumberOfMessagesMovedToDLQ"]),
                                        mean_max(m["ApproximateNumberOfMessagesVisible"], 1),
                                        fmt::format("{:.1f}", m["ApproximateAgeOfOldestMessage"]["max"].get<double>()),
                                        cost(c)};
      });
  section("sns", "topic", {{"published", 10}, {"delivered", 10}, {"retried", 9}, {"filtered", 9}, {"cost", 10}},
          [&](const json& c) {
            const json& m = c["metrics"];
            return std::vector<std::string>{
                count(m["NumberOfMessagesPublished"]), count(m["NumberOfNotificationsDelivered"]),
                count(m["NumberOfNotificationsFailed"]), count(m["NumberOfNotificationsFilteredOut"]), cost(c)};
          });
  section("kinesis", "stream", {{"records", 10}, {"throttled", 10}, {"backlog", 14}, {"cost", 10}}, [&](const json& c) {
    const json& m = c["metrics"];
    return std::vector<std::string>{count(m["IncomingRecords"]), count(m["WriteProvisionedThroughputExceeded"]),
                                    mean_max(m["RecordsBacklog"], 1), cost(c)};
  });
  section("dynamodb", "table",
          {{"requests", 10},
           {"RCU total", 10},
           {"WCU total", 10},
           {"throttles", 10},
           {"failed", 8},
           {"dup writes", 10},
           {"cost", 10}},
          [&](const json& c) {
            const json& m = c["metrics"];
            return std::vector<std::string>{count(m["Requests"]),
                                            fmt::format("{:.0f}", m["ConsumedReadCapacityUnits"].get<double>()),
                                            fmt::format("{:.0f}", m["ConsumedWriteCapacityUnits"].get<double>()),
                                            count(m["ThrottledRequests"]),
                                            count(m["FailedRequests"]),
                                            count(m["DuplicateWrites"]),
                                            cost(c)};
          });
  line("");
  line(fmt::format("cost: {} for the measured window, {} per month at this load",
                   usd(s["cost_usd"]["total"].get<double>()), usd(s["cost_usd"]["per_month"].get<double>())));
  const json& l = s["ledger"];
  // Units of work, whole run (warm-up included): source requests and the messages they caused.
  auto units = [&](const json& u) {
    return fmt::format("{} created = {} completed + {} failed + {} in flight", count(u["created"]),
                       count(u["completed"]), count(u["failed"]), count(u["in_flight"]));
  };
  line(fmt::format("ledger (whole run): requests {}; messages {}: {}", units(l["requests"]), units(l["messages"]),
                   l["balanced"].get<bool>() ? "balanced" : "NOT BALANCED"));
  return out;
}

}  // namespace sluice::cli
