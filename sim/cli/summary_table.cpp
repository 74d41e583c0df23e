#include "cli/summary_table.hpp"

#include <variant>
#include <vector>

#include <fmt/format.h>

namespace sluice::cli {
namespace {

std::string ms(double x) { return x >= 1000 ? fmt::format("{:.2f}s", x / 1000) : fmt::format("{:.1f}ms", x); }
std::string usd(double x) { return x >= 100 ? fmt::format("${:.0f}", x) : fmt::format("${:.4f}", x); }

std::string failures(const summary::Failed& failed) {
  std::string out;
  for (const auto& [reason, n] : failed.by_reason)
    if (n > 0) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n, failure_name(reason));
  return out.empty() ? "-" : out;
}

std::string cell(const summary::Cell& c) {
  switch (c.kind) {
    case summary::Cell::Kind::count:
      return fmt::format("{:.0f}", c.value);
    case summary::Cell::Kind::ms:
      return ms(c.value);
    case summary::Cell::Kind::usd:
      return usd(c.value);
    case summary::Cell::Kind::mean_max:
      return fmt::format("{:.{}f}/{:.0f}", c.value, c.decimals, c.max);
    case summary::Cell::Kind::number:
      return fmt::format("{:.{}f}", c.value, c.decimals);
  }
  return "";
}

// One section per service: a header, then a row per component of that service.
template <class Service>
void section(std::string& out, const summary::Summary& s) {
  bool header = false;
  for (const auto& [name, component] : s.components) {
    const auto* c = std::get_if<Service>(&component);
    if (!c) continue;
    if (!header) {
      std::string h = fmt::format("\n{:<18}", Service::kTableTitle);
      for (const auto& col : Service::kColumns) h += fmt::format(" {:>{}}", col.title, col.width);
      out += h + "\n";
      header = true;
    }
    auto cells = c->table_row();
    std::string r = fmt::format("{:<18}", name);
    for (std::size_t i = 0; i < cells.size(); ++i)
      r += fmt::format(" {:>{}}", cell(cells[i]), Service::kColumns[i].width);
    out += r + "\n";
  }
}

template <class... Service>
void sections(std::string& out, const summary::Summary& s, const std::variant<Service...>*) {
  (section<Service>(out, s), ...);
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
  sections(out, s, static_cast<const summary::Component*>(nullptr));  // in the variant's order
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
