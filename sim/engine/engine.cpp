#include "engine/engine.hpp"

#include <fmt/format.h>

#include "sluice/errors.hpp"
#include "sluice/units.hpp"

namespace sluice::engine {

using kernel::SimTime;

namespace {
long unreserved_limit(const ModelSpec& m) {
  long reserved = 0;
  for (const auto& c : m.components)
    if (const auto* f = std::get_if<LambdaSpec>(&c.config))
      reserved += f->reserved_concurrency ? *f->reserved_concurrency : f->provisioned_concurrency;
  // Reservations and the provisioned concurrency of unreserved functions are set aside.
  return m.account.concurrency_limit - reserved;
}
constexpr std::uint64_t kCheckEvery = 1u << 16;  // budget, wall clock and progress, every 65,536 events
}  // namespace

Engine::Engine(const ModelSpec& model, const RunOptions& options)
    : model_(model),
      options_(options),
      warmup_(SimTime::from_ns_rounded(model.run.warmup_ns)),
      end_(SimTime::from_ns_rounded(options.duration_ns.value_or(model.run.duration_ns))),
      series_(warmup_, end_, SimTime::from_ns_rounded(model.run.bucket_ns)),
      unreserved_(unreserved_limit(model)),
      api_account_throttle_(model.account.api_throttle_rate_per_s, model.account.api_throttle_burst) {
  // A duration given at run time gets the same checks as run.duration in the model.
  if (options.duration_ns) {
    SourceLocation where{"--duration " + units::format_duration_ns(*options.duration_ns), 0, 0};
    if (!(*options.duration_ns >= 1e6 && *options.duration_ns <= 366.0 * 86400e9))
      throw ModelError(where, "run.duration", "the run's duration must be between 1ms and 366d");
    if (*options.duration_ns / model.run.bucket_ns > 1e6)
      throw ModelError(where, "run.bucket", "more than a million time-series buckets: choose a coarser run.bucket");
  }
  if (warmup_ >= end_)
    throw ModelError(SourceLocation{options.duration_ns ? "--duration" : model.file, 0, 0}, "run.warmup",
                     fmt::format("the warm-up ({}) must be shorter than the run ({})",
                                 units::format_duration_ns(model.run.warmup_ns),
                                 units::format_duration_ns(static_cast<double>(end_.ns))));
  std::size_t apis = 0, functions = 0;
  for (const auto& c : model.components) {
    if (c.type == "api_gateway") refs_.push_back(ComponentRef{ComponentRef::Type::api_gateway, static_cast<std::uint32_t>(apis++)});
    else refs_.push_back(ComponentRef{ComponentRef::Type::lambda, static_cast<std::uint32_t>(functions++)});
  }
  // Components hold pointers into themselves (a function's own concurrency pool): no reallocation.
  apis_.reserve(apis);
  functions_.reserve(functions);
  sources_.reserve(model.sources.size());
  source_cost_.assign(model.sources.size(), 0.0);
  for (std::size_t i = 0; i < model.components.size(); ++i) {
    const ComponentSpec& c = model.components[i];
    if (refs_[i].type == ComponentRef::Type::api_gateway) apis_.emplace_back(*this, c, refs_[i].index);
    else functions_.emplace_back(*this, c, refs_[i].index, &unreserved_);
  }
  for (std::size_t i = 0; i < model.sources.size(); ++i)
    sources_.emplace_back(*this, model.sources[i], static_cast<std::uint32_t>(i));
  calendar_.reserve(1024);
}

std::uint32_t Engine::component_index(const std::string& name) const {
  for (std::size_t i = 0; i < model_.components.size(); ++i)
    if (model_.components[i].name == name) return static_cast<std::uint32_t>(i);
  throw std::logic_error("unresolved component " + name);  // the loader resolves every name first
}

kernel::RandomStream Engine::stream(const std::string& component, const std::string& purpose) const {
  return kernel::RandomStream(options_.seed.value_or(model_.run.seed), component, purpose);
}

void Engine::call(std::uint32_t component, const Caller& caller, const Lineage& lineage) {
  const ComponentRef& ref = refs_[component];
  switch (ref.type) {
    case ComponentRef::Type::api_gateway: apis_[ref.index].receive(caller, lineage); break;
    case ComponentRef::Type::lambda: functions_[ref.index].invoke(caller, lineage); break;
  }
}

void Engine::reply(const Caller& caller, Failure outcome) {
  switch (caller.kind) {
    case Caller::Kind::source: sources_[caller.component].on_reply(caller.handle, outcome); break;
    case Caller::Kind::api: apis_[caller.component].on_integration_reply(caller.handle, outcome); break;
    case Caller::Kind::invocation: functions_[caller.component].on_callee_reply(caller.handle, outcome); break;
  }
}

void Engine::dispatch(const kernel::Event& ev) {
  kernel::Handle h = kernel::Handle::unpack(ev.payload);
  switch (static_cast<EventKind>(ev.kind)) {
    case EventKind::source_arrival: sources_[ev.target].on_arrival(); break;
    case EventKind::source_retry: sources_[ev.target].on_retry(h); break;
    case EventKind::api_respond: apis_[ev.target].on_respond(h); break;
    case EventKind::api_timeout: apis_[ev.target].on_timeout(h); break;
    case EventKind::lambda_init_done: functions_[ev.target].on_init_done(h); break;
    case EventKind::lambda_steps_done: functions_[ev.target].on_steps_done(h); break;
    case EventKind::lambda_timeout: functions_[ev.target].on_timeout(h); break;
    case EventKind::environment_expire: functions_[ev.target].on_environment_expire(ev.payload); break;
  }
}

void Engine::check_budget() {
  const RunBudget& b = model_.run.budget;
  auto where = [&] { return units::format_duration_ns(static_cast<double>(now_.ns)); };
  if (requests_.live() > b.max_in_flight)
    throw RunAborted(fmt::format("run stopped at simulated time {}: {} requests in flight exceed the budget of {} "
                                 "(run.budget.in_flight); the system is not keeping up with its load",
                                 where(), requests_.live(), b.max_in_flight));
  if (events_ > b.max_events)
    throw RunAborted(fmt::format("run stopped at simulated time {}: more than {} events (run.budget.events)", where(),
                                 b.max_events));
  wall_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (b.max_wall_s > 0 && wall_s_ > b.max_wall_s)
    throw RunAborted(fmt::format("run stopped at simulated time {}: it took longer than {} s of wall time "
                                 "(run.budget.wall)",
                                 where(), b.max_wall_s));
  if (options_.on_progress)
    options_.on_progress(Progress{now_.to_seconds(), end_.to_seconds(), events_, wall_s_});
}

void Engine::run() {
  started_ = std::chrono::steady_clock::now();
  for (auto& f : functions_) f.start();
  for (auto& s : sources_) s.start();
  while (!calendar_.empty()) {
    kernel::Event ev = calendar_.pop();
    now_ = ev.time;
    ++events_;
    dispatch(ev);
    if ((events_ & (kCheckEvery - 1)) == 0) check_budget();
  }
  now_ = end_;
  check_budget();
  for (auto& f : functions_) f.finish_run();
  wall_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

std::uint64_t Engine::requests_in_flight() const {
  std::uint64_t n = 0;
  requests_.for_each_live([&](const Request&) { ++n; });
  return n;
}

}  // namespace sluice::engine
