#include "components/lambda_function.hpp"

#include <algorithm>
#include <cmath>

#include "components/dynamodb_capacity.hpp"
#include "components/kinesis_event_source_mapping.hpp"
#include "components/sqs_event_source_mapping.hpp"
#include "engine/runtime.hpp"
#include "kernel/exact_ceil.hpp"
#include "kernel/sampling.hpp"
#include "metrics/summary_figures.hpp"

namespace sluice::components {

using kernel::SimTime;
using sluice::Failure;
using Kind = metrics::TimeSeriesRecorder::Kind;

namespace {
constexpr double kMbPerVcpu = 1769;                           // 1 vCPU-equivalent at 1,769 MB (aws-facts §1.1)
constexpr double kMaxVcpus = 6;                               // at 10,240 MB
constexpr double kInitLimitNs = 10e9;                         // the init phase is cut at 10 s (aws-facts §1.3)
constexpr double kProvisionedRoundingS = 300;                 // provisioned concurrency billed in 5-minute steps
constexpr double kSyncPayloadLimitBytes = 6.0 * 1024 * 1024;  // synchronous request payload (aws-facts §1.1)

double billed_ms(double ns) { return kernel::exact_ceil(ns / 1e6); }  // 1 ms granularity, rounded up
bool is_table_step(Step::Kind k) {
  return k == Step::Kind::read || k == Step::Kind::write || k == Step::Kind::query || k == Step::Kind::transact_write;
}
// The table operations follow the step kinds in the same order.
static_assert(static_cast<int>(Step::Kind::transact_write) - static_cast<int>(Step::Kind::read) ==
              static_cast<int>(engine::TableRequest::Operation::transact_write));
}  // namespace

LambdaFunction::LambdaFunction(engine::Runtime& e, const ComponentSpec& spec, engine::EventRoute route)
    : engine_(&e),
      spec_(&spec),
      config_(&std::get<LambdaSpec>(spec.config)),
      route_(route),
      index_(route.target),
      scaling_(e.model().account.scaling_environments / (e.model().account.scaling_period_ns * 1e-9),
               e.model().account.scaling_environments),
      component_(e.component_index(spec.name)),
      async_(e, *this, route.part(Event::async_event)),
      rng_sizes_(e.stream(spec.name, "message_sizes")),
      rng_steps_(e.stream(spec.name, "steps")),
      rng_init_(e.stream(spec.name, "cold_start")),
      rng_errors_(e.stream(spec.name, "errors")),
      rng_memory_(e.stream(spec.name, "memory_used")),
      rng_keep_alive_(e.stream(spec.name, "keep_alive")),
      rng_reuse_(e.stream(spec.name, "reuse")) {
  if (config_->reserved_concurrency) {
    own_pool_ = ConcurrencyPool(*config_->reserved_concurrency);
    pool_ = &own_pool_;
  } else {
    pool_ = &e.unreserved_concurrency();
  }
  loop_seat_ = e.loop_seat(component_);
  invoked_asynchronously_ = !config_->async.on_failure.empty() || e.roles().invoked_asynchronously[component_];
  vcpus_ = std::min(kMaxVcpus, config_->memory_mb / kMbPerVcpu);
  timeout_ = SimTime::from_ns_rounded(config_->timeout_ns);
  memory_gb_ = config_->memory_mb / 1024.0;
  for (const auto& step : config_->steps)
    call_targets_.push_back(step.target.empty() ? 0 : e.component_index(step.target));
  // When every local step's amount is exponential, the steps' draws are taken one ahead (the
  // same numbers in the same order), so a step's end time does not wait for the log.
  bool local_steps = false;
  steps_exponential_ = true;
  for (const auto& step : config_->steps) {
    if (step.kind != Step::Kind::cpu && step.kind != Step::Kind::io) continue;
    local_steps = true;
    if (step.amount.kind != Distribution::Kind::exponential) steps_exponential_ = false;
  }
  steps_exponential_ = steps_exponential_ && local_steps;
  if (steps_exponential_) step_draws_ = kernel::ExponentialAhead(rng_steps_);
  // Partial batch responses (aws-facts §2.1, §4): a standard queue gets back only the failed
  // records; a FIFO queue or a stream is answered up to the first failure.
  if (config_->trigger && config_->trigger->report_batch_item_failures) {
    const ComponentSpec* source = e.model().find_component(config_->trigger->source);
    const auto* queue = std::get_if<SqsSpec>(&source->config);
    partial_batch_ = queue && !queue->fifo ? PartialBatch::skip_failed : PartialBatch::stop_at_failed;
  }
  const PriceTable& prices = e.model().account.prices;
  std::string arch = config_->architecture == LambdaSpec::Architecture::arm64 ? "arm64" : "x86_64";
  price_request_ = prices.at("lambda.request_per_million") / 1e6;
  price_duration_ = prices.at("lambda.duration_gb_s_" + arch);
  price_provisioned_ = prices.at("lambda.provisioned_gb_s_" + arch);
  price_provisioned_duration_ = prices.at("lambda.provisioned_duration_gb_s_" + arch);
  invocations_by_source.assign(e.model().sources.size(), 0);

  auto& ts = e.series();
  series_invocations_ = ts.add_series(spec.name, "Invocations", Kind::sum);
  series_errors_ = ts.add_series(spec.name, "Errors", Kind::sum);
  series_throttles_ = ts.add_series(spec.name, "Throttles", Kind::sum);
  series_cold_starts_ = ts.add_series(spec.name, "ColdStarts", Kind::sum);
  series_duration_ = ts.add_mean_series(spec.name, "Duration_mean_ms");
  series_billed_ = ts.add_series(spec.name, "BilledGBSeconds", Kind::sum);
  series_concurrency_ = ts.add_series(spec.name, "ConcurrentExecutions", Kind::time_mean);
  series_environments_ = ts.add_series(spec.name, "ExecutionEnvironments", Kind::time_mean);
  concurrent_executions = metrics::Gauge(&ts, series_concurrency_, e.warmup());
  execution_environments = metrics::Gauge(&ts, series_environments_, e.warmup());
  series_provisioned_ = ts.add_series(spec.name, "ProvisionedConcurrentExecutions", Kind::time_mean);
  series_duplicates_ = ts.add_series(spec.name, "Duplicates", Kind::sum);
  provisioned_concurrent_executions = metrics::Gauge(&ts, series_provisioned_, e.warmup());
}

void LambdaFunction::connect() {
  if (!config_->trigger) return;
  auto& e = *engine_;
  engine::Polled polled = e.polled(e.component_index(config_->trigger->source));
  engine::EventRoute route = route_.part(Event::trigger);
  if (auto* queue = std::get_if<SqsQueue*>(&polled))
    trigger_.emplace<SqsEventSourceMapping>(e, *spec_, route, component_, **queue);
  else if (auto* stream = std::get_if<KinesisStream*>(&polled))
    trigger_.emplace<KinesisEventSourceMapping>(e, *spec_, route, component_, **stream);
  else throw std::logic_error("a trigger on a component that cannot be polled");  // the loader forbids it
}

void LambdaFunction::start_polling() {
  with_trigger([](auto& mapping) { mapping.start(); });
}

void LambdaFunction::on_event(Event event, std::uint64_t payload) {
  kernel::Handle h = kernel::Handle::unpack(payload);
  switch (event) {
    case Event::init_done:
      on_init_done(h);
      break;
    case Event::steps_done:
      on_steps_done(h);
      break;
    case Event::timeout:
      on_timeout(h);
      break;
    case Event::environment_expire:
      on_environment_expire(payload);
      break;
    case Event::async_event:
      async_.on_ready(h);
      break;
    case Event::trigger:
      with_trigger([&](auto& mapping) { mapping.on_timer(payload); });
      break;
  }
}

void LambdaFunction::on_reply(const engine::Caller& caller, Failure outcome, std::uint32_t records_done,
                              engine::Handler handler) {
  switch (caller.kind) {
    case engine::Caller::Kind::call:
      on_callee_reply(caller.handle, outcome);
      break;
    case engine::Caller::Kind::async_event:
      async_.on_reply(caller.handle, outcome, handler);
      break;
    case engine::Caller::Kind::sqs_batch:
    case engine::Caller::Kind::kinesis_batch:
      on_batch_reply(caller.handle, outcome, records_done, handler);
      break;
    case engine::Caller::Kind::none:
      break;
  }
}

// The asynchronous queue and the stream mappings also hear whether the handler ran; the SQS
// mapping does not need to: a batch the service refused and a batch whose handler failed both
// come back after the visibility timeout, and both receives count toward maxReceiveCount
// (aws-facts §1.2, §2.1).
void LambdaFunction::on_batch_reply(kernel::Handle batch, Failure outcome, std::uint32_t records_done,
                                    engine::Handler handler) {
  if (auto* sqs = std::get_if<SqsEventSourceMapping>(&trigger_)) sqs->on_batch_reply(batch, outcome, records_done);
  else std::get<KinesisEventSourceMapping>(trigger_).on_batch_reply(batch, outcome, records_done, handler);
}

engine::Message& LambdaFunction::batch_record(kernel::Handle batch, std::uint32_t i) {
  if (auto* sqs = std::get_if<SqsEventSourceMapping>(&trigger_)) return sqs->record(batch, i);
  return std::get<KinesisEventSourceMapping>(trigger_).record(batch, i);
}

std::uint32_t LambdaFunction::batch_records(kernel::Handle batch) const {
  if (const auto* sqs = std::get_if<SqsEventSourceMapping>(&trigger_)) return sqs->records(batch);
  return std::get<KinesisEventSourceMapping>(trigger_).records(batch);
}

void LambdaFunction::start() {
  for (int i = 0; i < config_->provisioned_concurrency; ++i) {
    std::uint32_t env = environments_.create(true);
    environments_[env].needs_init = false;
    environments_.make_idle(env);
  }
  execution_environments.set(engine_->now(), static_cast<double>(environments_.alive()));
}

void LambdaFunction::throttle(const engine::Caller& caller) {
  auto& e = *engine_;
  if (e.measuring()) ++counts.throttles;
  e.series().add(series_throttles_, e.now(), 1);
  e.refuse(caller, Failure::throttled);
}

void LambdaFunction::receive(const engine::Caller& caller, const engine::Lineage& lineage) {
  auto& e = *engine_;
  // An outage: Lambda answers 5xx, the handler never runs.
  if (e.faults(component_).down()) return e.refuse(caller, Failure::dependency_failed);
  if (lineage.payload_bytes > kSyncPayloadLimitBytes) {  // refused before any environment is used
    if (e.measuring()) ++failed[static_cast<std::size_t>(Failure::rejected)];
    return e.reply(caller, Failure::rejected);
  }
  // Provisioned environments first; above them, spill-over to on-demand ones (aws-facts §1.2).
  // With reserved concurrency, provisioned environments count toward the reservation; without,
  // their concurrency is set aside from the account's unreserved pool when configured.
  std::int32_t env = -1;
  if (config_->reserved_concurrency || !environments_.has_idle(true)) {
    if (!pool_->try_acquire()) return throttle(caller);
  }
  bool provisioned = true;
  env = environments_.take_idle(true, config_->reuse, rng_reuse_);
  if (env < 0) {
    provisioned = false;
    env = environments_.take_idle(false, config_->reuse, rng_reuse_);
  }
  if (env < 0) {
    // A new environment, within the scaling rate of 1,000 per 10 s per function.
    if (!scaling_.try_take(e.now())) {
      pool_->release();
      return throttle(caller);
    }
    env = static_cast<std::int32_t>(environments_.create(false));
    execution_environments.set(e.now(), static_cast<double>(environments_.alive()));
  }
  bool batch = caller.kind == engine::Caller::Kind::sqs_batch || caller.kind == engine::Caller::Kind::kinesis_batch;
  kernel::Handle h = invocations_.emplace(caller, lineage, e.measuring(), static_cast<std::uint32_t>(env), provisioned,
                                          batch ? batch_records(caller.handle) : 1u);
  Invocation& inv = invocations_[h];
  concurrent_executions.add(e.now(), 1);
  if (provisioned) provisioned_concurrent_executions.add(e.now(), 1);
  if (inv.measured) {
    ++counts.invocations;
    ++invocations_by_source[lineage.source];
    if (!provisioned && config_->provisioned_concurrency > 0) ++counts.spillover_invocations;
  }
  e.series().add(series_invocations_, e.now(), 1);
  ExecutionEnvironment& environment = environments_[inv.environment];
  if (!environment.needs_init) {
    environment.state = ExecutionEnvironment::State::busy;
    return begin_execution(h);
  }
  environment.state = ExecutionEnvironment::State::initializing;
  inv.cold = true;
  inv.init_ns = std::min(kInitLimitNs, kernel::sample(config_->cold_start, rng_init_));
  if (e.measuring()) {
    ++counts.cold_starts;
    init_duration_ms.record(inv.init_ns / 1e6);
  }
  e.series().add(series_cold_starts_, e.now(), 1);
  e.schedule(e.now() + SimTime::from_ns_rounded(inv.init_ns), route_, Event::init_done, h.pack());
}

void LambdaFunction::on_init_done(kernel::Handle h) {
  if (!invocations_.alive(h)) return;
  ExecutionEnvironment& env = environments_[invocations_[h].environment];
  env.needs_init = false;
  env.state = ExecutionEnvironment::State::busy;
  begin_execution(h);
}

// The handler starts: its timeout runs from here; whether it will fail with an error or run out
// of memory is drawn now, and shows when its steps are done.
void LambdaFunction::begin_execution(kernel::Handle h) {
  auto& e = *engine_;
  Invocation& inv = invocations_[h];
  inv.started = e.now();
  inv.deadline = e.now() + timeout_;
  const engine::FaultState& fault = e.faults(component_);
  double error_rate = std::max(config_->error_rate, fault.error_rate);
  if (config_->memory_used_bytes &&
      kernel::sample(*config_->memory_used_bytes, rng_memory_) > config_->memory_mb * 1024.0 * 1024.0)
    inv.verdict = Failure::out_of_memory;
  else if (error_rate > 0 && rng_errors_.uniform01() < error_rate) inv.verdict = Failure::function_error;
  // In a batch the crash strikes while one of its records is being processed; the records
  // before it have had their effects (and will again if the batch is retried).
  if (inv.verdict != Failure::none && inv.records > 1)
    inv.fail_at_record = static_cast<std::uint32_t>(rng_errors_.uniform01() * inv.records);
  inv.extra_ns = fault.added_latency_ns;
  if (begin_record(h)) run_steps(h);
}

engine::Message* LambdaFunction::queued_message(const Invocation& inv) {
  switch (inv.caller.kind) {
    case engine::Caller::Kind::sqs_batch:
    case engine::Caller::Kind::kinesis_batch:
      return &batch_record(inv.caller.handle, inv.record);
    case engine::Caller::Kind::async_event:
      return &async_.message(inv.caller.handle);
    default:
      return nullptr;
  }
}

// Before a record's steps: a poison record, or one whose chain of requests has already invoked
// this function 16 times (aws-facts §1.5), fails. With partial batch responses the handler
// reports it and goes on (standard queue) or stops there (FIFO queue, stream); otherwise the
// invocation fails. A synchronous invocation stopped by the detection answers its caller with
// RecursiveInvocationException (rejected). Returns whether the steps should run.
bool LambdaFunction::begin_record(kernel::Handle h) {
  auto& e = *engine_;
  for (;;) {
    Invocation& inv = invocations_[h];
    engine::Message* m = record_message(inv);
    if (!m) {
      if (inv.lineage.loops.of(loop_seat_) < engine::LoopCounts::kMaxInvocations) return true;
      if (e.measuring()) ++counts.recursive_invocations_dropped;
      finish(h, Failure::rejected);
      return false;
    }
    // A record read from a stream carries no counts (the detection does not follow streams).
    if (m->lineage.loops.of(loop_seat_) >= engine::LoopCounts::kMaxInvocations && !m->poison) {
      m->poison = true;  // stopped every time it comes back
      if (e.measuring()) ++counts.recursive_invocations_dropped;
      if (inv.caller.kind == engine::Caller::Kind::async_event) {
        finish(h, Failure::rejected);
        return false;
      }
    }
    if (!m->poison) {
      inv.replay = m->wrote || m->processed > 0;
      return true;
    }
    if (partial_batch_ == PartialBatch::skip_failed) {
      if (++inv.record < inv.records) continue;
      finish(h, Failure::none);
      return false;
    }
    finish(h, partial_batch_ == PartialBatch::stop_at_failed ? Failure::none : Failure::function_error);
    return false;
  }
}

// A record's steps are done: it has been processed (a second time is a duplicate), unless the
// invocation's injected crash strikes here.
void LambdaFunction::end_record(kernel::Handle h) {
  auto& e = *engine_;
  Invocation& inv = invocations_[h];
  if (inv.verdict != Failure::none && inv.record == inv.fail_at_record) return finish(h, inv.verdict);
  if (engine::Message* m = record_message(inv)) {
    if (m->processed < 255) ++m->processed;
    if (m->processed > 1) {
      if (e.measuring()) ++counts.duplicates;
      e.series().add(series_duplicates_, e.now(), 1);
    }
  }
  if (e.measuring()) ++counts.records_processed;
  if (++inv.record == inv.records) return finish(h, Failure::none);
  inv.step = 0;
  if (begin_record(h)) run_steps(h);
}

// Runs local steps (cpu, io) up to the next call or the record's end, as one event.
void LambdaFunction::run_steps(kernel::Handle h) {
  auto& e = *engine_;
  Invocation& inv = invocations_[h];
  const auto& steps = config_->steps;
  double local_ns = inv.extra_ns;
  inv.extra_ns = 0;
  while (inv.step < steps.size() &&
         (steps[inv.step].kind == Step::Kind::cpu || steps[inv.step].kind == Step::Kind::io)) {
    const Step& s = steps[inv.step++];
    double amount =
        steps_exponential_ ? step_draws_.draw(s.amount.a, rng_steps_) : kernel::sample(s.amount, rng_steps_);
    local_ns += s.kind == Step::Kind::cpu ? amount / std::min(vcpus_, s.threads) : amount;
  }
  SimTime done = e.now() + SimTime::from_ns_rounded(local_ns);
  if (done > inv.deadline) {
    e.schedule(inv.deadline, route_, Event::timeout, h.pack());
    return;
  }
  if (local_ns > 0) {
    e.schedule(done, route_, Event::steps_done, h.pack());
    return;
  }
  if (inv.step == steps.size()) return end_record(h);
  // A call: the environment waits (and bills) until the callee answers or the function's own
  // timeout cuts it off.
  if (!inv.deadline_scheduled) {
    inv.deadline_scheduled = true;
    e.schedule(inv.deadline, route_, Event::timeout, h.pack());
  }
  std::uint32_t target = call_targets_[inv.step];
  call_step(h, steps[inv.step++], target);
}

void LambdaFunction::call_step(kernel::Handle h, const Step& step, std::uint32_t target) {
  auto& e = *engine_;
  const Invocation& inv = invocations_[h];
  engine::Caller self{engine::Caller::Kind::call, route_.owner(), index_, h};
  engine::Lineage lineage = record_lineage(inv);
  // This invocation counts in the chain of everything it calls and sends (if it is on a loop).
  lineage.loops.count(loop_seat_);
  if (step.kind == Step::Kind::invoke) return e.call(target, self, lineage);
  if (is_table_step(step.kind)) {
    auto op =
        static_cast<engine::TableRequest::Operation>(static_cast<int>(step.kind) - static_cast<int>(Step::Kind::read));
    engine::TableRequest request = table_request(op, static_cast<std::uint32_t>(step.items),
                                                 kernel::sample(step.item_size, rng_sizes_), step.consistent);
    // A record written by an earlier attempt (its batch or event is being retried) writes its
    // items again: duplicate writes.
    request.replay = inv.replay;
    return e.call_table(target, self, lineage, request);
  }
  // A message sent on, with its own size if the step sets one.
  if (step.size) lineage.payload_bytes = kernel::sample(*step.size, rng_sizes_);
  if (step.kind == Step::Kind::invoke_async) return e.call_async(target, self, lineage);
  e.call(target, self, lineage);
}

void LambdaFunction::on_steps_done(kernel::Handle h) {
  if (!invocations_.alive(h)) return;
  // The record's last steps are done (the common case): what run_steps would do with no local
  // step left and nothing added (extra_ns is paid with the first steps), without its setup.
  Invocation& inv = invocations_[h];
  if (inv.step == config_->steps.size() && inv.extra_ns == 0) {
    if (engine_->now() > inv.deadline) engine_->schedule(inv.deadline, route_, Event::timeout, h.pack());
    else end_record(h);
    return;
  }
  run_steps(h);
}

void LambdaFunction::on_timeout(kernel::Handle h) {
  if (invocations_.alive(h)) finish(h, Failure::timeout);
}

void LambdaFunction::on_callee_reply(kernel::Handle h, Failure outcome) {
  if (!invocations_.alive(h)) return;  // timed out while waiting: the reply has no one to go to
  if (outcome != Failure::none) return finish(h, Failure::dependency_failed);
  const Step& done = config_->steps[invocations_[h].step - 1];
  if (done.kind == Step::Kind::write || done.kind == Step::Kind::transact_write)
    if (engine::Message* m = record_message(invocations_[h])) m->wrote = true;
  run_steps(h);
}

void LambdaFunction::finish(kernel::Handle h, Failure outcome) {
  auto& e = *engine_;
  // Read in place (no copy of the record); released before the reply, which may invoke again.
  const Invocation& inv = invocations_[h];
  bool batch =
      inv.caller.kind == engine::Caller::Kind::sqs_batch || inv.caller.kind == engine::Caller::Kind::kinesis_batch;
  const std::int64_t run = (e.now() - inv.started).ns;
  double run_ns = static_cast<double>(run);
  // Billed: the handler's duration plus an on-demand cold start's init (billed since 2025-08-01,
  // aws-facts §1.1), rounded up to 1 ms once, as REPORT lines show, times the memory.
  double billed = inv.cold && !inv.on_provisioned ? billed_ms(run_ns + inv.init_ns) : kernel::exact_ceil_ms(run);
  double gb_s = billed / 1000 * memory_gb_;
  double usd_duration = gb_s * (inv.on_provisioned ? price_provisioned_duration_ : price_duration_);
  double usd = usd_duration + price_request_;
  if (inv.measured) {
    counts.billed_gb_seconds += gb_s;
    (inv.on_provisioned ? cost_provisioned_duration_usd : cost_duration_usd) += usd_duration;
    cost_requests_usd += price_request_;
    duration_ms.record(run_ns / 1e6);
    if (outcome != Failure::none) {  // a failed call the handler makes fails the handler: an Error too
      ++failed[static_cast<std::size_t>(outcome)];
      ++counts.errors;
    }
  }
  // A batch's cost is shared by the sources of its records.
  if (inv.measured && batch)
    for (std::uint32_t i = 0; i < inv.records; ++i)
      e.charge(batch_record(inv.caller.handle, i).lineage.source, usd / inv.records);
  else if (inv.measured) e.charge(record_lineage(inv).source, usd);
  e.series().add(series_billed_, e.now(), gb_s);
  e.series().add_sample(series_duration_, e.now(), run_ns / 1e6);
  if (outcome != Failure::none) e.series().add(series_errors_, e.now(), 1);

  // A timeout or a crash resets the environment: the next request there initialises again.
  ExecutionEnvironment& env = environments_[inv.environment];
  if (outcome == Failure::timeout || outcome == Failure::out_of_memory) env.needs_init = true;
  environments_.make_idle(inv.environment);
  if (!env.provisioned)
    arm_expiry(inv.environment,
               e.now() + SimTime::from_ns_rounded(kernel::sample(config_->keep_alive, rng_keep_alive_)));
  if (config_->reserved_concurrency || !inv.on_provisioned) pool_->release();
  concurrent_executions.add(e.now(), -1);
  if (inv.on_provisioned) provisioned_concurrent_executions.add(e.now(), -1);
  const engine::Caller caller = inv.caller;
  const std::uint32_t records_done = inv.record;
  invocations_.release(h);
  e.reply(caller, outcome, records_done);
}

void LambdaFunction::deploy() { environments_.require_init_on_demand(); }

// An idle environment expires at the end of its keep-alive. Scheduling a timer per finished
// invocation would keep about rate x keep-alive timers pending (memory and time growing with the
// traffic); instead an environment has at most one, and a timer that fires before the current
// idle period's end is re-armed to it. The expiry keeps the place in the order of events it had
// when it was drawn (a reserved ticket), so events at the same time run in the same order as if
// every expiry had been scheduled: results are the same, only the number of events is smaller.
void LambdaFunction::arm_expiry(std::uint32_t env, SimTime expiry) {
  auto& e = *engine_;
  ExecutionEnvironment& environment = environments_[env];
  if (environment.has_ticket) {  // an earlier idle period's expiry, not reached
    e.cancel_order(environment.ticket);
    environment.has_ticket = false;
  }
  environment.expires = expiry;
  if (expiry >= e.end()) {  // after the run: never scheduled (and takes no place in the order)
    environment.timer_final = false;
    return;
  }
  if (environment.timer_pending && environment.timer_at <= expiry) {
    environment.ticket = e.reserve_order();
    environment.has_ticket = true;
    environment.timer_final = false;
    return;
  }
  // No timer pending, or one later than this expiry (a shorter keep-alive drawn): a new one; the
  // later one is superseded and ignored when it fires.
  schedule_expiry(env, expiry, nullptr);
}

void LambdaFunction::schedule_expiry(std::uint32_t env, SimTime at, const kernel::EventCalendar::Ticket* ticket) {
  ExecutionEnvironment& environment = environments_[env];
  ++environment.timer;
  environment.timer_pending = true;
  environment.timer_final = true;
  environment.timer_at = at;
  std::uint64_t payload = (std::uint64_t{environment.timer} << 32) | env;
  if (ticket) engine_->schedule_reserved(at, *ticket, route_, Event::environment_expire, payload);
  else engine_->schedule(at, route_, Event::environment_expire, payload);
}

void LambdaFunction::on_environment_expire(std::uint64_t payload) {
  auto env = static_cast<std::uint32_t>(payload & 0xffffffffu);
  auto timer = static_cast<std::uint32_t>(payload >> 32);
  ExecutionEnvironment& environment = environments_[env];
  if (environment.timer != timer) return;  // superseded by an earlier expiry
  environment.timer_pending = false;
  if (environment.state != ExecutionEnvironment::State::idle) {  // busy again: its next finish arms anew
    if (environment.has_ticket) engine_->cancel_order(environment.ticket);
    environment.has_ticket = false;
    return;
  }
  if (environment.timer_final) {
    environments_.destroy(env);
    execution_environments.set(engine_->now(), static_cast<double>(environments_.alive()));
    return;
  }
  if (!environment.has_ticket) return;  // this idle period ends after the run
  environment.has_ticket = false;
  schedule_expiry(env, environment.expires, &environment.ticket);
}

void LambdaFunction::finish_run() {
  auto& e = *engine_;
  with_trigger([](auto& mapping) { mapping.finish_run(); });
  concurrent_executions.finish(e.end());
  provisioned_concurrent_executions.finish(e.end());
  execution_environments.finish(e.end());
  async_.finish_run(e.end());
  // Provisioned concurrency is billed while configured, rounded up to 5 minutes (aws-facts §1.1).
  double measured_s = (e.end() - e.warmup()).to_seconds();
  double billed_s = std::ceil(measured_s / kProvisionedRoundingS) * kProvisionedRoundingS;
  cost_provisioned_usd = config_->provisioned_concurrency * memory_gb_ * billed_s * price_provisioned_;
  // A standing cost: shared among the sources by their invocations.
  e.charge_shared(cost_provisioned_usd, invocations_by_source);
}

summary::Lambda LambdaFunction::summary() const {
  summary::Lambda s;
  s.memory_mb = config().memory_mb;
  s.vcpus = vcpus();
  summary::LambdaMetrics& m = s.metrics;
  static_cast<summary::LambdaCounts&>(m) = counts;
  m.duration_ms = metrics::latency(duration_ms);
  m.init_duration_ms = metrics::latency(init_duration_ms, metrics::Percentiles::short_form);
  m.concurrent_executions = metrics::mean_max(concurrent_executions);
  m.provisioned_concurrent_executions = metrics::mean_max(provisioned_concurrent_executions);
  // CloudWatch's ProvisionedConcurrencyUtilization: busy provisioned environments / configured.
  int pc = config().provisioned_concurrency;
  m.provisioned_concurrency_utilization = {pc ? provisioned_concurrent_executions.mean() / pc : 0.0,
                                           pc ? provisioned_concurrent_executions.max() / pc : 0.0};
  m.execution_environments = metrics::mean_max(execution_environments);
  const AsyncInvocationQueue& q = async_queue();
  if (q.received > 0 || invoked_asynchronously_)
    m.async = summary::AsyncQueue{q.received,
                                  q.dropped,
                                  q.retries,
                                  metrics::latency(q.event_age_ms, metrics::Percentiles::short_form),
                                  metrics::mean_max(q.queued),
                                  q.destination_deliveries};
  s.failed = metrics::failed(
      failed, {Failure::throttled, Failure::rejected, Failure::timeout, Failure::out_of_memory, Failure::function_error,
               Failure::dependency_failed, Failure::expired, Failure::dead_lettered});
  if (const auto* sqs = std::get_if<SqsEventSourceMapping>(&trigger_))
    s.trigger = summary::Trigger{sqs->summary(), config().trigger->source};
  if (const auto* kinesis = std::get_if<KinesisEventSourceMapping>(&trigger_))
    s.trigger = summary::Trigger{kinesis->summary(), config().trigger->source};
  s.cost_usd = {{{"requests", cost_requests_usd},
                 {"duration", cost_duration_usd},
                 {"provisioned_duration", cost_provisioned_duration_usd},
                 {"provisioned", cost_provisioned_usd}},
                cost_total_usd()};
  return s;
}

}  // namespace sluice::components
