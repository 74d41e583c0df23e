// An sns component's reader: the topic and its subscriptions (aws-facts §3). The subscribers are
// resolved with the other names (references.cpp, links()) and checked (messaging_checks.cpp).
#include <fmt/format.h>

#include "model/readers.hpp"
#include "model/spec_input.hpp"

namespace sluice {
namespace model {
namespace {

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

}  // namespace
}  // namespace model

SnsSpec SnsSpec::read(const model::SpecInput& in) { return model::read_sns(in.ctx, in.node, in.path); }

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

}  // namespace sluice
