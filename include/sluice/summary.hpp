#pragma once
// The summary of a run, typed: what summary.json (schema 1, docs/model-reference.md) holds, filled
// by the engine and read by the table printer, compare and tune as fields. One writer turns it
// into summary.json (summary_document in results.hpp); each section lists its keys in fields().
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sluice/summary/api_gateway.hpp"
#include "sluice/summary/dynamodb.hpp"
#include "sluice/summary/figures.hpp"
#include "sluice/summary/kinesis.hpp"
#include "sluice/summary/lambda.hpp"
#include "sluice/summary/sns.hpp"
#include "sluice/summary/sqs.hpp"

namespace sluice::summary {

struct RunFacts {
  double duration_s = 0, warmup_s = 0;
  std::uint64_t seed = 0, events = 0;  // no wall clock: Results::wall_s
  template <class V>
  void fields(V& v) const {
    v("duration_s", duration_s);
    v("warmup_s", warmup_s);
    v("seed", seed);
    v("events", events);
  }
};

// Requests of a source, or of every source together, measured after the warm-up.
struct RequestCounts {
  std::uint64_t requests = 0, completed = 0;
  Failed failed;
  std::uint64_t in_flight = 0;
  template <class V>
  void fields(V& v) const {
    v("requests", requests);
    v("completed", completed);
    v("failed", failed);
    v("in_flight", in_flight);
  }
};

// One source.
struct Source : RequestCounts {
  std::uint64_t retries = 0;
  Latency latency_ms;  // until the request's last descendant has ended
  double cost_usd = 0, cost_per_million_usd = 0;
  template <class V>
  void fields(V& v) const {
    RequestCounts::fields(v);
    v("retries", retries);
    v("latency_ms", latency_ms);
    v("cost_usd", cost_usd);
    v("cost_per_million_usd", cost_per_million_usd);
  }
};

// Every source together.
struct EndToEnd : RequestCounts {
  Latency latency_ms;
  template <class V>
  void fields(V& v) const {
    RequestCounts::fields(v);
    v("latency_ms", latency_ms);
  }
};

// A component's section: one alternative per service, in the order of the `sluice run` table.
using Component = std::variant<Lambda, ApiGateway, Sqs, Sns, Kinesis, DynamoDb>;

// For std::visit: one lambda per service, std::visit(Overloaded{[](const Sqs&) {...}, ...}, c).
template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

struct TotalCost {
  double total = 0, per_month = 0;                           // per month: at this load, 730 hours
  std::vector<std::pair<std::string, double>> by_dimension;  // "lambda.duration", ...
  template <class V>
  void fields(V& v) const {
    v("total", total);
    v("per_month", per_month);
    v("by_dimension", by_dimension);
  }
};

// Units of work over the whole run (warm-up included).
struct UnitCounts {
  std::uint64_t created = 0, completed = 0, failed = 0, in_flight = 0;
  template <class V>
  void fields(V& v) const {
    v("created", created);
    v("completed", completed);
    v("failed", failed);
    v("in_flight", in_flight);
  }
};

struct Ledger {
  UnitCounts all;  // source requests and messages together
  std::uint64_t requests_in_flight = 0, messages_in_flight = 0;
  UnitCounts requests, messages;
  bool balanced = false;  // created = completed + failed + in flight
  template <class V>
  void fields(V& v) const {
    v(kInline, all);
    v("requests_in_flight", requests_in_flight);
    v("messages_in_flight", messages_in_flight);
    v("requests", requests);
    v("messages", messages);
    v("balanced", balanced);
  }
};

struct Summary {
  static constexpr int kSchema = 1;
  std::string model;
  RunFacts run;
  Named<Source> sources;
  EndToEnd end_to_end;
  Named<Component> components;
  TotalCost cost_usd;
  Ledger ledger;
  std::vector<std::string> warnings;
  template <class V>
  void fields(V& v) const {
    v("schema", kSchema);
    v("model", model);
    v("run", run);
    v("sources", sources);
    v("end_to_end", end_to_end);
    v("components", components);
    v("cost_usd", cost_usd);
    v("ledger", ledger);
    v("warnings", warnings);
  }
};

}  // namespace sluice::summary
