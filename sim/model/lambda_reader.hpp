#pragma once
// The parts of a function's reader in files of their own (lambda_reader.cpp reads the rest).
#include "model/yaml_reader.hpp"

namespace sluice::model {

// A lambda's async: section (async_reader.cpp).
AsyncInvokeSpec read_async_invoke(const LoadContext& ctx, const YAML::Node& node, const std::string& path);

// Every lambda's trigger: (trigger_reader.cpp). Read once all components are known, because
// what a trigger may say depends on its source: an SQS queue or a Kinesis stream.
void read_triggers(const LoadContext& ctx, const YAML::Node& root, ModelSpec& m);

}  // namespace sluice::model
