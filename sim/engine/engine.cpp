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
  // pool, a mapping's queue): no reallocation.
  services_.for_each_service([&](auto& components) {
    using Service = typename std::decay_t<decltype(components)>::value_type;
    components.reserve(counts[ServiceComponents::index_of<Service>()]);
  });
  sources_.reserve(model.sources.size());
  source_cost_.assign(model.sources.size(), 0.0);
  for (std::size_t i = 0; i < model.components.size(); ++i) {
    const ComponentRef& ref = refs_[i];
    services_.emplace(ref.service, *this, model.components[i],
                      EventRoute::of(static_cast<std::uint8_t>(ref.service + 1), ref.index));
  }
  // Parts that reach other components (a function's event source mapping), once all exist.
  services_.for_each([](auto& c) {
    if constexpr (requires { c.connect(); }) c.connect();
  });
  for (std::size_t i = 0; i < model.sources.size(); ++i)
    sources_.emplace_back(*this, model.sources[i], static_cast<std::uint32_t>(i));
  for (const auto& f : model.faults) fault_targets_.push_back(component_index(f.target));
  calendar_.reserve(1024);
  series_.allocate();  // every series is known now: refused here if over run.budget.memory
}

void Runtime::call(std::uint32_t component, const Caller& caller, const Lineage& lineage) {
  static_cast<Engine&>(*this).visit_component(component, [&](auto& c) {
    if constexpr (requires { c.receive(caller, lineage); }) c.receive(caller, lineage);
    else throw std::logic_error("a call to a component that takes none");  // the loader forbids it
  });
}

void Runtime::call_table(std::uint32_t component, const Caller& caller, const Lineage& lineage,
                         const TableRequest& request) {
  static_cast<Engine&>(*this).visit_component(component, [&](auto& c) {
    if constexpr (requires { c.receive(caller, lineage, request); }) c.receive(caller, lineage, request);
    else throw std::logic_error("a table request to a component that is not a table");  // the loader forbids it
  });
}

void Runtime::call_async(std::uint32_t component, const Caller& caller, const Lineage& lineage) {
  static_cast<Engine&>(*this).visit_component(component, [&](auto& c) {
    if constexpr (requires { c.invoke_async(caller, lineage); }) c.invoke_async(caller, lineage);
    else throw std::logic_error("an asynchronous invocation of a component that takes none");  // the loader forbids it
  });
}

Polled Runtime::polled(std::uint32_t component) {
  return static_cast<Engine&>(*this).visit_component<Polled>(component, [](auto& c) -> Polled {
    if constexpr (requires { c.polled(); }) {
      if (auto* p = c.polled()) return Polled{p};
    }
    return Polled{};
  });
}

bool Runtime::hand_over(std::uint32_t component, const Message& m) {
  return static_cast<Engine&>(*this).visit_component<bool>(component, [&](auto& c) -> bool {
    if constexpr (requires { c.accept(m); }) return c.accept(m);
    else throw std::logic_error("a message handed to a component that takes none");  // the loader forbids it
  });
}

// The caller hears the outcome: a source, or the component that made the call (on_reply), which
// passes it to the part that waits (LambdaFunction::on_reply).
void Runtime::answer(const Caller& caller, Failure outcome, std::uint32_t records_done, Handler handler) {
  Engine& self = static_cast<Engine&>(*this);
  if (caller.kind == Caller::Kind::none) return;
  if (caller.owner == EventRoute::kEngine) {
    self.sources_[caller.component].on_reply(caller.handle, outcome);
    return;
  }
  self.services_.visit(static_cast<std::uint8_t>(caller.owner - 1), caller.component, [&](auto& c) {
    if constexpr (requires { c.on_reply(caller, outcome, records_done, handler); })
      c.on_reply(caller, outcome, records_done, handler);
    else throw std::logic_error("an answer to a component that calls nothing");  // no such caller is made
  });
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
    case FaultSpec::Kind::deploy:  // the fault reader allows it on functions only
      visit_component(target, [](auto& c) {
        if constexpr (requires { c.deploy(); }) c.deploy();
      });
      break;
  }
}

void Engine::dispatch(const kernel::Event& ev) {
  std::uint8_t event = EventRoute::event_of(ev.kind);
  if (std::uint32_t owner = EventRoute::owner_of(ev.kind); owner != EventRoute::kEngine) {
    // A component's own event, to the component its route names.
    services_.visit(static_cast<std::uint8_t>(owner - 1), ev.target, [&](auto& c) {
      using Service = std::decay_t<decltype(c)>;
      c.on_event(static_cast<typename Service::Event>(event), ev.payload);
    });
    return;
  }
  switch (static_cast<EngineEvent>(event)) {
    case EngineEvent::source_arrival:
      sources_[ev.target].on_arrival();
      break;
    case EngineEvent::source_retry:
      sources_[ev.target].on_retry(kernel::Handle::unpack(ev.payload));
      break;
    case EngineEvent::deferred_reply: {
      kernel::Handle h = kernel::Handle::unpack(ev.payload);
      PendingReply p = pending_replies_[h];
      pending_replies_.release(h);
      reply(p.caller, p.outcome);
      break;
    }
    case EngineEvent::fault_start:
      on_fault(ev.target, true);
      break;
    case EngineEvent::fault_end:
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
  services_.for_each([](auto& c) {
    if constexpr (requires { c.start_polling(); }) c.start_polling();
  });
  for (auto& s : sources_) s.start();
  for (std::size_t i = 0; i < model_.faults.size(); ++i) {
    const FaultSpec& f = model_.faults[i];
    auto index = static_cast<std::uint32_t>(i);
    schedule(SimTime::from_ns_rounded(f.at_ns), EngineEvent::fault_start, index, 0);
    if (f.for_ns > 0) schedule(SimTime::from_ns_rounded(f.at_ns + f.for_ns), EngineEvent::fault_end, index, 0);
  }
  kernel::Event ev;
  while (calendar_.pop_deferred(ev)) {  // the first event it schedules takes its place
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
