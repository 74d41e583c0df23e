#include "engine/engine.hpp"

#include <fmt/format.h>

#include "model/architecture_graph.hpp"
#include "sluice/errors.hpp"
#include "sluice/units.hpp"

namespace sluice::engine {

using kernel::SimTime;

namespace {
constexpr std::uint64_t kCheckEvery = 1u << 16;  // budget, wall clock, progress and interruption, every 65,536 events
}  // namespace

Engine::Engine(const ModelSpec& model, const RunOptions& options) : Runtime(model, options) {
  // The options were checked against the model by run() (check_run_options in run.cpp).
  using components::DynamoDbTable;
  using components::KinesisStream;
  using components::LambdaFunction;
  using components::SqsQueue;
  std::vector<std::uint32_t> counts(ServiceComponents::kServices, 0);
  for (const auto& c : model.components) {
    std::optional<std::uint8_t> service = ServiceComponents::service_of(c.type);
    if (!service) throw std::logic_error("no service registered for the type " + c.type);  // the loader knows them
    refs_.push_back(ComponentRef{*service, counts[*service]++});
  }
  faults_.assign(model.components.size(), FaultState{});
  // The functions of each loop take its counters in model order (see LoopCounts).
  std::vector<int> loops = model::function_loops(model);
  std::vector<std::uint32_t> seated(model.components.size(), 0);  // by loop: functions seated so far
  loop_seats_.assign(model.components.size(), LoopSeat{});
  for (std::size_t i = 0; i < loops.size(); ++i) {
    if (loops[i] < 0) continue;
    auto loop = static_cast<std::size_t>(loops[i]);
    loop_seats_[i] =
        LoopSeat{static_cast<std::uint16_t>(loop), static_cast<std::uint8_t>(seated[loop]++ % LoopCounts::kSlots)};
  }
  // Components hold pointers into themselves and each other (a function's own concurrency
  // pool, a mapping's queue): no reallocation. Tables' streams join the Kinesis streams.
  std::uint32_t table_streams = 0;
  for (const auto& c : model.components)
    if (const auto* t = std::get_if<DynamoDbSpec>(&c.config); t && t->stream) ++table_streams;
  services_.for_each_service([&](auto& components) {
    using Service = typename std::decay_t<decltype(components)>::value_type;
    std::uint32_t n = counts[ServiceComponents::index_of<Service>()];
    components.reserve(std::is_same_v<Service, KinesisStream> ? n + table_streams : n);
  });
  sources_.reserve(model.sources.size());
  source_cost_.assign(model.sources.size(), 0.0);
  for (std::size_t i = 0; i < model.components.size(); ++i)
    services_.emplace(refs_[i].service, *this, model.components[i], refs_[i].index);
  // DynamoDB Streams: a table's stream is a stream with a shard per partition and 24 h retention
  // (aws-facts §5), read by the same event source mapping as Kinesis.
  auto& tables = services_.of<DynamoDbTable>();
  auto& streams = services_.of<KinesisStream>();
  std::vector<std::int64_t> stream_of_table(tables.size(), -1);
  for (std::size_t i = 0; i < model.components.size(); ++i) {
    const auto* t = std::get_if<DynamoDbSpec>(&model.components[i].config);
    if (!t || !t->stream) continue;
    std::uint32_t table = refs_[i].index;
    KinesisSpec spec;
    spec.shards = static_cast<int>(tables[table].partitions());
    spec.retention_ns = 86400e9;
    table_stream_specs_.push_back(
        ComponentSpec{model.components[i].name + ":stream", model.components[i].where, "kinesis", spec});
    stream_of_table[table] = static_cast<std::int64_t>(streams.size());
    streams.emplace_back(*this, table_stream_specs_.back(), static_cast<std::uint32_t>(streams.size()),
                         static_cast<std::uint32_t>(i));
    tables[table].attach_stream(&streams.back());
  }
  // Event source mappings, one per function with a trigger, after the queues and streams they poll.
  std::size_t sqs_triggers = 0, kinesis_triggers = 0;
  for (const auto& c : model.components)
    if (const auto* f = std::get_if<LambdaSpec>(&c.config); f && f->trigger)
      ++(model.find_component(f->trigger->source)->type == SqsQueue::kType ? sqs_triggers
                                                                           : kinesis_triggers);  // or a table's stream
  sqs_mappings_.reserve(sqs_triggers);
  kinesis_mappings_.reserve(kinesis_triggers);
  auto& functions = services_.of<LambdaFunction>();
  for (std::size_t i = 0; i < model.components.size(); ++i) {
    const auto* f = std::get_if<LambdaSpec>(&model.components[i].config);
    if (!f || !f->trigger) continue;
    const ComponentRef& source = refs_[component_index(f->trigger->source)];
    LambdaFunction& function = functions[refs_[i].index];
    if (source.service == ServiceComponents::index_of<SqsQueue>()) {
      sqs_mappings_.emplace_back(*this, model.components[i], static_cast<std::uint32_t>(sqs_mappings_.size()),
                                 static_cast<std::uint32_t>(i), services_.of<SqsQueue>()[source.index]);
      function.attach_trigger(&sqs_mappings_.back());
    } else {
      std::uint32_t stream = source.service == ServiceComponents::index_of<DynamoDbTable>()
                                 ? static_cast<std::uint32_t>(stream_of_table[source.index])
                                 : source.index;
      kinesis_mappings_.emplace_back(*this, model.components[i], static_cast<std::uint32_t>(kinesis_mappings_.size()),
                                     static_cast<std::uint32_t>(i), streams[stream]);
      function.attach_trigger(&kinesis_mappings_.back());
    }
  }
  for (std::size_t i = 0; i < model.sources.size(); ++i)
    sources_.emplace_back(*this, model.sources[i], static_cast<std::uint32_t>(i));
  for (const auto& f : model.faults) fault_targets_.push_back(component_index(f.target));
  calendar_.reserve(1024);
  series_.allocate();  // every series is known now: refused here if over run.budget.memory
}

void Runtime::call(std::uint32_t component, const Caller& caller, const Lineage& lineage) {
  Engine& self = static_cast<Engine&>(*this);
  const ComponentRef& ref = self.refs_[component];
  self.services_.visit(ref.service, ref.index, [&](auto& c) {
    if constexpr (requires { c.receive(caller, lineage); }) c.receive(caller, lineage);
    else throw std::logic_error("a call to a component that takes none");  // the loader forbids it
  });
}

void Runtime::call_table(std::uint32_t component, const Caller& caller, const Lineage& lineage,
                         const TableRequest& request) {
  Engine& self = static_cast<Engine&>(*this);
  self.services_.of<components::DynamoDbTable>()[self.refs_[component].index].receive(caller, lineage, request);
}

void Runtime::call_async(std::uint32_t component, const Caller& caller, const Lineage& lineage) {
  Engine& self = static_cast<Engine&>(*this);
  self.services_.of<components::LambdaFunction>()[self.refs_[component].index].invoke_async(caller, lineage);
}

bool Runtime::hand_over(std::uint32_t component, const Message& m) {
  Engine& self = static_cast<Engine&>(*this);
  const ComponentRef& ref = self.refs_[component];
  return self.services_.visit<bool>(ref.service, ref.index, [&](auto& c) -> bool {
    if constexpr (requires { c.accept(m); }) return c.accept(m);
    else throw std::logic_error("a message handed to a component that takes none");  // the loader forbids it
  });
}

// The caller hears the outcome. The asynchronous queue and the stream mappings also hear whether
// the handler ran; the SQS mapping does not need to: a batch the service refused and a batch
// whose handler failed both come back after the visibility timeout, and both receives count
// toward maxReceiveCount (aws-facts §1.2, §2.1).
void Runtime::answer(const Caller& caller, Failure outcome, std::uint32_t records_done, Handler handler) {
  Engine& self = static_cast<Engine&>(*this);
  switch (caller.kind) {
    case Caller::Kind::source:
      self.sources_[caller.component].on_reply(caller.handle, outcome);
      break;
    case Caller::Kind::api:
      self.services_.of<components::ApiGateway>()[caller.component].on_integration_reply(caller.handle, outcome);
      break;
    case Caller::Kind::invocation:
      self.services_.of<components::LambdaFunction>()[caller.component].on_callee_reply(caller.handle, outcome);
      break;
    case Caller::Kind::async_event:
      self.services_.of<components::LambdaFunction>()[caller.component].on_event_reply(caller.handle, outcome, handler);
      break;
    case Caller::Kind::sqs_batch:
      self.sqs_mappings_[caller.component].on_batch_reply(caller.handle, outcome, records_done);
      break;
    case Caller::Kind::kinesis_batch:
      self.kinesis_mappings_[caller.component].on_batch_reply(caller.handle, outcome, records_done, handler);
      break;
    case Caller::Kind::none:
      break;
  }
}

// The request waits for its call and its descendants; the first failure among them is its outcome.
void Runtime::request_descendant_ended(kernel::Handle request, Failure outcome) {
  Engine& self = static_cast<Engine&>(*this);
  if (!requests_.alive(request)) return;
  Request& r = requests_[request];
  --r.outstanding;
  if (r.outcome == Failure::none) r.outcome = outcome;
  if (r.outstanding == 0 && r.answered) self.sources_[r.source].complete(request);
}

Message& Runtime::batch_record(const Caller& batch, std::uint32_t i) {
  Engine& self = static_cast<Engine&>(*this);
  if (batch.kind == Caller::Kind::sqs_batch) return self.sqs_mappings_[batch.component].record(batch.handle, i);
  return self.kinesis_mappings_[batch.component].record(batch.handle, i);
}

std::uint32_t Runtime::batch_records(const Caller& batch) const {
  const Engine& self = static_cast<const Engine&>(*this);
  if (batch.kind == Caller::Kind::sqs_batch) return self.sqs_mappings_[batch.component].records(batch.handle);
  return self.kinesis_mappings_[batch.component].records(batch.handle);
}

void Engine::on_fault(std::uint32_t index, bool starts) {
  const FaultSpec& f = model_.faults[index];
  std::uint32_t target = fault_targets_[index];
  FaultState& state = faults_[target];
  switch (f.kind) {
    case FaultSpec::Kind::poison_message:
      state.poison_pending += static_cast<std::uint32_t>(f.count);
      break;
    case FaultSpec::Kind::error_rate:
      state.error_rate = starts ? f.rate : 0;
      break;
    case FaultSpec::Kind::latency:
      state.added_latency_ns += starts ? f.add_ns : -f.add_ns;
      break;
    case FaultSpec::Kind::outage:
      state.outages += starts ? 1 : -1;
      break;
    case FaultSpec::Kind::deploy:
      services_.of<components::LambdaFunction>()[refs_[target].index].deploy();
      break;
  }
}

void Engine::dispatch(const kernel::Event& ev) {
  kernel::Handle h = kernel::Handle::unpack(ev.payload);
  auto& apis = services_.of<components::ApiGateway>();
  auto& functions = services_.of<components::LambdaFunction>();
  auto& queues = services_.of<components::SqsQueue>();
  auto& topics = services_.of<components::SnsTopic>();
  auto& streams = services_.of<components::KinesisStream>();
  auto& tables = services_.of<components::DynamoDbTable>();
  switch (static_cast<EventKind>(ev.kind)) {
    case EventKind::source_arrival:
      sources_[ev.target].on_arrival();
      break;
    case EventKind::source_retry:
      sources_[ev.target].on_retry(h);
      break;
    case EventKind::api_respond:
      apis[ev.target].on_respond(h);
      break;
    case EventKind::api_timeout:
      apis[ev.target].on_timeout(h);
      break;
    case EventKind::lambda_init_done:
      functions[ev.target].on_init_done(h);
      break;
    case EventKind::lambda_steps_done:
      functions[ev.target].on_steps_done(h);
      break;
    case EventKind::lambda_timeout:
      functions[ev.target].on_timeout(h);
      break;
    case EventKind::environment_expire:
      functions[ev.target].on_environment_expire(ev.payload);
      break;
    case EventKind::deferred_reply: {
      PendingReply p = pending_replies_[h];
      pending_replies_.release(h);
      reply(p.caller, p.outcome);
      break;
    }
    case EventKind::async_event_ready:
      functions[ev.target].on_event_ready(h);
      break;
    case EventKind::sqs_queue_timer:
      queues[ev.target].on_timer(ev.payload);
      break;
    case EventKind::sqs_mapping_timer:
      sqs_mappings_[ev.target].on_timer(ev.payload);
      break;
    case EventKind::kinesis_stream_timer:
      streams[ev.target].on_timer(ev.payload);
      break;
    case EventKind::kinesis_mapping_timer:
      kinesis_mappings_[ev.target].on_timer(ev.payload);
      break;
    case EventKind::sns_deliver:
      topics[ev.target].on_deliver(h);
      break;
    case EventKind::dynamodb_timer:
      tables[ev.target].on_timer(ev.payload);
      break;
    case EventKind::fault_start:
      on_fault(ev.target, true);
      break;
    case EventKind::fault_end:
      on_fault(ev.target, false);
      break;
  }
}

namespace {
// A message in flight, with its slot in its component's pool: BENCHMARKS.md measures 76 B per
// queued SQS message; other pools' slots are of the same order. A round upper figure.
constexpr double kBytesPerMessage = 128;
}  // namespace

double Engine::bytes_held(std::uint64_t messages_in_flight) const {
  return series_.bytes() + static_cast<double>(calendar_.bytes()) +
         static_cast<double>(requests_.capacity()) * (sizeof(Request) + sizeof(std::uint32_t)) +
         static_cast<double>(pending_replies_.capacity()) * (sizeof(PendingReply) + sizeof(std::uint32_t)) +
         static_cast<double>(messages_in_flight) * kBytesPerMessage;
}

void Engine::check_budget() {
  const RunBudget& b = model_.run.budget;
  auto where = [&] { return units::format_duration_ns(static_cast<double>(now_.ns)); };
  if (requests_.live() > b.max_in_flight)
    throw RunAborted(
        fmt::format("run stopped at simulated time {}: {} requests in flight exceed the budget of {} "
                    "(run.budget.in_flight); the system is not keeping up with its load",
                    where(), requests_.live(), b.max_in_flight));
  // Every message is a unit of work in flight too: a runaway loop through queues shows here.
  auto loop_hint = [&] {
    for (const auto& w : model_.warnings)
      if (w.message.find("recursive loop") != std::string::npos) return "; " + w.message;
    return std::string();
  };
  std::uint64_t messages = ledger_.created - ledger_.completed - ledger_.failed - requests_.live();
  if (messages > b.max_in_flight)
    throw RunAborted(
        fmt::format("run stopped at simulated time {}: {} messages in flight exceed the budget of {} "
                    "(run.budget.in_flight); queues are growing without bound{}",
                    where(), messages, b.max_in_flight, loop_hint()));
  if (events_ > b.max_events)
    throw RunAborted(fmt::format("run stopped at simulated time {}: more than {} events (run.budget.events)", where(),
                                 b.max_events));
  if (double held = bytes_held(messages); held > b.max_memory_bytes)
    throw RunAborted(
        fmt::format("run stopped at simulated time {}: the engine holds about {} (time series, pending "
                    "events, requests and messages), above the memory budget of {} (run.budget.memory)",
                    where(), units::format_size_bytes(held), units::format_size_bytes(b.max_memory_bytes)));
  wall_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (b.max_wall_s > 0 && wall_s_ > b.max_wall_s)
    throw RunAborted(
        fmt::format("run stopped at simulated time {}: it took longer than {} s of wall time "
                    "(run.budget.wall)",
                    where(), b.max_wall_s));
  if (options_.on_progress) options_.on_progress(Progress{now_.to_seconds(), end_.to_seconds(), events_, wall_s_});
  if (options_.check_interrupt) options_.check_interrupt();  // may throw: the run stops here
}

void Engine::run() {
  started_ = std::chrono::steady_clock::now();
  services_.for_each([](auto& c) {
    if constexpr (requires { c.start(); }) c.start();
  });
  for (auto& m : sqs_mappings_) m.start();
  for (auto& m : kinesis_mappings_) m.start();
  for (auto& s : sources_) s.start();
  for (std::size_t i = 0; i < model_.faults.size(); ++i) {
    const FaultSpec& f = model_.faults[i];
    auto index = static_cast<std::uint32_t>(i);
    schedule(SimTime::from_ns_rounded(f.at_ns), EventKind::fault_start, index, 0);
    if (f.for_ns > 0) schedule(SimTime::from_ns_rounded(f.at_ns + f.for_ns), EventKind::fault_end, index, 0);
  }
  while (!calendar_.empty()) {
    kernel::Event ev = calendar_.pop_deferred();  // the first event it schedules takes its place
    now_ = ev.time;
    ++events_;
    dispatch(ev);
    if ((events_ & (kCheckEvery - 1)) == 0) check_budget();
  }
  now_ = end_;
  check_budget();
  services_.for_each([](auto& c) {
    if constexpr (requires { c.finish_run(); }) c.finish_run();
  });
  for (auto& m : sqs_mappings_) m.finish_run();
  for (auto& m : kinesis_mappings_) m.finish_run();
  wall_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

std::uint64_t Engine::messages_in_flight() const {
  std::uint64_t n = 0;
  services_.for_each([&](const auto& c) {
    if constexpr (requires { c.messages_in_flight(); }) n += c.messages_in_flight();
  });
  return n;
}

std::uint64_t Engine::requests_in_flight() const {
  std::uint64_t n = 0;
  requests_.for_each_live([&](const Request&) { ++n; });
  return n;
}

}  // namespace sluice::engine
