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

namespace sluice {

// A client's (or SDK's) retry policy: attempts in total, exponential backoff with jitter.
struct RetryPolicy {
  enum class Jitter { full, equal, none };
  int max_attempts = 1;    // 1 = no retries
  double base_ns = 100e6;  // first backoff before jitter
  double cap_ns = 20e9;    // largest backoff
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

struct ApiGatewaySpec {
  static constexpr std::string_view kType = "api_gateway";    // `type:` in the model
  static constexpr std::string_view kDotShape = "component";  // in `sluice graph`
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
  // invoke: a synchronous call; send (SQS), publish (SNS), put (Kinesis), invoke_async (Lambda's
  // asynchronous invocation) hand a message to another component and wait only for its API call.
  enum class Kind { cpu, io, invoke, send, publish, put, invoke_async, read, write, query, transact_write };
  Kind kind = Kind::cpu;
  SourceLocation where;
  Distribution amount;               // cpu: CPU time at one full vCPU; io: the wait
  double threads = 1;                // cpu: how many vCPUs the step can use
  std::string target;                // invoke, send, publish, put, invoke_async: the component called
  std::optional<Distribution> size;  // send, publish, put, invoke_async: the message size (default: the record's)
  // read, write, query, transact_write (DynamoDB): items per call, each item's size, and
  // strongly consistent reads (read, query; eventually consistent by default).
  int items = 1;
  Distribution item_size = Distribution::constant(1024);
  bool consistent = false;
  bool operator==(const Step&) const = default;
};

// Lambda's asynchronous invocation (aws-facts §1.4): retries of function errors, the maximum
// age of an event, and where an event goes when it fails for good.
struct AsyncInvokeSpec {
  int max_retries = 2;                // 0..2, after function errors: 1 min, then 2 min apart
  double max_event_age_ns = 21600e9;  // 60 s .. 6 h
  std::string on_failure;             // an sqs, sns or lambda component; empty: the event is lost
  bool operator==(const AsyncInvokeSpec&) const = default;
};

// An event source mapping: the function polls a queue or a stream (aws-facts §2.1, §4).
struct TriggerSpec {
  std::string source;  // an sqs or kinesis component
  SourceLocation where;
  int batch_size = 10;                 // SQS default 10 (max 10,000; FIFO 10); Kinesis default 100
  double batching_window_ns = 0;       // 0..300 s
  std::optional<int> max_concurrency;  // SQS: 2..1,000 concurrent invokes
  bool report_batch_item_failures = false;
  // Kinesis only
  int parallelization_factor = 1;  // 1..10 batches per shard, in order per key
  int max_retry_attempts = -1;     // -1: until the records expire
  double max_record_age_ns = -1;   // -1: until retention; else 60 s .. 7 d
  bool bisect_batch_on_error = false;
  std::string on_failure;  // sqs or sns destination for records given up on
  bool operator==(const TriggerSpec&) const = default;
};

struct LambdaSpec {
  static constexpr std::string_view kType = "lambda";   // `type:` in the model
  static constexpr std::string_view kDotShape = "box";  // in `sluice graph`
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
  AsyncInvokeSpec async;
  std::optional<TriggerSpec> trigger;
  bool operator==(const LambdaSpec&) const = default;
};

// Latency of the API call a client makes to a messaging service (SendMessage, Publish,
// PutRecord): an assumption named in docs/assumptions.md, overridable per component.
struct SqsSpec {
  static constexpr std::string_view kType = "sqs";      // `type:` in the model
  static constexpr std::string_view kDotShape = "cds";  // in `sluice graph`
  bool fifo = false;
  bool high_throughput = false;         // FIFO high-throughput mode
  double visibility_timeout_ns = 30e9;  // 0 .. 12 h
  double retention_ns = 345600e9;       // 4 days; 60 s .. 14 days
  double delay_ns = 0;                  // 0 .. 15 min
  std::string dead_letter_target;       // empty: none
  int max_receive_count = 0;            // with a dead-letter queue: 1 .. 1,000
  Distribution latency;                 // the SendMessage call
  bool operator==(const SqsSpec&) const = default;
};

struct SnsSubscription {
  std::string target;  // an sqs queue or a lambda (asynchronous invocation)
  SourceLocation where;
  double filter = 1.0;  // fraction of messages that pass the subscription filter
  bool operator==(const SnsSubscription&) const = default;
};

struct SnsSpec {
  static constexpr std::string_view kType = "sns";          // `type:` in the model
  static constexpr std::string_view kDotShape = "hexagon";  // in `sluice graph`
  std::vector<SnsSubscription> subscribers;
  Distribution latency;           // the Publish call
  Distribution delivery_latency;  // from publish to the subscriber
  bool operator==(const SnsSpec&) const = default;
};

struct KinesisSpec {
  static constexpr std::string_view kType = "kinesis";       // `type:` in the model
  static constexpr std::string_view kDotShape = "cylinder";  // in `sluice graph`
  enum class Mode { provisioned, on_demand };
  Mode mode = Mode::provisioned;
  int shards = 1;                 // provisioned
  double retention_ns = 86400e9;  // 24 h .. 365 d
  RetryPolicy producer_retries;   // the producer's SDK retries of ProvisionedThroughputExceeded
  Distribution latency;           // the PutRecord call
  bool operator==(const KinesisSpec&) const = default;
};

// DynamoDB auto scaling by target tracking (aws-facts §5), applied to reads and writes alike.
struct AutoscalingSpec {
  double min_units = 1, max_units = 40000;
  double target = 0.7;  // utilization, 20% .. 90%
  bool operator==(const AutoscalingSpec&) const = default;
};

// A DynamoDB table (aws-facts §5).
struct DynamoDbSpec {
  static constexpr std::string_view kType = "dynamodb";   // `type:` in the model
  static constexpr std::string_view kDotShape = "box3d";  // in `sluice graph`
  enum class Mode { provisioned, on_demand };
  Mode mode = Mode::provisioned;
  double read_capacity = 5, write_capacity = 5;  // provisioned RCU / WCU per second
  std::optional<AutoscalingSpec> autoscaling;
  // on-demand: the throughput a table sustains at once (a new table: 4,000 WRU/s, 12,000 RRU/s,
  // or a warm throughput set in advance)
  double warm_read_units = 12000, warm_write_units = 4000;
  double table_size_bytes = 0;  // with capacity, decides the number of partitions
  Distribution latency;         // per request
  RetryPolicy sdk_retries;      // the callers' SDK (standard mode by default)
  bool stream = false;          // DynamoDB Streams: every written item becomes a record a trigger can poll
  bool operator==(const DynamoDbSpec&) const = default;
};

// The services a component can be: one alternative per service. Each spec names its `type:`
// (kType) and has a reader (read_spec in sim/model/readers.hpp); the loader, `sluice graph` and the
// list of supported types go through this list.
using ComponentConfig = std::variant<ApiGatewaySpec, LambdaSpec, SqsSpec, SnsSpec, KinesisSpec, DynamoDbSpec>;

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
