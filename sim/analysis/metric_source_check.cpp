// Whether a metric's counts can be read as a source's arrivals, and the trace file and YAML that
// put them in the model. aws-facts §8: Invocations count batches for a function fed by an event
// source mapping, include Lambda's retries of asynchronous events, and leave out throttled requests.
#include <filesystem>

#include <fmt/format.h>

#include "sluice/metric_traffic.hpp"

namespace sluice {

const char* const kMetricCountsCaveat =
    "a metric counts what a service did, not what clients asked: a function fed by an SQS, Kinesis or DynamoDB "
    "stream mapping is invoked once per batch (Invocations counts batches, retried batches included); Lambda "
    "retries a failed asynchronous event up to twice and each retry is an invocation; a client's own retries are "
    "requests again; throttled invocations are not in Invocations at all. Read such counts as arrivals only "
    "where none of these applies (aws-facts §8)";

namespace {

const char* metric_of_type(const std::string& type) {
  if (type == "api_gateway") return "Count";
  if (type == "lambda") return "Invocations";
  if (type == "sqs") return "NumberOfMessagesSent";
  return "";
}

std::string seconds_text(std::int64_t s) {
  if (s % 3600 == 0) return fmt::format("{}h", s / 3600);
  if (s % 60 == 0) return fmt::format("{}m", s / 60);
  return fmt::format("{}s", s);
}

}  // namespace

void check_metric_source(MetricTraffic& traffic, const ModelSpec& model, const std::string& source_name,
                         const std::string& component_name, const std::string& metric_name) {
  SourceLocation here{traffic.file, 0, 0};
  const SourceSpec* source = nullptr;
  std::string names;
  for (const auto& s : model.sources) {
    if (s.name == source_name) source = &s;
    names += (names.empty() ? "" : ", ") + s.name;
  }
  if (!source)
    throw ModelError(SourceLocation{model.file, 0, 0}, "sources",
                     fmt::format("there is no source '{}' (sources: {})", source_name, names));
  std::string measured = component_name.empty() ? source->target : component_name;
  const ComponentSpec* component = model.find_component(measured);
  if (!component)
    throw ModelError(SourceLocation{model.file, 0, 0}, "components",
                     fmt::format("there is no component '{}' to have measured", measured));
  std::string expected = metric_of_type(component->type);
  std::string metric = !metric_name.empty() ? metric_name : !traffic.metric.empty() ? traffic.metric : expected;
  if (expected.empty())
    throw ModelError(here, "",
                     fmt::format("'{}' is a {}: sluice reads arrivals from an API's Count, a function's Invocations "
                                 "or a queue's NumberOfMessagesSent, not from a {}'s metrics",
                                 measured, component->type, component->type));
  if (metric != expected)
    throw ModelError(here, "",
                     fmt::format("{} is not a metric of '{}', a {}: its arrivals are its {}", metric, measured,
                                 component->type, expected));
  traffic.metric = metric;
  if (measured != source->target)
    traffic.warnings.push_back(fmt::format(
        "the metric is of '{}' but the source '{}' sends to '{}': the trace becomes what '{}' receives, so requests "
        "refused or fanned out on the way to '{}' are not counted as they were measured",
        measured, source->name, source->target, source->target, measured));
  if (const auto* fn = std::get_if<LambdaSpec>(&component->config)) {
    if (fn->trigger) {
      const ComponentSpec* fed_by = model.find_component(fn->trigger->source);
      std::string kind = fed_by ? fed_by->type : std::string("event source");
      std::string instead = kind == "sqs" ? fmt::format(
                                                "the queue's NumberOfMessagesSent (Sum), as the arrivals of "
                                                "a source that sends to '{}'",
                                                fn->trigger->source)
                                          : fmt::format(
                                                "the number of records written to '{}', as the arrivals of "
                                                "the source that writes them",
                                                fn->trigger->source);
      throw ModelError(here, "",
                       fmt::format("'{}' is fed by the {} mapping from '{}': its Invocations count batches (up to "
                                   "{} records each), retried batches included, not messages, so they are not "
                                   "arrivals; use {}",
                                   measured, kind, fn->trigger->source, fn->trigger->batch_size, instead));
    }
    traffic.warnings.push_back(fmt::format(
        "Invocations of '{}' leave out throttled requests (a throttled period shows fewer arrivals than there "
        "were) and count Lambda's retries of asynchronous events",
        measured));
    if (source->async && source->target == measured)
      traffic.warnings.push_back(fmt::format(
          "the source '{}' invokes '{}' asynchronously: Lambda retries a failed event up to {} times and every retry "
          "is an invocation, so the counts overstate arrivals by the retries, and the model adds its own",
          source->name, measured, fn->async.max_retries));
  }
  if (source->retries.max_attempts > 1)
    traffic.warnings.push_back(fmt::format(
        "the source '{}' retries (max_attempts: {}): the metric counts every attempt, so the trace's arrivals "
        "already hold the measured retries and the model adds its own on top",
        source->name, source->retries.max_attempts));
}

std::string metric_trace_csv(const MetricTraffic& traffic) {
  std::int64_t end = traffic.start_epoch_s + static_cast<std::int64_t>(traffic.counts.size()) * traffic.period_s;
  std::string out = "requests\n";
  out += fmt::format("# traffic from metrics: {} ({}{}), one row per {} s period\n",
                     std::filesystem::path(traffic.file).filename().string(), traffic.format,
                     traffic.label.empty() ? "" : fmt::format(", Label {}", traffic.label), traffic.period_s);
  out += fmt::format("# from {} to {}: {} data points, {} periods without one read as 0\n",
                     utc_timestamp(traffic.start_epoch_s), utc_timestamp(end), traffic.data_points,
                     traffic.missing_periods);
  for (auto c : traffic.counts) out += fmt::format("{}\n", c);
  return out;
}

std::string metric_source_yaml(const MetricTraffic& traffic, const std::string& source, const std::string& trace_file) {
  std::int64_t covered = static_cast<std::int64_t>(traffic.counts.size()) * traffic.period_s;
  return fmt::format(
      "sources:\n"
      "  {}:\n"
      "    arrivals:\n"
      "      trace: {{file: {}, format: counts, interval: {}}}\n"
      "run:\n"
      "  duration: {}  # the trace covers {} periods; it is not repeated\n",
      source.empty() ? "SOURCE" : source, trace_file, seconds_text(traffic.period_s), seconds_text(covered),
      traffic.counts.size());
}

}  // namespace sluice
