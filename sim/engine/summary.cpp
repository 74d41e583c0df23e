#include "engine/summary.hpp"

#include "engine/engine.hpp"

namespace sluice::engine {
namespace {

using json = nlohmann::ordered_json;
constexpr double kHoursPerMonth = 730;  // AWS's pricing convention

json latency(const metrics::LatencyHistogram& h, bool with_p90 = true) {
  metrics::LatencyStats s = h.stats();
  json j;
  j["mean"] = s.mean;
  j["p50"] = s.p50;
  if (with_p90) j["p90"] = s.p90;
  j["p99"] = s.p99;
  if (with_p90) j["p999"] = s.p999;
  j["max"] = s.max;
  return j;
}

json gauge(const metrics::Gauge& g) { return json{{"mean", g.mean()}, {"max", g.max()}}; }

json failures(const FailureCounts& counts, std::initializer_list<Failure> which) {
  json j = json::object();
  for (Failure f : which) j[std::string(failure_name(f))] = counts[static_cast<std::size_t>(f)];
  return j;
}

const std::initializer_list<Failure> kSyncFailures{Failure::throttled,      Failure::rejected,
                                                   Failure::timeout,        Failure::out_of_memory,
                                                   Failure::function_error, Failure::dependency_failed};

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

json lambda_summary(const Engine& e, const components::LambdaFunction& f, std::uint32_t index) {
  json metrics;
  metrics["Invocations"] = f.invocations;
  metrics["Errors"] = f.errors;
  metrics["Throttles"] = f.throttles;
  metrics["ColdStarts"] = f.cold_starts;
  metrics["ProvisionedConcurrencySpilloverInvocations"] = f.spillover_invocations;
  metrics["Duration_ms"] = latency(f.duration_ms);
  metrics["InitDuration_ms"] = latency(f.init_duration_ms, false);
  metrics["ConcurrentExecutions"] = gauge(f.concurrent_executions);
  // CloudWatch's ProvisionedConcurrencyUtilization: busy provisioned environments / configured.
  metrics["ProvisionedConcurrentExecutions"] = gauge(f.provisioned_concurrent_executions);
  int pc = f.config().provisioned_concurrency;
  metrics["ProvisionedConcurrencyUtilization"] =
      json{{"mean", pc ? f.provisioned_concurrent_executions.mean() / pc : 0.0},
           {"max", pc ? f.provisioned_concurrent_executions.max() / pc : 0.0}};
  metrics["ExecutionEnvironments"] = gauge(f.execution_environments);
  metrics["BilledGBSeconds"] = f.billed_gb_seconds;
  metrics["Duplicates"] = f.duplicates;
  metrics["RecordsProcessed"] = f.records_processed;
  metrics["RecursiveInvocationsDropped"] = f.recursive_invocations_dropped;
  const auto& q = f.async_queue();
  if (q.received > 0 || !f.config().async.on_failure.empty() || invoked_asynchronously(e.model(), f.spec().name)) {
    metrics["AsyncEventsReceived"] = q.received;
    metrics["AsyncEventsDropped"] = q.dropped;
    metrics["AsyncEventRetries"] = q.retries;
    metrics["AsyncEventAge_ms"] = latency(q.event_age_ms, false);
    metrics["AsyncEventsQueued"] = gauge(q.queued);
    metrics["DestinationDeliveries"] = q.destination_deliveries;
  }
  json j;
  j["type"] = "lambda";
  j["memory_mb"] = f.config().memory_mb;
  j["vcpus"] = f.vcpus();
  j["metrics"] = std::move(metrics);
  j["failed"] = failures(
      f.failed, {Failure::throttled, Failure::rejected, Failure::timeout, Failure::out_of_memory,
                 Failure::function_error, Failure::dependency_failed, Failure::expired, Failure::dead_lettered});
  if (auto m = e.mapping_of(index)) {
    json trigger = f.config().trigger && e.model().find_component(f.config().trigger->source)->type == "sqs"
                       ? e.sqs_mappings()[*m].summary()
                       : e.kinesis_mappings()[*m].summary();
    trigger["source"] = f.config().trigger->source;
    j["trigger"] = std::move(trigger);
  }
  j["cost_usd"] = json{{"requests", f.cost_requests_usd},
                       {"duration", f.cost_duration_usd},
                       {"provisioned_duration", f.cost_provisioned_duration_usd},
                       {"provisioned", f.cost_provisioned_usd},
                       {"total", f.cost_total_usd()}};
  return j;
}

json api_summary(const components::ApiGateway& a) {
  json metrics;
  metrics["Count"] = a.count;
  metrics["4XXError"] = a.errors_4xx;
  metrics["5XXError"] = a.errors_5xx;
  metrics["Latency_ms"] = latency(a.latency_ms);
  metrics["IntegrationLatency_ms"] = latency(a.integration_latency_ms);
  json j;
  j["type"] = "api_gateway";
  j["flavor"] = a.config().flavor == ApiGatewaySpec::Flavor::rest ? "rest" : "http";
  j["metrics"] = std::move(metrics);
  j["failed"] = failures(a.failed, kSyncFailures);
  j["cost_usd"] = json{{"requests", a.cost_requests_usd}, {"total", a.cost_requests_usd}};
  return j;
}

}  // namespace

json build_summary(const Engine& e) {
  const ModelSpec& m = e.model();
  double measured_s = (e.end() - e.warmup()).to_seconds();
  json j;
  j["schema"] = 1;
  j["model"] = m.name;
  j["run"] = json{{"duration_s", e.end().to_seconds()},
                  {"warmup_s", e.warmup().to_seconds()},
                  {"seed", 0},
                  {"events", e.events()}};  // no wall clock: Results::wall_s

  // Standing costs (provisioned concurrency) are shared among sources by their invocations.
  std::vector<double> source_cost = e.source_cost();
  for (const auto& f : e.functions()) {
    std::uint64_t total = 0;
    for (auto n : f.invocations_by_source) total += n;
    if (total == 0) continue;
    for (std::size_t s = 0; s < source_cost.size(); ++s)
      source_cost[s] +=
          f.cost_provisioned_usd * static_cast<double>(f.invocations_by_source[s]) / static_cast<double>(total);
  }
  std::vector<std::uint64_t> in_flight(m.sources.size(), 0);
  // Counted from the pool of live requests itself, independently of the completion counters.
  e.requests().for_each_live([&](const Request& r) {
    if (r.measured) ++in_flight[r.source];
  });

  json sources = json::object();
  for (std::size_t i = 0; i < e.sources().size(); ++i) {
    const auto& s = e.sources()[i];
    json js;
    js["requests"] = s.requests;
    js["completed"] = s.completed;
    js["failed"] = failures(s.failed, kAllFailures);
    js["in_flight"] = in_flight[i];
    js["retries"] = s.retries;
    js["latency_ms"] = latency(s.latency_ms);
    js["cost_usd"] = source_cost[i];
    js["cost_per_million_usd"] = s.requests ? source_cost[i] / static_cast<double>(s.requests) * 1e6 : 0.0;
    sources[s.spec().name] = std::move(js);
  }
  j["sources"] = std::move(sources);

  // End to end, all sources together: a request is complete when its last descendant has ended.
  metrics::LatencyHistogram all;
  std::uint64_t requests = 0, completed = 0, open = 0;
  FailureCounts failed{};
  for (std::size_t i = 0; i < e.sources().size(); ++i) {
    const auto& s = e.sources()[i];
    all += s.latency_ms;
    requests += s.requests;
    completed += s.completed;
    open += in_flight[i];
    for (std::size_t k = 0; k < kFailureCount; ++k) failed[k] += s.failed[k];
  }
  j["end_to_end"] = json{{"requests", requests},
                         {"completed", completed},
                         {"failed", failures(failed, kAllFailures)},
                         {"in_flight", open},
                         {"latency_ms", latency(all)}};

  json components = json::object();
  double total = 0;
  json by_dimension = json::object();
  auto add_dimension = [&](const std::string& key, double usd) {
    by_dimension[key] = by_dimension.value(key, 0.0) + usd;
    total += usd;
  };
  for (std::size_t i = 0; i < m.components.size(); ++i) {
    const ComponentRef& ref = e.components()[i];
    if (ref.type == ComponentRef::Type::sqs || ref.type == ComponentRef::Type::sns ||
        ref.type == ComponentRef::Type::kinesis || ref.type == ComponentRef::Type::dynamodb) {
      const std::string& type = m.components[i].type;
      json c = ref.type == ComponentRef::Type::sqs       ? e.queues()[ref.index].summary()
               : ref.type == ComponentRef::Type::sns     ? e.topics()[ref.index].summary()
               : ref.type == ComponentRef::Type::kinesis ? e.streams()[ref.index].summary()
                                                         : e.tables()[ref.index].summary();
      if (ref.type == ComponentRef::Type::sqs) c["dead_letter_queue"] = is_failure_destination(m, m.components[i].name);
      if (ref.type == ComponentRef::Type::dynamodb)
        if (auto s = e.stream_of_table(ref.index)) {
          json stream = e.streams()[*s].summary();
          stream["type"] = "dynamodb_stream";
          c["stream"] = std::move(stream);
        }
      for (const auto& [key, usd] : c["cost_usd"].items())
        if (key != "total") add_dimension(type + "." + key, usd.get<double>());
      components[m.components[i].name] = std::move(c);
    } else if (ref.type == ComponentRef::Type::lambda) {
      const auto& f = e.functions()[ref.index];
      components[m.components[i].name] = lambda_summary(e, f, ref.index);
      add_dimension("lambda.requests", f.cost_requests_usd);
      add_dimension("lambda.duration", f.cost_duration_usd);
      add_dimension("lambda.provisioned_duration", f.cost_provisioned_duration_usd);
      add_dimension("lambda.provisioned", f.cost_provisioned_usd);
    } else {
      const auto& a = e.apis()[ref.index];
      components[m.components[i].name] = api_summary(a);
      add_dimension("api_gateway.requests", a.cost_requests_usd);
    }
  }
  j["components"] = std::move(components);
  j["cost_usd"] = json{{"total", total},
                       {"per_month", measured_s > 0 ? total * kHoursPerMonth * 3600 / measured_s : 0.0},
                       {"by_dimension", std::move(by_dimension)}};

  // Units of work: source requests and messages (SQS messages, SNS deliveries, Kinesis records,
  // asynchronous events). Work in flight is counted from the pools that hold it.
  const auto& ledger = e.ledger();
  std::uint64_t live_requests = e.requests_in_flight(), live_messages = e.messages_in_flight();
  json jl;
  jl["created"] = ledger.created;
  jl["completed"] = ledger.completed;
  jl["failed"] = ledger.failed;
  jl["in_flight"] = live_requests + live_messages;
  jl["requests_in_flight"] = live_requests;
  jl["messages_in_flight"] = live_messages;
  // The same, split: source requests (the whole run's, warm-up included) and messages.
  jl["requests"] = json{{"created", ledger.requests_created},
                        {"completed", ledger.requests_completed},
                        {"failed", ledger.requests_failed},
                        {"in_flight", live_requests}};
  jl["messages"] = json{{"created", ledger.created - ledger.requests_created},
                        {"completed", ledger.completed - ledger.requests_completed},
                        {"failed", ledger.failed - ledger.requests_failed},
                        {"in_flight", live_messages}};
  jl["balanced"] = ledger.created == ledger.completed + ledger.failed + live_requests + live_messages;
  j["ledger"] = std::move(jl);
  json warnings = json::array();
  for (const auto& w : m.warnings) warnings.push_back(format_error(w.where, w.key_path, w.message));
  j["warnings"] = std::move(warnings);
  return j;
}

}  // namespace sluice::engine
