// Readers for the messaging components: sqs (queues), sns (topics) and kinesis (streams). Each
// reads what the component says about itself; the components it names (a dead-letter queue, a
// topic's subscribers) are checked once every component is known (references.cpp,
// messaging_checks.cpp).
#include <fmt/format.h>

#include "kernel/sampling.hpp"
#include "model/readers.hpp"
#include "sluice/units.hpp"

namespace sluice::model {

Distribution lognormal_median_p99(double median, double p99) {
  auto p = kernel::lognormal_from_median_p99(median, p99);
  return Distribution{Distribution::Kind::lognormal, p.mu, p.sigma, {}};
}

SqsSpec read_sqs(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  MapReader m(
      ctx, node, path,
      {"type", "fifo", "high_throughput", "visibility_timeout", "retention", "delay", "dead_letter", "latency"});
  SqsSpec q;
  q.fifo = m.boolean_or("fifo", false);
  // High-throughput mode is a FIFO setting (aws-facts §2.2 S-Q1); standard queues need none.
  q.high_throughput = m.boolean_or("high_throughput", false);
  if (q.high_throughput && !q.fifo)
    m.fail("high_throughput",
           "high-throughput mode applies to FIFO queues only (set fifo: true): a standard queue's throughput is "
           "already nearly unlimited (aws-facts §2.2)");
  // Visibility timeout: default 30 s, 0 s .. 12 h (aws-facts §2.2 S-Q1b).
  q.visibility_timeout_ns = m.quantity_or("visibility_timeout", Quantity::duration, 30e9);
  m.check_range("visibility_timeout", q.visibility_timeout_ns, 0, 12 * 3600e9, show_duration);
  // Retention: default 4 days, 60 s .. 14 days (aws-facts §2.2 S-Q1).
  q.retention_ns = m.quantity_or("retention", Quantity::duration, 4 * 86400e9);
  m.check_range("retention", q.retention_ns, 60e9, 14 * 86400e9, show_duration);
  // Delay queue: 0 .. 15 min (aws-facts §2.2 S-Q1); default 0 as in SQS's CreateQueue.
  q.delay_ns = m.quantity_or("delay", Quantity::duration, 0);
  m.check_range("delay", q.delay_ns, 0, 15 * 60e9, show_duration);
  if (m.has("dead_letter")) {
    MapReader d(ctx, m.at("dead_letter"), m.path_of("dead_letter"), {"target", "max_receive_count"});
    q.dead_letter_target = d.string("target");
    // SQS's redrive policy: maxReceiveCount 1 .. 1,000 (the SQS API's range; AWS advises >= 5
    // for a Lambda-consumed queue, aws-facts §2.1 S-L19o: a warning, see messaging_checks.cpp).
    q.max_receive_count = static_cast<int>(d.integer("max_receive_count", 1, 1000));
  }
  // The SendMessage call: lognormal, median 5 ms, p99 25 ms (assumption, docs/assumptions.md).
  q.latency = m.distribution_or("latency", Quantity::duration, lognormal_median_p99(5e6, 25e6));
  return q;
}

SnsSpec read_sns(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  MapReader m(ctx, node, path, {"type", "fifo", "subscribers", "latency", "delivery_latency"});
  if (m.boolean_or("fifo", false))
    m.fail("fifo", "FIFO topics are not simulated in this version; use a standard topic (leave fifo out)");
  SnsSpec t;
  YAML::Node subscribers = m.at("subscribers");
  if (!subscribers.IsSequence() || subscribers.size() == 0)
    m.fail("subscribers",
           "expected a non-empty list of subscribers like [{target: some-queue}, {target: some-function, filter: "
           "30%}], got " +
               (subscribers.IsSequence() ? std::string("an empty list") : describe_kind(subscribers)));
  for (std::size_t i = 0; i < subscribers.size(); ++i) {
    std::string sub_path = fmt::format("{}.subscribers.{}", m.path(), i);
    YAML::Node sub = subscribers[i];
    if (!sub.IsMap())
      ctx.fail(
          sub, sub_path,
          "a subscriber is a mapping like {target: some-queue} or {target: f, filter: 30%}, got " + describe_kind(sub));
    MapReader s(ctx, sub, sub_path, {"target", "filter"});
    SnsSubscription subscription;
    subscription.target = s.string("target");
    subscription.where = ctx.locate(sub, sub_path);
    // The share of messages the subscription's filter policy lets through; default: all.
    subscription.filter = s.quantity_or("filter", Quantity::fraction, 1.0);
    t.subscribers.push_back(subscription);
  }
  // The Publish call: lognormal, median 10 ms, p99 40 ms (assumption, docs/assumptions.md).
  t.latency = m.distribution_or("latency", Quantity::duration, lognormal_median_p99(10e6, 40e6));
  // Publish to delivery at a subscriber: lognormal, median 30 ms, p99 200 ms (assumption).
  t.delivery_latency = m.distribution_or("delivery_latency", Quantity::duration, lognormal_median_p99(30e6, 200e6));
  return t;
}

KinesisSpec read_kinesis(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  MapReader m(ctx, node, path, {"type", "mode", "shards", "retention", "producer_retries", "latency"});
  KinesisSpec k;
  k.mode = m.choice_or("mode", {"provisioned", "on_demand"}, "provisioned") == "on_demand"
               ? KinesisSpec::Mode::on_demand
               : KinesisSpec::Mode::provisioned;
  if (k.mode == KinesisSpec::Mode::provisioned) {
    // Shards: up to 20,000 per account in the largest Regions (aws-facts §4 S-K1).
    if (!m.has("shards"))
      ctx.fail(node, m.path_of("shards"),
               "a provisioned stream needs shards: (1..20000); or write mode: on_demand to let AWS scale it");
    k.shards = static_cast<int>(m.integer("shards", 1, 20000));
  } else if (m.has("shards")) {
    m.fail("shards",
           "an on-demand stream has no shard count to set: AWS scales it (aws-facts §4); leave shards out or use "
           "mode: provisioned");
  }
  // Retention: default 24 h, up to 8,760 h (365 days) (aws-facts §4 S-K1, S-K1d).
  k.retention_ns = m.quantity_or("retention", Quantity::duration, 24 * 3600e9);
  m.check_range("retention", k.retention_ns, 24 * 3600e9, 8760 * 3600e9, show_duration);
  // The producer's SDK retries of a throttled PutRecord: AWS SDK standard mode, 3 attempts in
  // all, base 100 ms, cap 20 s, full jitter (aws-facts §5 S-R1, S-R2).
  RetryPolicy standard;
  standard.max_attempts = 3;
  standard.base_ns = 100e6;
  standard.cap_ns = 20e9;
  standard.jitter = RetryPolicy::Jitter::full;
  k.producer_retries = m.has("producer_retries")
                           ? read_retry_policy(ctx, m.at("producer_retries"), m.path_of("producer_retries"), standard)
                           : standard;
  // The PutRecord call: lognormal, median 10 ms, p99 50 ms (assumption, docs/assumptions.md).
  k.latency = m.distribution_or("latency", Quantity::duration, lognormal_median_p99(10e6, 50e6));
  return k;
}

}  // namespace sluice::model

namespace sluice {

std::vector<ComponentLink> SqsSpec::links() const {
  if (dead_letter_target.empty()) return {};
  return {{.kind = link_kind::dead_letter,
           .name = dead_letter_target,
           .key = "dead_letter.target",
           .types = {"sqs"},
           .what = "a dead-letter queue",
           .not_itself = "a queue cannot be its own dead-letter queue"}};
}

std::string SqsSpec::unpolled_warning() const {
  return fmt::format(
      "nothing consumes this queue (no function has a trigger on it): its messages wait until "
      "its retention of {} deletes them",
      units::format_duration_ns(retention_ns));
}

std::vector<ComponentLink> SnsSpec::links() const {
  std::vector<ComponentLink> out;
  for (std::size_t i = 0; i < subscribers.size(); ++i)
    out.push_back({.kind = link_kind::subscription,
                   .name = subscribers[i].target,
                   .key = fmt::format("subscribers.{}.target", i),
                   .types = {"sqs", "lambda"},
                   .what = "a topic's subscriber"});
  return out;
}

std::string SnsSpec::unpolled_warning() const { return ""; }

std::vector<ComponentLink> KinesisSpec::links() const { return {}; }

std::string KinesisSpec::unpolled_warning() const {
  return fmt::format(
      "nothing consumes this stream (no function has a trigger on it): its records expire "
      "after its retention of {}",
      units::format_duration_ns(retention_ns));
}

}  // namespace sluice
