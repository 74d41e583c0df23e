// A lambda's async: section: how Lambda's asynchronous invocation treats the function's events
// (aws-facts §1.4). The on-failure destination is resolved with the other names (references.cpp).
#include "model/lambda_reader.hpp"
#include "model/readers.hpp"

namespace sluice::model {

AsyncInvokeSpec read_async_invoke(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  MapReader r(ctx, node, path, {"max_retries", "max_event_age", "on_failure"});
  AsyncInvokeSpec a;
  // Retries after function errors: 0..2, default 2 (aws-facts §1.4 S-L5).
  a.max_retries = static_cast<int>(r.integer_or("max_retries", 0, 2, 2));
  // Maximum event age: 60 s .. 6 h, default 6 h (aws-facts §1.4 S-L5, S-L5b).
  a.max_event_age_ns = r.quantity_or("max_event_age", Quantity::duration, 6 * 3600e9);
  r.check_range("max_event_age", a.max_event_age_ns, 60e9, 6 * 3600e9, show_duration);
  // Where an event goes when it fails for good: an SQS queue, an SNS topic or a function
  // (aws-facts §1.4 S-L5c); none by default (the event is dropped).
  a.on_failure = r.string_or("on_failure", "");
  if (r.has("on_failure") && a.on_failure.empty())
    r.fail("on_failure", "name the destination: an sqs queue, an sns topic or a lambda function");
  return a;
}

}  // namespace sluice::model
