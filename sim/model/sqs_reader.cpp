// An sqs component's reader: what the queue says about itself (aws-facts §2.2). Its dead-letter
// queue is resolved with the other names (references.cpp, links()) and checked against it
// (messaging_checks.cpp).
#include <fmt/format.h>

#include "model/readers.hpp"
#include "model/spec_input.hpp"
#include "sluice/units.hpp"

namespace sluice {
namespace model {
namespace {

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

}  // namespace
}  // namespace model

SqsSpec SqsSpec::read(const model::SpecInput& in) { return model::read_sqs(in.ctx, in.node, in.path); }

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

}  // namespace sluice
