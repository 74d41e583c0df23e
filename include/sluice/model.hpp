#pragma once
// ModelSpec: the architecture and workload a user described, as plain data with every unit
// resolved (durations in nanoseconds, sizes in bytes, rates per second). No pointers into the
// engine: a ModelSpec can be copied, compared and handed to Python.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "sluice/distribution.hpp"
#include "sluice/errors.hpp"
#include "sluice/model/api_gateway.hpp"
#include "sluice/model/dynamodb.hpp"
#include "sluice/model/kinesis.hpp"
#include "sluice/model/lambda.hpp"
#include "sluice/model/retry_policy.hpp"
#include "sluice/model/sns.hpp"
#include "sluice/model/sqs.hpp"

namespace sluice {

struct ArrivalPhase {
  double duration_ns = 0;
  double rate_per_s = 0;
  std::optional<double> ramp_to_per_s;  // linear ramp from rate to ramp_to over the phase
  bool operator==(const ArrivalPhase&) const = default;
};

struct Diurnal {
  double mean_per_s = 0;
  double amplitude = 0;  // fraction of the mean, in [0, 1]
  double period_ns = 24 * 3600e9;
  double peak_at_ns = 14 * 3600e9;
  bool operator==(const Diurnal&) const = default;
};

struct Trace {
  enum class Format { timestamps, counts };
  std::string file;  // as written in the model (resolved relative to the model)
  Format format = Format::timestamps;
  double interval_ns = 60e9;         // counts: the width of each interval
  std::vector<double> times_ns;      // timestamps: arrival times, sorted
  std::vector<std::int64_t> counts;  // counts: arrivals per interval
  bool operator==(const Trace&) const = default;
};

struct Arrivals {
  enum class Process { poisson, uniform, trace };
  enum class Shape { constant, phases, diurnal, trace };
  Process process = Process::poisson;
  Shape shape = Shape::constant;
  double rate_per_s = 0;
  std::vector<ArrivalPhase> phases;
  Diurnal diurnal;
  Trace trace;
  bool operator==(const Arrivals&) const = default;
};

struct Payload {
  Distribution size = Distribution::constant(1024);
  KeyDistribution key;
  bool operator==(const Payload&) const = default;
};

struct SourceSpec {
  std::string name;
  SourceLocation where;
  std::string target;
  bool async = false;  // invocation: async (for a lambda target; later issues)
  RetryPolicy retries;
  Arrivals arrivals;
  Payload payload;
  bool operator==(const SourceSpec&) const = default;
};

// The services a component can be: one alternative per service, each spec in its own header
// (sluice/model/<service>.hpp) with its reader in sim/model/<service>_reader.cpp. This is the
// model's registration line: the loader, the name checks, `sluice graph` and the list of
// supported types go through it.
using ComponentConfig = std::variant<ApiGatewaySpec, LambdaSpec, SqsSpec, SnsSpec, KinesisSpec, DynamoDbSpec>;

// Every alternative says what the loader and `sluice graph` need (ServiceSpec, sluice/model/links.hpp):
// a spec without one of them stops the build here, naming what is missing.
template <ServiceSpec... Spec>
constexpr bool are_service_specs(const std::variant<Spec...>*) {
  return true;
}
static_assert(are_service_specs(static_cast<const ComponentConfig*>(nullptr)));

struct ComponentSpec {
  std::string name;
  SourceLocation where;
  std::string type;  // config's kType
  ComponentConfig config;
  bool operator==(const ComponentSpec&) const = default;
};

// A fault injected into the run (docs/model-reference.md, faults:).
struct FaultSpec {
  enum class Kind { poison_message, error_rate, latency, outage, deploy };
  Kind kind = Kind::error_rate;
  SourceLocation where;
  std::string target;
  double at_ns = 0;
  double for_ns = 0;  // error_rate, latency, outage: the window's length
  int count = 1;      // poison_message: how many of the next messages are poison
  double rate = 0;    // error_rate
  double add_ns = 0;  // latency
  bool operator==(const FaultSpec&) const = default;
};

struct RunBudget {
  std::uint64_t max_events = 2'000'000'000;
  std::uint64_t max_in_flight = 2'000'000;
  double max_wall_s = 0;  // 0 = no limit
  // Bytes the engine may hold (time series, pending events, requests and messages), counted by
  // the engine itself so that whether a run stops does not depend on the machine or allocator.
  double max_memory_bytes = 4.0 * 1024 * 1024 * 1024;
  bool operator==(const RunBudget&) const = default;
};

struct RunSpec {
  double duration_ns = 3600e9;
  double warmup_ns = 0;
  std::uint64_t seed = 1;
  double bucket_ns = 60e9;
  RunBudget budget;
  bool operator==(const RunSpec&) const = default;
};

// Prices in USD, flattened "service.dimension" → value (see data/prices.yaml).
struct PriceTable {
  std::map<std::string, double> usd;
  std::string source;  // "default" or the price file's path
  double at(const std::string& key) const;
  bool operator==(const PriceTable&) const = default;
};

struct AccountSpec {
  int concurrency_limit = 1000;
  double scaling_environments = 1000;      // new execution environments per function ...
  double scaling_period_ns = 10e9;         // ... per this period, refilled continuously
  double api_throttle_rate_per_s = 10000;  // API Gateway's account throttle, shared by all APIs (aws-facts §6)
  double api_throttle_burst = 5000;
  // Regional default quotas of the other services (us-east-1 figures), each overridable:
  double sns_publish_rate_per_s = 30000;          // SNS Publish, shared by every topic (aws-facts §3, U)
  double sqs_fifo_high_throughput_per_s = 70000;  // SendMessage of each FIFO queue in high-throughput mode (§2.2)
  double dynamodb_table_quota_units = 40000;      // per table, for reads and for writes (§5 S-D2)
  double kinesis_on_demand_write_bytes_per_s = 10.0 * 1024 * 1024 * 1024;  // an on-demand stream's ceiling (§4 S-K1)
  PriceTable prices;
  bool operator==(const AccountSpec&) const = default;
};

struct Warning {
  SourceLocation where;
  std::string key_path;
  std::string message;
  bool operator==(const Warning&) const = default;
};

struct ModelSpec {
  std::string name;
  std::string file;  // the model's path ("<string>" when loaded from text)
  RunSpec run;
  AccountSpec account;
  std::vector<SourceSpec> sources;
  std::vector<ComponentSpec> components;
  std::vector<FaultSpec> faults;
  std::vector<Warning> warnings;  // unreachable components and the like

  const ComponentSpec* find_component(const std::string& name) const;
  // Makes find_component constant-time for the components as they are now (the loader calls it;
  // a component added later is still found, by a scan; renaming one needs this called again).
  void index_components();
  bool operator==(const ModelSpec&) const = default;

 private:
  // A cache derived from `components`: it takes no part in comparing models.
  struct NameIndex {
    std::unordered_map<std::string, std::size_t> position;
    bool operator==(const NameIndex&) const { return true; }
  };
  NameIndex index_;
};

// A --set override: "components.ingest.memory" = "1024MB" (the value is parsed as YAML).
struct Override {
  std::string key_path;
  std::string value;
};
// Parses "key.path=value"; throws ModelError when there is no '='.
Override parse_override(const std::string& text);

// Loads, overrides, validates and checks the architecture graph. Throws ModelError.
ModelSpec load_model(const std::string& path, const std::vector<Override>& overrides = {});
ModelSpec load_model_from_string(const std::string& yaml_text, const std::vector<Override>& overrides = {},
                                 const std::string& display_name = "<string>", const std::string& base_dir = ".");

// The model's text with the overrides applied, as YAML or as JSON (scalars as strings), for
// saving a variant or handing it to Python as a dict. Throws ModelError like the loader.
std::string effective_yaml(const std::string& yaml_text, const std::vector<Override>& overrides,
                           const std::string& display_name = "<string>");
std::string effective_json(const std::string& yaml_text, const std::vector<Override>& overrides,
                           const std::string& display_name = "<string>");

// The architecture as Graphviz DOT.
std::string to_dot(const ModelSpec& model);

// The component types this version simulates, and those the model language names for later.
const std::vector<std::string>& supported_component_types();

}  // namespace sluice
