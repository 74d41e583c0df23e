#pragma once
// One reader per section of the model language (docs/model-reference.md), each turning YAML into spec data.
#include <type_traits>

#include "model/yaml_reader.hpp"

namespace sluice::model {

RunSpec read_run(const MapReader& root);
AccountSpec read_account(const MapReader& root);
SourceSpec read_source(const LoadContext& ctx, const std::string& name, const YAML::Node& node);
ApiGatewaySpec read_api_gateway(const LoadContext& ctx, const YAML::Node& node, const std::string& path);
LambdaSpec read_lambda(const LoadContext& ctx, const YAML::Node& node, const std::string& path);
// A retry policy; keys left out keep the values of `defaults` (no retries unless told).
// `also_allowed`: further keys the caller reads itself (a table's sdk_retries.mode).
RetryPolicy read_retry_policy(const LoadContext& ctx, const YAML::Node& node, const std::string& path,
                              const RetryPolicy& defaults = RetryPolicy{},
                              const std::vector<std::string>& also_allowed = {});

// Messaging components (messaging_readers.cpp): what each one says about itself. Names of other
// components are resolved later (references.cpp, messaging_checks.cpp).
SqsSpec read_sqs(const LoadContext& ctx, const YAML::Node& node, const std::string& path);
SnsSpec read_sns(const LoadContext& ctx, const YAML::Node& node, const std::string& path);
KinesisSpec read_kinesis(const LoadContext& ctx, const YAML::Node& node, const std::string& path);

// A DynamoDB table (dynamodb_reader.cpp): capacity mode, capacity, auto scaling, warm throughput,
// latency and the callers' SDK retries.
// `table_quota`: the account's per-table quota in units per second (account.dynamodb_table_quota).
DynamoDbSpec read_dynamodb(const LoadContext& ctx, const YAML::Node& node, const std::string& path, double table_quota);
// A function's read, write, query or transact_write step (`kind`), read into `s` (dynamodb_reader.cpp).
void read_table_step(const LoadContext& ctx, const YAML::Node& node, const std::string& path, const std::string& kind,
                     Step& s);
// Warnings about tables: a capacity outside its auto scaling range (dynamodb_reader.cpp).
void check_tables(const LoadContext& ctx, const YAML::Node& root, ModelSpec& m);

// A lambda's async: section (async_reader.cpp).
AsyncInvokeSpec read_async_invoke(const LoadContext& ctx, const YAML::Node& node, const std::string& path);

// Every lambda's trigger: (trigger_reader.cpp). Read once all components are known, because
// what a trigger may say depends on its source: an SQS queue or a Kinesis stream.
void read_triggers(const LoadContext& ctx, const YAML::Node& root, ModelSpec& m);

// The top-level faults: list (fault_reader.cpp), read once components and run are known.
std::vector<FaultSpec> read_faults(const LoadContext& ctx, const MapReader& top, const ModelSpec& m);

// Every name a component or source uses resolves to a component of a fitting type (references.cpp).
void resolve_references(const LoadContext& ctx, const YAML::Node& root, const ModelSpec& m);
// The component `name` (used at `at`, key path `path`), which must be one of `types`; otherwise
// an error: a missing name (with a suggestion), a source's name, or a component of another type
// ("<what> must be sqs or sns; 'x' is a kinesis", then `hint` if not empty).
const ComponentSpec& require_component(const LoadContext& ctx, const ModelSpec& m, const YAML::Node& at,
                                       const std::string& path, const std::string& name,
                                       const std::vector<std::string>& types, const std::string& what,
                                       const std::string& hint = "");

// AWS's rules that join two messaging components (FIFO queues, dead-letter queues, destinations)
// and the warnings about settings AWS advises against (messaging_checks.cpp).
void check_messaging(const LoadContext& ctx, const YAML::Node& root, ModelSpec& m);

// A component's spec by its service: one overload per alternative of ComponentConfig, so the
// loader reads any service through the same call (model_loader.cpp).
inline ApiGatewaySpec read_spec(const LoadContext& ctx, const YAML::Node& node, const std::string& path,
                                const AccountSpec&, std::type_identity<ApiGatewaySpec>) {
  return read_api_gateway(ctx, node, path);
}
inline LambdaSpec read_spec(const LoadContext& ctx, const YAML::Node& node, const std::string& path, const AccountSpec&,
                            std::type_identity<LambdaSpec>) {
  return read_lambda(ctx, node, path);
}
inline SqsSpec read_spec(const LoadContext& ctx, const YAML::Node& node, const std::string& path, const AccountSpec&,
                         std::type_identity<SqsSpec>) {
  return read_sqs(ctx, node, path);
}
inline SnsSpec read_spec(const LoadContext& ctx, const YAML::Node& node, const std::string& path, const AccountSpec&,
                         std::type_identity<SnsSpec>) {
  return read_sns(ctx, node, path);
}
inline KinesisSpec read_spec(const LoadContext& ctx, const YAML::Node& node, const std::string& path,
                             const AccountSpec&, std::type_identity<KinesisSpec>) {
  return read_kinesis(ctx, node, path);
}
inline DynamoDbSpec read_spec(const LoadContext& ctx, const YAML::Node& node, const std::string& path,
                              const AccountSpec& account, std::type_identity<DynamoDbSpec>) {
  return read_dynamodb(ctx, node, path, account.dynamodb_table_quota_units);
}

// A lognormal distribution given by its median and p99, in the quantity's base unit.
Distribution lognormal_median_p99(double median, double p99);

}  // namespace sluice::model
