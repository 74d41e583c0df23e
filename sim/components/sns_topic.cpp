#include "components/sns_topic.hpp"

#include <algorithm>
#include <cmath>

#include "engine/runtime.hpp"
#include "kernel/sampling.hpp"
#include "metrics/summary_figures.hpp"

namespace sluice::components {

using kernel::SimTime;
using sluice::Failure;
using Kind = metrics::TimeSeriesRecorder::Kind;

namespace {
constexpr double kChunkBytes = 64 * 1024;  // publishes billed per 64 KB chunk
// The AWS-managed delivery policy for Lambda and SQS endpoints (aws-facts §3): 3 immediate
// retries, 2 one second apart, 10 backing off from 1 s to 20 s, then 100,000 at 20 s.
constexpr std::uint32_t kImmediate = 3, kPrebackoff = 2, kBackoff = 10, kPostbackoff = 100000;
constexpr std::uint32_t kMaxAttempts = 1 + kImmediate + kPrebackoff + kBackoff + kPostbackoff;  // 100,016 tries
}  // namespace

SnsTopic::SnsTopic(engine::Runtime& e, const ComponentSpec& spec, engine::EventRoute route)
    : engine_(&e),
      spec_(&spec),
      config_(&std::get<SnsSpec>(spec.config)),
      route_(route),
      index_(route.target),
      component_(e.component_index(spec.name)),
      rng_latency_(e.stream(spec.name, "latency")),
      rng_filter_(e.stream(spec.name, "filter")),
      rng_retry_(e.stream(spec.name, "delivery_retries")),
      price_publish_(e.model().account.prices.at("sns.publish_per_million") / 1e6) {
  for (const auto& s : config_->subscribers) targets_.push_back(e.component_index(s.target));
  auto& ts = e.series();
  series_published_ = ts.add_series(spec.name, "NumberOfMessagesPublished", Kind::sum);
  series_delivered_ = ts.add_series(spec.name, "NumberOfNotificationsDelivered", Kind::sum);
}

void SnsTopic::receive(const engine::Caller& caller, const engine::Lineage& lineage) {
  auto& e = *engine_;
  const engine::FaultState& fault = e.faults(component_);
  SimTime latency = SimTime::from_ns_rounded(kernel::sample(config_->latency, rng_latency_) + fault.added_latency_ns);
  if (fault.down()) return e.reply_after(latency, caller, Failure::dependency_failed);
  // The Publish quota is the account's in the Region, shared by every topic (aws-facts §3:
  // 30,000 messages/s in us-east-1 by default, unverified; account.sns_publish_rate).
  if (!e.sns_publish_quota().try_take(e.now())) {
    if (e.measuring()) ++throttled;
    return e.reply_after(latency, caller, Failure::throttled);
  }
  double usd = std::max(1.0, std::ceil(lineage.payload_bytes / kChunkBytes)) * price_publish_;
  if (e.measuring()) {
    ++published;
    cost_publish_usd += usd;
  }
  e.charge(lineage.source, usd);
  e.series().add(series_published_, e.now(), 1);
  engine::FaultState& state = e.faults(component_);
  bool poison = state.poison_pending > 0;
  if (poison) --state.poison_pending;
  fan_out(lineage, poison, true);
  e.reply_after(latency, caller, Failure::none);
}

// An on-failure record sent to the topic: published to its subscribers; the record has arrived.
bool SnsTopic::accept(const engine::Message& m) {
  auto& e = *engine_;
  if (e.faults(component_).down()) return false;
  e.end_message(m, Failure::none);
  engine::Lineage lineage = m.lineage;
  if (!m.attached) lineage.request = kernel::Handle{};
  if (e.measuring()) ++published;
  fan_out(lineage, m.poison, m.attached);
  return true;
}

// One delivery per subscriber whose filter passes, each a unit of work from here on.
void SnsTopic::fan_out(const engine::Lineage& lineage, bool poison, bool attached) {
  auto& e = *engine_;
  for (std::uint32_t s = 0; s < targets_.size(); ++s) {
    double filter = config_->subscribers[s].filter;
    if (filter < 1 && rng_filter_.uniform01() >= filter) {
      if (e.measuring()) ++filtered_out;
      continue;
    }
    engine::Lineage l = lineage;
    if (!attached) l.request = kernel::Handle{};
    kernel::Handle h = deliveries_.allocate();
    Delivery& d = deliveries_[h];
    d.message = e.new_message(l, targets_[s]);
    d.message.poison = d.message.poison || poison;
    d.subscriber = s;
    double delay = kernel::sample(config_->delivery_latency, rng_latency_) + e.faults(component_).added_latency_ns;
    e.schedule(e.now() + SimTime::from_ns_rounded(delay), route_, Event::deliver, h.pack());
  }
}

void SnsTopic::on_deliver(kernel::Handle h) {
  auto& e = *engine_;
  Delivery& d = deliveries_[h];
  ++d.attempt;
  if (e.hand_over(targets_[d.subscriber], d.message)) {
    if (e.measuring()) ++deliveries;
    e.series().add(series_delivered_, e.now(), 1);
    deliveries_.release(h);
    return;
  }
  if (e.measuring()) ++delivery_failures;
  if (d.attempt >= kMaxAttempts) {  // the policy is exhausted: the message is discarded
    e.end_message(d.message, Failure::expired);
    deliveries_.release(h);
    return;
  }
  e.schedule(e.now() + SimTime::from_ns_rounded(retry_delay_ns(d.attempt)), route_, Event::deliver, h.pack());
}

// The delay before the retry that follows `attempt` failed tries, jittered by up to 10%.
double SnsTopic::retry_delay_ns(std::uint32_t attempt) {
  double s;
  std::uint32_t retry = attempt;  // 1-based number of the retry about to be scheduled
  if (retry <= kImmediate) s = 0;
  else if (retry <= kImmediate + kPrebackoff) s = 1;
  else if (retry <= kImmediate + kPrebackoff + kBackoff) {
    double k = static_cast<double>(retry - kImmediate - kPrebackoff - 1) / (kBackoff - 1);  // 0 .. 1
    s = std::pow(20.0, k);                                                                  // 1 s to 20 s, geometric
  } else {
    s = 20;
  }
  return s * 1e9 * (0.9 + 0.1 * rng_retry_.uniform01());
}

summary::Sns SnsTopic::summary() const {
  summary::Sns s;
  s.subscribers = config_->subscribers.size();
  s.metrics = {published, deliveries, delivery_failures, filtered_out, throttled};
  s.cost_usd = {{{"publish", cost_publish_usd}}, cost_publish_usd};
  return s;
}

}  // namespace sluice::components
