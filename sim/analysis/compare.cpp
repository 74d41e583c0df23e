// Design comparison: every design runs with one seed; its row is read from its summary, so the
// comparison sees exactly what a user reading summary.json would.
#include <algorithm>

#include "sluice/analysis.hpp"

namespace sluice {
namespace {

using json = nlohmann::ordered_json;

double number_at(const json& j, const char* pointer) {
  json::json_pointer p(pointer);
  return j.contains(p) && j.at(p).is_number() ? j.at(p).get<double>() : 0.0;
}

std::uint64_t count_at(const json& j, const char* pointer) { return static_cast<std::uint64_t>(number_at(j, pointer)); }

// Where each service keeps its backlog, its oldest message (in seconds), its capacity refusals
// and its dead-lettered messages.
void read_component(const json& c, DesignComparison& row) {
  const std::string type = c.value("type", "");
  if (type == "sqs" && c.value("dead_letter_queue", false)) {
    // Parked failures: counted as dead-lettered where they were moved from, not as a backlog.
  } else if (type == "sqs") {
    row.peak_backlog = std::max(row.peak_backlog, number_at(c, "/metrics/ApproximateNumberOfMessagesVisible/max"));
    row.oldest_message_age_s =
        std::max(row.oldest_message_age_s, number_at(c, "/metrics/ApproximateAgeOfOldestMessage/max"));
    row.throttles += count_at(c, "/metrics/Throttled");
  } else if (type == "kinesis") {
    row.peak_backlog = std::max(row.peak_backlog, number_at(c, "/metrics/RecordsBacklog/max"));
    row.throttles += count_at(c, "/metrics/WriteProvisionedThroughputExceeded");
  } else if (type == "sns") {
    row.throttles += count_at(c, "/metrics/Throttled");
  } else if (type == "lambda") {
    row.throttles += count_at(c, "/metrics/Throttles");
    row.duplicates += count_at(c, "/metrics/Duplicates");
    row.peak_backlog = std::max(row.peak_backlog, number_at(c, "/metrics/AsyncEventsQueued/max"));
    row.oldest_message_age_s = std::max(row.oldest_message_age_s, number_at(c, "/metrics/AsyncEventAge_ms/max") / 1e3);
    row.oldest_message_age_s = std::max(row.oldest_message_age_s, number_at(c, "/trigger/IteratorAge_ms/max") / 1e3);
  } else if (type == "dynamodb") {
    row.throttles += count_at(c, "/metrics/ThrottledRequests");
  } else if (type == "api_gateway") {
    row.throttles += count_at(c, "/failed/throttled");
  }
  row.dead_lettered += count_at(c, "/failed/dead_lettered");
  row.dead_lettered += count_at(c, "/trigger/failed/dead_lettered");  // records a stream's mapping gave up
}

}  // namespace

DesignComparison comparison_row(const Results& results) {
  const json& s = results.summary;
  DesignComparison row;
  row.design = s.value("model", "");
  row.requests = count_at(s, "/end_to_end/requests");
  row.completed = count_at(s, "/end_to_end/completed");
  row.p50_ms = number_at(s, "/end_to_end/latency_ms/p50");
  row.p99_ms = number_at(s, "/end_to_end/latency_ms/p99");
  if (s.contains("end_to_end"))
    for (const auto& [reason, n] : s["end_to_end"]["failed"].items())
      if (n.get<std::uint64_t>() > 0) row.lost[reason] = n.get<std::uint64_t>();
  for (const auto& [name, c] : s["components"].items()) read_component(c, row);
  row.cost_per_month_usd = number_at(s, "/cost_usd/per_month");
  double total = number_at(s, "/cost_usd/total");
  row.cost_per_million_usd = row.requests ? total / static_cast<double>(row.requests) * 1e6 : 0.0;
  row.ledger_balanced = s.contains("ledger") && s["ledger"].value("balanced", false);
  return row;
}

std::vector<DesignComparison> compare(const std::vector<ModelSpec>& designs, const RunOptions& options) {
  std::vector<DesignComparison> rows;
  if (designs.empty()) return rows;
  RunOptions o = options;
  if (!o.seed) o.seed = designs.front().run.seed;  // one workload for every design
  for (const auto& d : designs) rows.push_back(comparison_row(run(d, o)));
  return rows;
}

json comparison_to_json(const std::vector<DesignComparison>& rows) {
  json out = json::array();
  for (const auto& r : rows) {
    json lost = json::object();
    for (const auto& [reason, n] : r.lost) lost[reason] = n;
    out.push_back({{"design", r.design},
                   {"requests", r.requests},
                   {"completed", r.completed},
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

}  // namespace sluice
