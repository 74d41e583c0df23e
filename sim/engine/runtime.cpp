#include "engine/runtime.hpp"

#include <stdexcept>

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
}  // namespace

Runtime::Runtime(const ModelSpec& model, const RunOptions& options)
    : model_(model),
      options_(options),
      roles_(model::component_roles(model)),
      warmup_(SimTime::from_ns_rounded(model.run.warmup_ns)),
      end_(SimTime::from_ns_rounded(options.duration_ns.value_or(model.run.duration_ns))),
      series_(warmup_, end_, SimTime::from_ns_rounded(model.run.bucket_ns), model.run.budget.max_memory_bytes),
      unreserved_(unreserved_limit(model)),
      api_account_throttle_(model.account.api_throttle_rate_per_s, model.account.api_throttle_burst),
      // A bucket holding one second of the quota.
      sns_publish_quota_(model.account.sns_publish_rate_per_s, model.account.sns_publish_rate_per_s) {}

std::uint32_t Runtime::component_index(const std::string& name) const {
  // Through the model's name index: every component looks itself up while the engine is built.
  const ComponentSpec* c = model_.find_component(name);
  if (!c) throw std::logic_error("unresolved component " + name);  // the loader resolves every name first
  return static_cast<std::uint32_t>(c - model_.components.data());
}

kernel::RandomStream Runtime::stream(const std::string& component, const std::string& purpose) const {
  return kernel::RandomStream(options_.seed.value_or(model_.run.seed), component, purpose);
}

void Runtime::reply_after(kernel::SimTime delay, const Caller& caller, Failure outcome) {
  // An answer due after the end of the run never arrives: its caller is still waiting then.
  if (caller.kind == Caller::Kind::none || now_ + delay >= end_) return;
  kernel::Handle h = pending_replies_.allocate();
  pending_replies_[h] = PendingReply{caller, outcome};
  schedule(now_ + delay, EngineEvent::deferred_reply, 0, h.pack());
}

Message Runtime::new_message(const Lineage& lineage, std::uint32_t component) {
  Message m;
  m.lineage = lineage;
  m.created = now_;
  m.measured = measuring();
  FaultState& f = faults_[component];
  if (f.poison_pending > 0) {
    --f.poison_pending;
    m.poison = true;
  }
  ++ledger_.created;
  if (requests_.alive(lineage.request)) ++requests_[lineage.request].outstanding;
  else m.attached = false;
  return m;
}

void Runtime::end_message(const Message& m, Failure outcome) {
  ++(outcome == Failure::none ? ledger_.completed : ledger_.failed);
  if (m.attached) request_descendant_ended(m.lineage.request, outcome);
}

void Runtime::detach(Message& m) {
  if (!m.attached) return;
  m.attached = false;
  request_descendant_ended(m.lineage.request, Failure::none);
}

}  // namespace sluice::engine
