#pragma once
// One reader per section of the model language (MODEL.md), each turning YAML into spec data.
#include "model/yaml_reader.hpp"

namespace sluice::model {

RunSpec read_run(const MapReader& root);
AccountSpec read_account(const MapReader& root);
SourceSpec read_source(const LoadContext& ctx, const std::string& name, const YAML::Node& node);
ApiGatewaySpec read_api_gateway(const LoadContext& ctx, const YAML::Node& node, const std::string& path);
LambdaSpec read_lambda(const LoadContext& ctx, const YAML::Node& node, const std::string& path);
RetryPolicy read_retry_policy(const LoadContext& ctx, const YAML::Node& node, const std::string& path);

}  // namespace sluice::model
