#include "engine/summary.hpp"

#include <algorithm>
#include <stdexcept>
#include <variant>

#include "engine/engine.hpp"
#include "metrics/summary_figures.hpp"

namespace sluice::engine {
namespace {

constexpr double kHoursPerMonth = 730;  // AWS's pricing convention

const std::initializer_list<Failure> kAllFailures{
    Failure::throttled,     Failure::rejected,       Failure::timeout,
    Failure::out_of_memory, Failure::function_error, Failure::dependency_failed,
    Failure::expired,       Failure::dead_lettered,  Failure::retention_expired};

// Each service writes its own section (engine/services.hpp).
summary::Component component_summary(const Engine& e, std::size_t i) {
  const ComponentRef& ref = e.components()[i];
  return e.services().visit<summary::Component>(ref.service, ref.index,
                                                [](const auto& c) -> summary::Component { return c.summary(); });
}

}  // namespace

summary::Summary build_summary(const Engine& e) {
  const ModelSpec& m = e.model();
  double measured_s = (e.end() - e.warmup()).to_seconds();
  summary::Summary s;
  s.model = m.name;
  s.run = {e.end().to_seconds(), e.warmup().to_seconds(), 0, e.events()};

  const std::vector<double>& source_cost = e.source_cost();
  std::vector<std::uint64_t> in_flight(m.sources.size(), 0);
  // Counted from the pool of live requests itself, independently of the completion counters.
  e.requests().for_each_live([&](const Request& r) {
    if (r.measured) ++in_flight[r.source];
  });

  // End to end, all sources together: a request is complete when its last descendant has ended.
  metrics::LatencyHistogram all;
  FailureCounts failed{};
  summary::EndToEnd& e2e = s.end_to_end;
  for (std::size_t i = 0; i < e.sources().size(); ++i) {
    const auto& src = e.sources()[i];
    summary::Source out;
    out.requests = src.requests;
    out.completed = src.completed;
    out.failed = metrics::failed(src.failed, kAllFailures);
    out.in_flight = in_flight[i];
    out.retries = src.retries;
    out.latency_ms = metrics::latency(src.latency_ms);
    out.cost_usd = source_cost[i];
    out.cost_per_million_usd = src.requests ? source_cost[i] / static_cast<double>(src.requests) * 1e6 : 0.0;
    s.sources.emplace_back(src.spec().name, std::move(out));
    all += src.latency_ms;
    e2e.requests += src.requests;
    e2e.completed += src.completed;
    e2e.in_flight += in_flight[i];
    for (std::size_t k = 0; k < kFailureCount; ++k) failed[k] += src.failed[k];
  }
  e2e.failed = metrics::failed(failed, kAllFailures);
  e2e.latency_ms = metrics::latency(all);

  // The bill by pricing dimension ("sqs.requests"), summed in the model's component order.
  double total = 0;
  auto& by_dimension = s.cost_usd.by_dimension;
  for (std::size_t i = 0; i < m.components.size(); ++i) {
    summary::Component c = component_summary(e, i);
    const summary::Cost& cost =
        std::visit([](const auto& section) -> const summary::Cost& { return section.cost_usd; }, c);
    for (const auto& [part, usd] : cost.parts) {
      std::string key = m.components[i].type + "." + part;
      auto it = std::find_if(by_dimension.begin(), by_dimension.end(), [&](const auto& d) { return d.first == key; });
      if (it == by_dimension.end()) it = by_dimension.insert(it, {key, 0.0});
      it->second += usd;
      total += usd;
    }
    s.components.emplace_back(m.components[i].name, std::move(c));
  }
  s.cost_usd.total = total;
  s.cost_usd.per_month = measured_s > 0 ? total * kHoursPerMonth * 3600 / measured_s : 0.0;

  // Units of work: source requests and messages (SQS messages, SNS deliveries, Kinesis records,
  // asynchronous events). Work in flight is counted from the pools that hold it.
  const auto& ledger = e.ledger();
  std::uint64_t live_requests = e.requests_in_flight(), live_messages = e.messages_in_flight();
  summary::Ledger& l = s.ledger;
  l.all = {ledger.created, ledger.completed, ledger.failed, live_requests + live_messages};
  l.requests_in_flight = live_requests;
  l.messages_in_flight = live_messages;
  // The same, split: source requests (the whole run's, warm-up included) and messages.
  l.requests = {ledger.requests_created, ledger.requests_completed, ledger.requests_failed, live_requests};
  l.messages = {ledger.created - ledger.requests_created, ledger.completed - ledger.requests_completed,
                ledger.failed - ledger.requests_failed, live_messages};
  l.balanced = ledger.created == ledger.completed + ledger.failed + live_requests + live_messages;
  for (const auto& w : m.warnings) s.warnings.push_back(format_error(w.where, w.key_path, w.message));
  return s;
}

}  // namespace sluice::engine
