// The top-level faults: list (docs/model-reference.md): events injected into the run at fixed times. Which
// keys a fault takes and what it may target depend on its kind.
#include <fmt/format.h>

#include "model/readers.hpp"
#include "model/suggest.hpp"

namespace sluice::model {
namespace {

struct FaultKind {
  const char* name;
  FaultSpec::Kind kind;
  bool window;  // lasts `for`; otherwise it happens at one moment
  std::vector<std::string> targets;
  const char* what;  // a short description, for the messages
};

const std::vector<FaultKind>& fault_kinds() {
  static const std::vector<FaultKind> kinds{
      {"poison_message",
       FaultSpec::Kind::poison_message,
       false,
       {"sqs", "kinesis", "sns", "lambda"},
       "poisons the next messages, as many as its count"},
      {"error_rate", FaultSpec::Kind::error_rate, true, {"lambda"}, "raises the function's error rate"},
      {"latency", FaultSpec::Kind::latency, true, {"lambda", "sqs", "sns", "kinesis", "dynamodb"}, "adds latency"},
      {"outage",
       FaultSpec::Kind::outage,
       true,
       {"lambda", "sqs", "sns", "kinesis", "dynamodb"},
       "makes the target unavailable"},
      {"deploy", FaultSpec::Kind::deploy, false, {"lambda"}, "recycles every environment of the function"},
  };
  return kinds;
}

FaultSpec read_fault(const LoadContext& ctx, const ModelSpec& m, const YAML::Node& node, const std::string& path) {
  if (!node.IsMap())
    ctx.fail(node, path,
             "a fault is a mapping like {at: 30m, for: 5m, kind: error_rate, target: f, rate: 50%}, got " +
                 describe_kind(node));
  MapReader r(ctx, node, path, {"at", "for", "kind", "target", "count", "rate", "add"});
  std::vector<std::string> names;
  for (const auto& k : fault_kinds()) names.emplace_back(k.name);
  std::string name = read_choice(ctx, r.at("kind"), r.path_of("kind"), names);
  const FaultKind* kind = nullptr;
  for (const auto& k : fault_kinds())
    if (name == k.name) kind = &k;
  FaultSpec f;
  f.kind = kind->kind;
  f.where = ctx.locate(node, path);
  f.target = r.string("target");
  require_component(ctx, m, r.at("target"), r.path_of("target"), f.target, kind->targets,
                    fmt::format("{} {} fault's target", article(name), name));
  f.at_ns = r.quantity("at", Quantity::duration);
  if (f.at_ns >= m.run.duration_ns)
    r.fail("at", fmt::format("the fault at {} would come after the run's end ({})", show_duration(f.at_ns),
                             show_duration(m.run.duration_ns)));
  if (kind->window) {
    if (!r.has("for"))
      ctx.fail(node, r.path_of("for"),
               fmt::format("{} {} fault needs for: (how long it lasts, like 5m)", article(name), name));
    f.for_ns = r.quantity("for", Quantity::duration);
    if (f.for_ns <= 0) r.fail("for", "a fault must last longer than zero");
  } else if (r.has("for")) {
    r.fail("for", fmt::format("{} {} fault happens at one moment (it {}): it takes no 'for'", article(name), name,
                              kind->what));
  }
  auto only_for = [&](const char* key, FaultSpec::Kind owner, const char* owner_name) {
    if (f.kind != owner && r.has(key))
      r.fail(key,
             fmt::format("'{}' applies to {} faults only; this is {} {} fault", key, owner_name, article(name), name));
  };
  only_for("count", FaultSpec::Kind::poison_message, "poison_message");
  only_for("rate", FaultSpec::Kind::error_rate, "error_rate");
  only_for("add", FaultSpec::Kind::latency, "latency");
  if (f.kind == FaultSpec::Kind::poison_message) f.count = static_cast<int>(r.integer_or("count", 1, 1'000'000, 1));
  if (f.kind == FaultSpec::Kind::error_rate) {
    if (!r.has("rate"))
      ctx.fail(node, r.path_of("rate"),
               "an error_rate fault needs rate: (the share of invocations that fail, like 50%)");
    f.rate = r.quantity("rate", Quantity::fraction);
  }
  if (f.kind == FaultSpec::Kind::latency) {
    if (!r.has("add"))
      ctx.fail(node, r.path_of("add"), "a latency fault needs add: (the latency added to each call, like 200ms)");
    f.add_ns = r.quantity("add", Quantity::duration);
    if (f.add_ns <= 0) r.fail("add", "the added latency must be longer than zero");
  }
  return f;
}

}  // namespace

std::vector<FaultSpec> read_faults(const LoadContext& ctx, const MapReader& top, const ModelSpec& m) {
  std::vector<FaultSpec> faults;
  if (!top.has("faults")) return faults;
  YAML::Node list = top.at("faults");
  if (!list.IsSequence())
    top.fail("faults",
             "expected a list of faults like [{at: 30m, for: 5m, kind: error_rate, target: f, rate: 50%}], got " +
                 describe_kind(list));
  for (std::size_t i = 0; i < list.size(); ++i)
    faults.push_back(read_fault(ctx, m, list[i], fmt::format("faults.{}", i)));
  return faults;
}

}  // namespace sluice::model
