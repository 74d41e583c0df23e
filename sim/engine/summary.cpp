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

// A queue that receives failures (a dead-letter queue, an on-failure destination): its messages
// are parked, not a backlog of work.
bool is_failure_destination(const ModelSpec& m, const std::string& name) {
  for (const auto& c : m.components) {
    if (const auto* q = std::get_if<SqsSpec>(&c.config); q && q->dead_letter_target == name) return true;
    if (const auto* f = std::get_if<LambdaSpec>(&c.config)) {
      if (f->async.on_failure == name) return true;
      if (f->trigger && f->trigger->on_failure == name) return true;
    }
  }
  return false;
}

// Whether anything in the model can invoke the function asynchronously (a source with
// invocation: async, an SNS subscription, an invoke_async step, an on-failure destination): then
// its asynchronous queue's metrics are written even when no event came, so every run of the model
// has the same summary keys.
bool invoked_asynchronously(const ModelSpec& m, const std::string& name) {
  for (const auto& s : m.sources)
    if (s.async && s.target == name) return true;
  for (const auto& c : m.components) {
    if (const auto* t = std::get_if<SnsSpec>(&c.config))
      for (const auto& sub : t->subscribers)
        if (sub.target == name) return true;
    if (const auto* f = std::get_if<LambdaSpec>(&c.config)) {
      if (f->async.on_failure == name) return true;
      for (const auto& step : f->steps)
        if (step.kind == Step::Kind::invoke_async && step.target == name) return true;
    }
  }
  return false;
}

summary::Lambda lambda_summary(const Engine& e, const components::LambdaFunction& f, std::uint32_t index) {
  const auto& q = f.async_queue();
  summary::Lambda s = f.summary(q.received > 0 || !f.config().async.on_failure.empty() ||
                                invoked_asynchronously(e.model(), f.spec().name));
  if (auto m = e.mapping_of(index)) {
    const std::string& source = f.config().trigger->source;
    if (e.model().find_component(source)->type == "sqs")
      s.trigger = summary::Trigger{e.sqs_mappings()[*m].summary(), source};
    else s.trigger = summary::Trigger{e.kinesis_mappings()[*m].summary(), source};
  }
  return s;
}

summary::Component component_summary(const Engine& e, std::size_t i) {
  const ModelSpec& m = e.model();
  const ComponentRef& ref = e.components()[i];
  switch (ref.type) {
    case ComponentRef::Type::api_gateway:
      return e.apis()[ref.index].summary();
    case ComponentRef::Type::lambda:
      return lambda_summary(e, e.functions()[ref.index], ref.index);
    case ComponentRef::Type::sqs: {
      summary::Sqs s = e.queues()[ref.index].summary();
      s.dead_letter_queue = is_failure_destination(m, m.components[i].name);
      return s;
    }
    case ComponentRef::Type::sns:
      return e.topics()[ref.index].summary();
    case ComponentRef::Type::kinesis:
      return e.streams()[ref.index].summary();
    case ComponentRef::Type::dynamodb: {
      summary::DynamoDb s = e.tables()[ref.index].summary();
      if (auto stream = e.stream_of_table(ref.index)) {
        s.stream = e.streams()[*stream].summary();
        s.stream->table_stream = true;
      }
      return s;
    }
  }
  throw std::logic_error("component_summary: unknown component type");
}

}  // namespace

summary::Summary build_summary(const Engine& e) {
  const ModelSpec& m = e.model();
  double measured_s = (e.end() - e.warmup()).to_seconds();
  summary::Summary s;
  s.model = m.name;
  s.run = {e.end().to_seconds(), e.warmup().to_seconds(), 0, e.events()};

  // Standing costs (provisioned concurrency) are shared among sources by their invocations.
  std::vector<double> source_cost = e.source_cost();
  for (const auto& f : e.functions()) {
    std::uint64_t total = 0;
    for (auto n : f.invocations_by_source) total += n;
    if (total == 0) continue;
    for (std::size_t k = 0; k < source_cost.size(); ++k)
      source_cost[k] +=
          f.cost_provisioned_usd * static_cast<double>(f.invocations_by_source[k]) / static_cast<double>(total);
  }
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
