// A lambda component's reader: the function's settings and its steps (aws-facts §1); its async:
// section (async_reader.cpp) and its trigger (trigger_reader.cpp, read once every component is
// known) are the function's too. The components its steps call are its links().
#include <cmath>

#include <fmt/format.h>

#include "model/dynamodb_reader.hpp"
#include "model/lambda_reader.hpp"
#include "model/readers.hpp"
#include "model/runtime_presets.hpp"
#include "model/spec_input.hpp"
#include "model/suggest.hpp"
#include "sluice/option_values.hpp"

namespace sluice {
namespace model {

namespace {

// The steps that call another component: the key that names it, the step's kind, the type of
// component it calls, the edge in the architecture graph, and the words for errors.
struct CallStep {
  const char* key;
  Step::Kind kind;
  std::string_view type;
  LinkKind link;
  std::string_view what;
};
constexpr CallStep kCallSteps[] = {
    {"invoke", Step::Kind::invoke, "lambda", link_kind::invoke, "an invoke step's target"},
    {"send", Step::Kind::send, "sqs", link_kind::send, "a send step's target"},
    {"publish", Step::Kind::publish, "sns", link_kind::publish, "a publish step's target"},
    {"put", Step::Kind::put, "kinesis", link_kind::put, "a put step's target"},
    {"invoke_async", Step::Kind::invoke_async, "lambda", link_kind::invoke_async, "an invoke_async step's target"},
    {"read", Step::Kind::read, "dynamodb", link_kind::read, "a read step's target"},
    {"write", Step::Kind::write, "dynamodb", link_kind::write, "a write step's target"},
    {"query", Step::Kind::query, "dynamodb", link_kind::query, "a query step's target"},
    {"transact_write", Step::Kind::transact_write, "dynamodb", link_kind::transact_write,
     "a transact_write step's target"}};

Step read_step(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  static const std::vector<std::string> supported{"cpu",          "io",   "invoke", "send",  "publish",       "put",
                                                  "invoke_async", "read", "write",  "query", "transact_write"};
  if (!node.IsMap())
    ctx.fail(node, path, "a step is a mapping like {cpu: 40ms} or {io: 20ms}, got " + describe_kind(node));
  if (node.size() == 0) ctx.fail(node, path, "a step needs one of: " + join(supported) + "; got an empty mapping");
  std::string kind;
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::string key = it->first.as<std::string>("");
    for (const auto& s : supported)
      if (key == s) {
        if (!kind.empty())
          ctx.fail(
              it->first, path + "." + key,
              fmt::format("a step does one thing: this one has both '{}' and '{}' (make them two steps)", kind, key));
        kind = key;
      }
  }
  if (kind.empty()) {
    std::string first = node.begin()->first.as<std::string>("");
    ctx.fail(node, path, fmt::format("a step needs one of: {}{}", join(supported), did_you_mean(first, supported)));
  }
  Step s;
  s.where = ctx.locate(node, path);
  if (kind == "cpu") {
    MapReader r(ctx, node, path, {"cpu", "threads"});
    s.kind = Step::Kind::cpu;
    s.amount = r.distribution("cpu", Quantity::duration);
    s.threads = static_cast<double>(r.integer_or("threads", 1, 64, 1));
  } else if (kind == "io") {
    MapReader r(ctx, node, path, {"io"});
    s.kind = Step::Kind::io;
    s.amount = r.distribution("io", Quantity::duration);
  } else if (kind == "invoke") {
    MapReader r(ctx, node, path, {"invoke"});
    s.kind = Step::Kind::invoke;
    s.target = r.string("invoke");
  } else if (kind == "read" || kind == "write" || kind == "query" || kind == "transact_write") {
    // DynamoDB: items per call, each item's size, consistent reads (dynamodb_reader.cpp).
    read_table_step(ctx, node, path, kind, s);
  } else {
    // send, publish, put, invoke_async: a message to another component, optionally with its own
    // size (default: the size of the record being processed, which the engine carries along).
    MapReader r(ctx, node, path, {kind, "size"});
    for (const auto& c : kCallSteps)
      if (kind == c.key) s.kind = c.kind;
    s.target = r.string(kind);
    if (r.has("size")) s.size = r.distribution("size", Quantity::size);
  }
  return s;
}

LambdaSpec read_lambda(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  MapReader m(ctx, node, path,
              {"type", "runtime", "snap_start", "architecture", "memory", "timeout", "reserved_concurrency",
               "provisioned_concurrency", "memory_used", "errors", "cold_start", "keep_alive", "reuse", "steps",
               "trigger", "async"});
  LambdaSpec f;
  f.runtime = m.string_or("runtime", f.runtime);
  f.snap_start = m.boolean_or("snap_start", false);
  f.architecture = m.choice_or("architecture", {"x86_64", "arm64"}, "x86_64") == "arm64"
                       ? LambdaSpec::Architecture::arm64
                       : LambdaSpec::Architecture::x86_64;
  // Memory 128-10,240 MB in 1 MB steps (aws-facts §1.1): the range power tuning checks too.
  double memory = m.quantity_or("memory", Quantity::size, 128.0 * 1024 * 1024);
  m.check_range("memory", memory, kMinMemoryMb * 1024.0 * 1024, kMaxMemoryMb * 1024.0 * 1024, show_size);
  if (std::fmod(memory, 1024.0 * 1024) != 0) m.fail("memory", "memory is set in whole MB");
  f.memory_mb = static_cast<int>(memory / (1024.0 * 1024));
  // Timeout 1 s - 900 s; 3 s is the default (aws-facts §1.1).
  f.timeout_ns = m.quantity_or("timeout", Quantity::duration, 3e9);
  m.check_range("timeout", f.timeout_ns, 1e9, 900e9, show_duration);
  if (m.has("reserved_concurrency"))
    f.reserved_concurrency = static_cast<int>(m.integer("reserved_concurrency", 0, 10'000'000));
  f.provisioned_concurrency = static_cast<int>(m.integer_or("provisioned_concurrency", 0, 10'000'000, 0));
  if (f.reserved_concurrency && f.provisioned_concurrency > *f.reserved_concurrency)
    m.fail("provisioned_concurrency",
           fmt::format("provisioned concurrency ({}) cannot exceed the reserved concurrency ({})",
                       f.provisioned_concurrency, *f.reserved_concurrency));
  if (m.has("memory_used")) f.memory_used_bytes = m.distribution("memory_used", Quantity::size);
  f.error_rate = m.quantity_or("errors", Quantity::fraction, 0);
  auto preset = cold_start_preset(f.runtime, f.architecture, f.snap_start);
  if (!preset)
    m.fail("runtime", fmt::format("unknown runtime {}{}; known runtimes: {}", quote(f.runtime),
                                  did_you_mean(f.runtime, known_runtimes()), join(known_runtimes())));
  if (f.snap_start && f.runtime.rfind("java", 0) != 0)
    m.fail("snap_start", fmt::format("SnapStart applies to Java runtimes, not {}", f.runtime));
  if (m.has("cold_start")) {
    f.cold_start = m.distribution("cold_start", Quantity::duration);
    f.cold_start_from_preset = false;
  }
  if (f.cold_start_from_preset) f.cold_start = *preset;
  f.keep_alive = m.distribution_or("keep_alive", Quantity::duration, f.keep_alive);
  std::string reuse = m.choice_or("reuse", {"most_recent", "newest", "random"}, "most_recent");
  f.reuse = reuse == "most_recent" ? LambdaSpec::Reuse::most_recent
            : reuse == "newest"    ? LambdaSpec::Reuse::newest
                                   : LambdaSpec::Reuse::random;
  YAML::Node steps = m.at("steps");
  if (!steps.IsSequence() || steps.size() == 0)
    m.fail("steps", "expected a non-empty list of steps like [{cpu: 40ms}, {io: 20ms}]");
  for (std::size_t i = 0; i < steps.size(); ++i)
    f.steps.push_back(read_step(m.ctx(), steps[i], fmt::format("{}.steps.{}", m.path(), i)));
  if (m.has("async")) f.async = read_async_invoke(m.ctx(), m.at("async"), m.path_of("async"));
  // trigger: is read by read_triggers once every component is known (trigger_reader.cpp).
  (void)m.has("trigger");  // a trigger: with no value is refused here already
  return f;
}

}  // namespace
}  // namespace model

LambdaSpec LambdaSpec::read(const model::SpecInput& in) { return model::read_lambda(in.ctx, in.node, in.path); }

// The trigger's source (an edge from the source to the function) and its on-failure destination
// are resolved by the trigger reader, which needs the source to read the rest; the steps and the
// async destination by references.cpp.
std::vector<ComponentLink> LambdaSpec::links() const {
  std::vector<ComponentLink> out;
  if (trigger)
    out.push_back({.kind = link_kind::poll,
                   .name = trigger->source,
                   .key = "trigger.source",
                   .types = {TriggerSpec::kSourceTypes.begin(), TriggerSpec::kSourceTypes.end()},
                   .what = "a trigger's source",
                   .inbound = true,
                   .resolved_by_reader = true});
  for (std::size_t i = 0; i < steps.size(); ++i)
    for (const auto& c : model::kCallSteps)
      if (steps[i].kind == c.kind)
        out.push_back({.kind = c.link,
                       .name = steps[i].target,
                       .key = fmt::format("steps.{}.{}", i, c.key),
                       .types = {c.type},
                       .what = c.what,
                       .hint_from_target = true});
  // Destinations of asynchronous invocation (aws-facts §1.4 S-L5c): SQS, SNS or Lambda.
  if (!async.on_failure.empty())
    out.push_back({.kind = link_kind::on_failure,
                   .name = async.on_failure,
                   .key = "async.on_failure",
                   .types = {"sqs", "sns", "lambda"},
                   .what = "an on-failure destination"});
  if (trigger && !trigger->on_failure.empty())
    out.push_back({.kind = link_kind::on_failure,
                   .name = trigger->on_failure,
                   .key = "trigger.on_failure",
                   .types = {TriggerSpec::kOnFailureTypes.begin(), TriggerSpec::kOnFailureTypes.end()},
                   .what = "a Kinesis trigger's on-failure destination",
                   .resolved_by_reader = true});
  return out;
}

std::string LambdaSpec::unpolled_warning() const { return ""; }

}  // namespace sluice
