#pragma once
// ModelSpec: the architecture and workload a user described, as plain data with every unit
// resolved (durations in nanoseconds, sizes in bytes, rates per second). No pointers into the
// engine: a ModelSpec can be copied, compared and handed to Python.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sluice/errors.hpp"

namespace sluice {

// A quantity that may vary: a constant or one of the distributions of MODEL.md.
// Parameters are stored in the quantity's base unit (ns for durations, bytes for sizes).
struct Distribution {
  enum class Kind { constant, exponential, lognormal, normal, uniform, empirical };
  Kind kind = Kind::constant;
  double a = 0;  // constant: value; exponential: mean; lognormal: mu of log; normal: mean; uniform: min
  double b = 0;  // lognormal: sigma of log; normal: sd; uniform: max
  std::vector<double> values;  // empirical: the observations, sampled with equal weight

  static Distribution constant(double v) { return {Kind::constant, v, 0, {}}; }
  double mean() const;  // the analytic mean (for checks and documentation)
  bool operator==(const Distribution&) const = default;
};

// Partition keys of a source's payload: how hot keys are drawn (used by streams and tables).
struct KeyDistribution {
  enum class Kind { none, uniform, zipf };
  Kind kind = Kind::none;
  std::int64_t keys = 1;
  double exponent = 1.0;
  bool operator==(const KeyDistribution&) const = default;
};

// A client's (or SDK's) retry policy: attempts in total, exponential backoff with jitter.
struct RetryPolicy {
  enum class Jitter { full, equal, none };
  int max_attempts = 1;        // 1 = no retries
  double base_ns = 100e6;      // first backoff before jitter
  double cap_ns = 20e9;        // largest backoff
  Jitter jitter = Jitter::full;
  bool operator==(const RetryPolicy&) const = default;
};

struct ArrivalPhase {
  double duration_ns = 0;
  double rate_per_s = 0;
  std::optional<double> ramp_to_per_s;  // linear ramp from rate to ramp_to over the phase
  bool operator==(const ArrivalPhase&) const = default;
};

struct Diurnal {
  double mean_per_s = 0;
  double amplitude = 0;   // fraction of the mean, in [0, 1]
  double period_ns = 24 * 3600e9;
  double peak_at_ns = 14 * 3600e9;
  bool operator==(const Diurnal&) const = default;
};

struct Trace {
  enum class Format { timestamps, counts };
  std::string file;                 // as written in the model (resolved relative to the model)
  Format format = Format::timestamps;
  double interval_ns = 60e9;        // counts: the width of each interval
  std::vector<double> times_ns;     // timestamps: arrival times, sorted
  std::vector<std::int64_t> counts; // counts: arrivals per interval
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

struct ApiGatewaySpec {
  enum class Flavor { http, rest };
  Flavor flavor = Flavor::http;
  // A stage-level throttle of this API, if set; the account's throttle applies to every API.
  std::optional<double> throttle_rate_per_s;
  double throttle_burst = 0;
  double timeout_ns = 29e9;
  Distribution overhead = Distribution::constant(0);
  std::string target;
  bool operator==(const ApiGatewaySpec&) const = default;
};

struct Step {
  enum class Kind { cpu, io, invoke };
  Kind kind = Kind::cpu;
  SourceLocation where;
  Distribution amount;      // cpu: CPU time at one full vCPU; io: the wait
  double threads = 1;       // cpu: how many vCPUs the step can use
  std::string target;       // invoke: the function called synchronously
  bool operator==(const Step&) const = default;
};

struct LambdaSpec {
  enum class Architecture { x86_64, arm64 };
  enum class Reuse { most_recent, newest, random };
  std::string runtime = "python3.12";
  bool snap_start = false;
  Architecture architecture = Architecture::x86_64;
  int memory_mb = 128;
  double timeout_ns = 3e9;
  std::optional<int> reserved_concurrency;
  int provisioned_concurrency = 0;
  std::optional<Distribution> memory_used_bytes;
  double error_rate = 0;
  Distribution cold_start;  // resolved: the model's cold_start or the runtime preset
  bool cold_start_from_preset = true;
  Distribution keep_alive = Distribution::constant(600e9);
  Reuse reuse = Reuse::most_recent;
  std::vector<Step> steps;
  bool operator==(const LambdaSpec&) const = default;
};

struct ComponentSpec {
  std::string name;
  SourceLocation where;
  std::string type;  // "api_gateway", "lambda"
  std::variant<ApiGatewaySpec, LambdaSpec> config;
  bool operator==(const ComponentSpec&) const = default;
};

struct RunBudget {
  std::uint64_t max_events = 2'000'000'000;
  std::uint64_t max_in_flight = 2'000'000;
  double max_wall_s = 0;  // 0 = no limit
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
  double scaling_environments = 1000;  // new execution environments per function ...
  double scaling_period_ns = 10e9;     // ... per this period, refilled continuously
  double api_throttle_rate_per_s = 10000;  // API Gateway's account throttle, shared by all APIs (aws-facts §6)
  double api_throttle_burst = 5000;
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
  std::vector<Warning> warnings;  // unreachable components and the like

  const ComponentSpec* find_component(const std::string& name) const;
  bool operator==(const ModelSpec&) const = default;
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
                                 const std::string& display_name = "<string>",
                                 const std::string& base_dir = ".");

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
