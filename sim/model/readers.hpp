#pragma once
// One reader per section of the model language (docs/model-reference.md), each turning YAML into spec data.
// A component's spec is read by its service's reader, Spec::read (sim/model/<service>_reader.cpp),
// through ComponentConfig; what is here is shared by every service or reads the other sections.
#include "model/yaml_reader.hpp"

namespace sluice::model {

RunSpec read_run(const MapReader& root);
AccountSpec read_account(const MapReader& root);
SourceSpec read_source(const LoadContext& ctx, const std::string& name, const YAML::Node& node);
// A retry policy; keys left out keep the values of `defaults` (no retries unless told).
// `also_allowed`: further keys the caller reads itself (a table's sdk_retries.mode).
RetryPolicy read_retry_policy(const LoadContext& ctx, const YAML::Node& node, const std::string& path,
                              const RetryPolicy& defaults = RetryPolicy{},
                              const std::vector<std::string>& also_allowed = {});

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

// A lognormal distribution given by its median and p99, in the quantity's base unit (lognormal.cpp).
Distribution lognormal_median_p99(double median, double p99);

}  // namespace sluice::model
