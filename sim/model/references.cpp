// Names that point at other components: each must name a component of a type that can take
// that kind of work. A trigger's names are resolved by the trigger reader, a fault's by the
// fault reader, both with require_component.
#include <fmt/format.h>

#include "model/named_nodes.hpp"
#include "model/readers.hpp"
#include "model/suggest.hpp"

namespace sluice::model {
namespace {

// "a", "a or b", "a, b or c"
std::string either(const std::vector<std::string>& words) {
  if (words.size() <= 2) return join(words, " or ");
  std::vector<std::string> head(words.begin(), words.end() - 1);
  return join(head) + " or " + words.back();
}

// Which step calls a component of this type, for a hint when a step names the wrong kind.
std::string step_hint(const std::string& type) {
  if (type == "sqs") return "a send step sends a message to an SQS queue";
  if (type == "sns") return "a publish step publishes to an SNS topic";
  if (type == "kinesis") return "a put step writes a record to a Kinesis stream";
  if (type == "lambda") return "an invoke or invoke_async step calls a function";
  if (type == "dynamodb") return "read, write, query and transact_write steps call a DynamoDB table";
  return "";
}

}  // namespace

const ComponentSpec& require_component(const LoadContext& ctx, const ModelSpec& m, const YAML::Node& at,
                                       const std::string& path, const std::string& name,
                                       const std::vector<std::string>& types, const std::string& what,
                                       const std::string& hint) {
  const ComponentSpec* c = m.find_component(name);
  if (!c) {
    std::vector<std::string> names;
    for (const auto& other : m.components) names.push_back(other.name);
    bool is_source = false;
    for (const auto& s : m.sources) is_source = is_source || s.name == name;
    ctx.fail(at, path,
             is_source ? fmt::format("'{}' is a source, not a component", name)
                       : fmt::format("{} is not a component of this model{}", quote(name), did_you_mean(name, names)));
  }
  for (const auto& t : types)
    if (c->type == t) return *c;
  ctx.fail(at, path,
           fmt::format("{} must be {}; '{}' is {} {}{}", what, either(types), name, article(c->type), c->type,
                       hint.empty() ? "" : " (" + hint + ")"));
}

void resolve_references(const LoadContext& ctx, const YAML::Node& root, const ModelSpec& m) {
  const NamedNodes sources(root["sources"]), components(root["components"]);
  for (const auto& s : m.sources) {
    YAML::Node node = sources[s.name];
    // A table is not an entry point: functions call it from their steps.
    const ComponentSpec* named = m.find_component(s.target);
    const ComponentSpec& target =
        require_component(ctx, m, node["target"], "sources." + s.name + ".target", s.target,
                          {"api_gateway", "lambda", "sqs", "sns", "kinesis"}, "a source's target",
                          named && named->type == "dynamodb"
                              ? "a table is called from functions' steps: point the source at a function with a "
                                "read, write, query or transact_write step"
                              : "");
    // Asynchronous invocation is Lambda's (aws-facts §1.4); queues, topics and streams take a
    // message with their own API call.
    if (s.async && target.type != "lambda")
      ctx.fail(node["invocation"], "sources." + s.name + ".invocation",
               fmt::format("invocation: async applies to a lambda target only; '{}' is {} {}, which takes the "
                           "source's messages with its own API call (leave invocation out)",
                           s.target, article(target.type), target.type));
  }
  for (const auto& c : m.components) {
    YAML::Node node = components[c.name];
    std::string path = "components." + c.name;
    if (const auto* g = std::get_if<ApiGatewaySpec>(&c.config))
      require_component(ctx, m, node["target"], path + ".target", g->target, {"lambda"}, "an API's integration");
    if (const auto* f = std::get_if<LambdaSpec>(&c.config)) {
      for (std::size_t i = 0; i < f->steps.size(); ++i) {
        const Step& step = f->steps[i];
        const char* key = nullptr;
        const char* type = nullptr;
        switch (step.kind) {
          case Step::Kind::invoke:
            key = "invoke", type = "lambda";
            break;
          case Step::Kind::invoke_async:
            key = "invoke_async", type = "lambda";
            break;
          case Step::Kind::send:
            key = "send", type = "sqs";
            break;
          case Step::Kind::publish:
            key = "publish", type = "sns";
            break;
          case Step::Kind::put:
            key = "put", type = "kinesis";
            break;
          case Step::Kind::read:
            key = "read", type = "dynamodb";
            break;
          case Step::Kind::write:
            key = "write", type = "dynamodb";
            break;
          case Step::Kind::query:
            key = "query", type = "dynamodb";
            break;
          case Step::Kind::transact_write:
            key = "transact_write", type = "dynamodb";
            break;
          case Step::Kind::cpu:
          case Step::Kind::io:
            continue;
        }
        const ComponentSpec* target = m.find_component(step.target);
        std::string hint = target && target->type != type ? step_hint(target->type) : "";
        require_component(ctx, m, node["steps"][i][key], fmt::format("{}.steps.{}.{}", path, i, key), step.target,
                          {type}, fmt::format("{} {} step's target", article(key), key), hint);
      }
      // Destinations of asynchronous invocation (aws-facts §1.4 S-L5c): SQS, SNS or Lambda.
      if (!f->async.on_failure.empty())
        require_component(ctx, m, node["async"]["on_failure"], path + ".async.on_failure", f->async.on_failure,
                          {"sqs", "sns", "lambda"}, "an on-failure destination");
    }
    if (const auto* q = std::get_if<SqsSpec>(&c.config); q && !q->dead_letter_target.empty()) {
      YAML::Node at = node["dead_letter"]["target"];
      require_component(ctx, m, at, path + ".dead_letter.target", q->dead_letter_target, {"sqs"},
                        "a dead-letter queue");
      if (q->dead_letter_target == c.name)
        ctx.fail(at, path + ".dead_letter.target", "a queue cannot be its own dead-letter queue");
    }
    if (const auto* t = std::get_if<SnsSpec>(&c.config))
      for (std::size_t i = 0; i < t->subscribers.size(); ++i)
        require_component(ctx, m, node["subscribers"][i]["target"], fmt::format("{}.subscribers.{}.target", path, i),
                          t->subscribers[i].target, {"sqs", "lambda"}, "a topic's subscriber");
  }
}

}  // namespace sluice::model
