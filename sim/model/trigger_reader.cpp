// A lambda's trigger: an event source mapping that polls an SQS queue (aws-facts §2.1), a
// Kinesis stream or a DynamoDB table's stream (aws-facts §4, the same mapping). Which keys apply and their ranges depend on the source, so
// triggers are read once every component is known.
#include <fmt/format.h>

#include "model/lambda_reader.hpp"
#include "model/named_nodes.hpp"
#include "model/readers.hpp"

namespace sluice::model {
namespace {

const std::vector<std::string> kKinesisOnly{"parallelization_factor", "max_retry_attempts", "max_record_age",
                                            "bisect_batch_on_error", "on_failure"};

// batch_size within 1..max; `why` names the rule behind max.
int read_batch_size(const MapReader& r, int fallback, int max, const std::string& why) {
  if (!r.has("batch_size")) return fallback;
  std::int64_t b = read_integer(r.ctx(), r.at("batch_size"), r.path_of("batch_size"), INT64_MIN, INT64_MAX);
  if (b < 1 || b > max) r.fail("batch_size", fmt::format("{} is out of range: allowed 1..{} {}", b, max, why));
  return static_cast<int>(b);
}

void read_sqs_trigger(const MapReader& r, const ComponentSpec& source, TriggerSpec& t) {
  const auto& q = std::get<SqsSpec>(source.config);
  for (const auto& key : kKinesisOnly)
    if (r.has(key))
      r.fail(key, key == "on_failure"
                      ? fmt::format("'on_failure' applies to Kinesis triggers only: an SQS queue sends messages that "
                                    "keep failing to its own dead-letter queue (dead_letter: on '{}', aws-facts §2.1)",
                                    source.name)
                      : fmt::format("'{}' applies to Kinesis triggers only; '{}' is an SQS queue", key, source.name));
  // Batching window: 0..300 s, default 0; not supported on FIFO queues (aws-facts §2.1 S-L19f).
  t.batching_window_ns = r.quantity_or("batching_window", Quantity::duration, 0);
  r.check_range("batching_window", t.batching_window_ns, 0, 300e9, show_duration);
  if (q.fifo && t.batching_window_ns > 0)
    r.fail("batching_window",
           fmt::format("a FIFO queue does not support a batching window (aws-facts §2.1); '{}' is a FIFO queue: "
                       "leave batching_window out",
                       source.name));
  // Batch size: default 10; at most 10,000 on a standard queue, 10 on a FIFO queue; above 10
  // only with a batching window of at least 1 s (aws-facts §2.1 S-L19f).
  t.batch_size = q.fifo ? read_batch_size(r, 10, 10, "for a FIFO queue (aws-facts §2.1)")
                        : read_batch_size(r, 10, 10000, "for an SQS queue (aws-facts §2.1)");
  if (t.batch_size > 10 && t.batching_window_ns < 1e9)
    r.fail("batch_size", fmt::format("a batch_size above 10 needs a batching_window of at least 1s (aws-facts §2.1); "
                                     "this trigger's window is {}",
                                     show_duration(t.batching_window_ns)));
  // MaximumConcurrency: 2..1,000 per event source mapping; none by default (aws-facts §2.1 S-L19e).
  if (r.has("max_concurrency")) t.max_concurrency = static_cast<int>(r.integer("max_concurrency", 2, 1000));
}

void read_kinesis_trigger(const LoadContext& ctx, const ModelSpec& m, const MapReader& r, const ComponentSpec& source,
                          TriggerSpec& t) {
  if (r.has("max_concurrency"))
    r.fail("max_concurrency",
           fmt::format("'max_concurrency' applies to SQS triggers only; '{}' is a Kinesis stream, read by one batch "
                       "per shard at a time, times parallelization_factor (aws-facts §4)",
                       source.name));
  // Kinesis ESM (aws-facts §4 S-L20): batch size default 100, up to 10,000; window 0..300 s.
  t.batch_size = read_batch_size(r, 100, 10000, "for a Kinesis stream (aws-facts §4)");
  t.batching_window_ns = r.quantity_or("batching_window", Quantity::duration, 0);
  r.check_range("batching_window", t.batching_window_ns, 0, 300e9, show_duration);
  // ParallelizationFactor 1..10, default 1 (aws-facts §4 S-L20).
  t.parallelization_factor = static_cast<int>(r.integer_or("parallelization_factor", 1, 10, 1));
  // MaximumRetryAttempts: -1 (until the records expire, the default) or 0..10,000 (aws-facts §4).
  t.max_retry_attempts = static_cast<int>(r.integer_or("max_retry_attempts", -1, 10000, -1));
  // MaximumRecordAgeInSeconds: -1 (the default: until retention) or 60 s .. 604,800 s = 7 d (aws-facts §4).
  if (r.has("max_record_age")) {
    YAML::Node age = r.at("max_record_age");
    if (age.IsScalar() && age.Scalar() == "-1") {
      t.max_record_age_ns = -1;
    } else {
      t.max_record_age_ns = read_quantity(ctx, age, r.path_of("max_record_age"), Quantity::duration);
      r.check_range("max_record_age", t.max_record_age_ns, 60e9, 7 * 86400e9, show_duration);
    }
  }
  t.bisect_batch_on_error = r.boolean_or("bisect_batch_on_error", false);
  // On-failure destination of a stream's event source mapping: SQS or SNS (aws-facts §4 S-L20).
  if (r.has("on_failure")) {
    t.on_failure = r.string("on_failure");
    require_component(ctx, m, r.at("on_failure"), r.path_of("on_failure"), t.on_failure,
                      {TriggerSpec::kOnFailureTypes.begin(), TriggerSpec::kOnFailureTypes.end()},
                      "a Kinesis trigger's on-failure destination");
  }
}

TriggerSpec read_trigger(const LoadContext& ctx, const ModelSpec& m, const YAML::Node& node, const std::string& path) {
  MapReader r(
      ctx, node, path,
      {"source", "batch_size", "batching_window", "max_concurrency", "report_batch_item_failures",
       "parallelization_factor", "max_retry_attempts", "max_record_age", "bisect_batch_on_error", "on_failure"});
  TriggerSpec t;
  t.where = ctx.locate(node, path);
  t.source = r.string("source");
  const ComponentSpec* named = m.find_component(t.source);
  std::string hint = !named                    ? ""
                     : named->type == "sns"    ? "a topic pushes to its subscribers: list this function there"
                     : named->type == "lambda" ? "a function calls another with an invoke or invoke_async step"
                                               : "";
  const ComponentSpec& source = require_component(ctx, m, r.at("source"), r.path_of("source"), t.source,
                                                  {TriggerSpec::kSourceTypes.begin(), TriggerSpec::kSourceTypes.end()},
                                                  "a trigger's source", hint);
  if (const auto* table = std::get_if<DynamoDbSpec>(&source.config); table && !table->stream)
    r.fail("source", fmt::format("the table '{}' has no stream: set stream: true on it to read its changes "
                                 "(DynamoDB Streams), or read the table with a read or query step",
                                 source.name));
  t.report_batch_item_failures = r.boolean_or("report_batch_item_failures", false);
  if (source.type == "sqs") read_sqs_trigger(r, source, t);
  else read_kinesis_trigger(ctx, m, r, source, t);
  return t;
}

}  // namespace

void read_triggers(const LoadContext& ctx, const YAML::Node& root, ModelSpec& m) {
  const NamedNodes components(root["components"]);
  for (std::size_t i = 0; i < m.components.size(); ++i) {
    if (!std::holds_alternative<LambdaSpec>(m.components[i].config)) continue;
    const std::string& name = m.components[i].name;
    YAML::Node node = components[name]["trigger"];
    if (!node.IsDefined()) continue;
    TriggerSpec t = read_trigger(ctx, m, node, "components." + name + ".trigger");
    std::get<LambdaSpec>(m.components[i].config).trigger = std::move(t);
  }
}

}  // namespace sluice::model
