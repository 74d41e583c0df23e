#pragma once
// A Lambda function (aws-facts §1): the model's spec of a `lambda` component, its steps, its
// asynchronous invocation and its trigger (event source mapping).
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/distribution.hpp"
#include "sluice/errors.hpp"
#include "sluice/model/links.hpp"

namespace sluice {

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
  // What a trigger may poll, and where its on-failure destination may send records (a stream's
  // event source mapping: SQS or SNS, aws-facts §4 S-L20); trigger_reader.cpp resolves both.
  static constexpr std::array<std::string_view, 3> kSourceTypes{"sqs", "kinesis", "dynamodb"};
  static constexpr std::array<std::string_view, 2> kOnFailureTypes{"sqs", "sns"};
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
  // What the loader and `sluice graph` need to know (sluice/model/links.hpp, ServiceSpec).
  static constexpr LinkKind kFromSource = link_kind::invoke;
  static constexpr LinkKind kFromAsyncSource = link_kind::invoke_async;
  static constexpr std::string_view kSourceHint = "";
  static constexpr std::string_view kStepHint = "an invoke or invoke_async step calls a function";
  static constexpr bool kFunction = true;
  static constexpr bool kStream = false;
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
  static LambdaSpec read(const model::SpecInput& in);  // sim/model/lambda_reader.cpp
  std::vector<ComponentLink> links() const;
  std::string unpolled_warning() const;
  bool operator==(const LambdaSpec&) const = default;
};

}  // namespace sluice
