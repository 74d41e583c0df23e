// A kinesis component's reader: what the stream says about itself (aws-facts §4).
#include <fmt/format.h>

#include "model/readers.hpp"
#include "model/spec_input.hpp"
#include "sluice/units.hpp"

namespace sluice {
namespace model {
namespace {

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

}  // namespace
}  // namespace model

KinesisSpec KinesisSpec::read(const model::SpecInput& in) { return model::read_kinesis(in.ctx, in.node, in.path); }

std::vector<ComponentLink> KinesisSpec::links() const { return {}; }

std::string KinesisSpec::unpolled_warning() const {
  return fmt::format(
      "nothing consumes this stream (no function has a trigger on it): its records expire "
      "after its retention of {}",
      units::format_duration_ns(retention_ns));
}

}  // namespace sluice
