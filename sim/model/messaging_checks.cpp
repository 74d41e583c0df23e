// Rules that join two messaging components, checked once every name resolves
// (references.cpp): FIFO queues and their dead-letter queues, FIFO queues behind a standard
// topic or as a destination. Then the settings AWS advises against, as warnings.
#include <map>

#include <fmt/format.h>

#include "model/named_nodes.hpp"
#include "model/readers.hpp"

namespace sluice::model {
namespace {

const SqsSpec* queue(const ModelSpec& m, const std::string& name) {
  const ComponentSpec* c = m.find_component(name);
  return c ? std::get_if<SqsSpec>(&c->config) : nullptr;
}

// FIFO queues are not supported as destinations (aws-facts §1.4 S-L5c).
void check_destination(const LoadContext& ctx, const ModelSpec& m, const YAML::Node& at, const std::string& path,
                       const std::string& name) {
  if (const SqsSpec* q = queue(m, name); q && q->fifo)
    ctx.fail(at, path,
             fmt::format("'{}' is a FIFO queue, and FIFO queues are not supported as on-failure destinations "
                         "(aws-facts §1.4): use a standard queue",
                         name));
}

void check_rules(const LoadContext& ctx, const YAML::Node& root, const ModelSpec& m) {
  const NamedNodes components(root["components"]);
  for (const auto& c : m.components) {
    YAML::Node node = components[c.name];
    std::string path = "components." + c.name;
    if (const auto* q = std::get_if<SqsSpec>(&c.config); q && !q->dead_letter_target.empty()) {
      // A FIFO queue's dead-letter queue must be FIFO, a standard queue's standard (an SQS rule).
      const SqsSpec* dlq = queue(m, q->dead_letter_target);
      if (dlq && dlq->fifo != q->fifo)
        ctx.fail(node["dead_letter"]["target"], path + ".dead_letter.target",
                 q->fifo ? fmt::format("the dead-letter queue of a FIFO queue must be a FIFO queue too; '{}' is a "
                                       "standard queue",
                                       q->dead_letter_target)
                         : fmt::format("the dead-letter queue of a standard queue must be a standard queue; '{}' is "
                                       "a FIFO queue",
                                       q->dead_letter_target));
    }
    if (const auto* t = std::get_if<SnsSpec>(&c.config)) {
      std::map<std::string, std::size_t> seen;
      for (std::size_t i = 0; i < t->subscribers.size(); ++i) {
        const auto& s = t->subscribers[i];
        YAML::Node at = node["subscribers"][i]["target"];
        std::string at_path = fmt::format("{}.subscribers.{}.target", path, i);
        if (auto [first, fresh] = seen.emplace(s.target, i); !fresh)
          ctx.fail(at, at_path,
                   fmt::format("'{}' is subscribed to this topic twice (also as subscriber {}): AWS keeps one "
                               "subscription per endpoint",
                               s.target, first->second));
        // Only a FIFO topic can deliver to a FIFO queue (an SNS rule).
        if (const SqsSpec* q = queue(m, s.target); q && q->fifo)
          ctx.fail(at, at_path,
                   fmt::format("'{}' is a FIFO queue: only a FIFO topic can deliver to it, and FIFO topics are not "
                               "simulated in this version; subscribe a standard queue",
                               s.target));
      }
    }
    if (const auto* f = std::get_if<LambdaSpec>(&c.config)) {
      if (!f->async.on_failure.empty())
        check_destination(ctx, m, node["async"]["on_failure"], path + ".async.on_failure", f->async.on_failure);
      if (f->trigger && !f->trigger->on_failure.empty())
        check_destination(ctx, m, node["trigger"]["on_failure"], path + ".trigger.on_failure", f->trigger->on_failure);
    }
  }
}

void add_warnings(const LoadContext& ctx, const YAML::Node& root, ModelSpec& m) {
  std::map<std::string, std::vector<std::string>> consumers;  // SQS queue -> the functions it triggers
  for (const auto& c : m.components) {
    const auto* f = std::get_if<LambdaSpec>(&c.config);
    if (!f || !f->trigger) continue;
    const SqsSpec* q = queue(m, f->trigger->source);
    if (!q) continue;
    consumers[f->trigger->source].push_back(c.name);
    // A message still in flight when its visibility timeout ends is received again. AWS advises a
    // visibility timeout of at least 6 x the function timeout + the batching window (aws-facts §2.1 S-L19o):
    // the margin lets Lambda retry a batch whose invocation was throttled before its messages return.
    double advised_ns = 6 * f->timeout_ns + f->trigger->batching_window_ns;
    if (q->visibility_timeout_ns < f->timeout_ns)
      m.warnings.push_back(Warning{
          f->trigger->where, "components." + c.name + ".trigger",
          fmt::format("the queue '{}' has a visibility timeout of {}, shorter than this function's timeout of {}: a "
                      "message still being processed becomes visible again and is received twice. AWS advises a "
                      "visibility timeout of at least 6 x the function timeout + the batching window ({} here) "
                      "(aws-facts §2.1)",
                      f->trigger->source, show_duration(q->visibility_timeout_ns), show_duration(f->timeout_ns),
                      show_duration(advised_ns))});
    else if (q->visibility_timeout_ns < advised_ns)
      m.warnings.push_back(Warning{
          f->trigger->where, "components." + c.name + ".trigger",
          fmt::format("the queue '{}' has a visibility timeout of {}, below the 6 x the function timeout + the "
                      "batching window that AWS advises ({} here, aws-facts §2.1): the margin lets Lambda retry a "
                      "throttled batch before its messages become visible again and are received twice",
                      f->trigger->source, show_duration(q->visibility_timeout_ns), show_duration(advised_ns))});
  }
  for (const auto& c : m.components) {
    const auto* q = std::get_if<SqsSpec>(&c.config);
    if (!q) continue;
    auto consumed = consumers.find(c.name);
    if (consumed == consumers.end()) continue;
    // AWS advises maxReceiveCount >= 5 on a queue Lambda consumes (aws-facts §2.1 S-L19o).
    if (!q->dead_letter_target.empty() && q->max_receive_count < 5)
      m.warnings.push_back(Warning{
          ctx.locate(root["components"][c.name]["dead_letter"]["max_receive_count"],
                     "components." + c.name + ".dead_letter.max_receive_count"),
          "components." + c.name + ".dead_letter.max_receive_count",
          fmt::format("max_receive_count {} is below the 5 AWS advises for a queue a Lambda function consumes: a "
                      "message that is throttled or fails a few times moves to the dead-letter queue early "
                      "(aws-facts §2.1)",
                      q->max_receive_count)});
    if (consumed->second.size() > 1) {
      std::string names;
      for (const auto& n : consumed->second) names += (names.empty() ? "" : ", ") + n;
      m.warnings.push_back(Warning{
          c.where, "components." + c.name,
          fmt::format("{} functions poll this queue ({}): each message goes to only one of them (competing "
                      "consumers); to give every function each message, publish to an SNS topic with a queue per "
                      "function",
                      consumed->second.size(), names)});
    }
  }
}

}  // namespace

void check_messaging(const LoadContext& ctx, const YAML::Node& root, ModelSpec& m) {
  check_rules(ctx, root, m);
  add_warnings(ctx, root, m);
}

}  // namespace sluice::model
