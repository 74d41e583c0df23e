// DynamoDB Streams (aws-facts §4, §5): every item a table writes becomes a record that a trigger
// reads with the Kinesis event source mapping, polled 4 times a second per shard.
#include "catch.hpp"
#include "model_helpers.hpp"
#include "sluice/results.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

using sluice::test::run_yaml;

namespace {
const char* kModel = R"(
sluice: 1
name: ddb-stream
run: {duration: 10m, seed: 4}
sources:
  orders:
    target: store
    invocation: async
    arrivals: {process: poisson, rate: 50/s}
    payload: {key: {distribution: uniform, keys: 1000}}
components:
  store:
    type: lambda
    steps: [{cpu: 2ms}, {write: table, items: 2}]
  table:
    type: dynamodb
    mode: on_demand
    stream: true
  indexer:
    type: lambda
    steps: [{cpu: 1ms}]
    trigger: {source: table, batch_size: 100}
)";
}  // namespace

TEST_CASE("A table's stream carries one record per item written to its trigger", "[dynamodb][stream]") {
  auto r = run_yaml(kModel);
  const auto s = doc(r);
  auto written = s["components"]["table"]["metrics"]["SuccessfulRequests"].get<double>();
  const auto& stream = s["components"]["table"]["stream"];
  CHECK(stream["type"] == "dynamodb_stream");
  CHECK(stream["metrics"]["IncomingRecords"].get<double>() == 2 * written);
  // Every record is processed but those still waiting for the last polls.
  auto processed = s["components"]["indexer"]["metrics"]["RecordsProcessed"].get<double>();
  CHECK(processed <= 2 * written);
  CHECK(processed >= 2 * written - 100);
  // One shard per partition: a new on-demand table has 8 (its 4,000 WCU / 1,000 per partition,
  // plus 12,000 RCU / 3,000), one lane each.
  CHECK(s["components"]["indexer"]["trigger"]["lanes"].get<int>() == s["components"]["table"]["partitions"].get<int>());
  // Polled 4 times a second (not once, as Kinesis): a record waits 125 ms on average for its
  // shard's next poll, plus the batch's own run.
  double age = s["components"]["indexer"]["trigger"]["IteratorAge_ms"]["mean"].get<double>();
  CHECK(age > 60);
  CHECK(age < 250);
  CHECK(s["ledger"]["balanced"].get<bool>());
  // Reads of the stream cost nothing: no stream charge, and what the sources were charged is
  // exactly the components' bill (a charge by the stream would show as a difference).
  CHECK(stream["cost_usd"]["total"].get<double>() == 0.0);
  double charged = 0;
  for (const auto& [name, src] : s["sources"].items()) charged += src["cost_usd"].get<double>();
  CHECK(charged == Approx(s["cost_usd"]["total"].get<double>()).epsilon(1e-9));
  CHECK(sluice::summary_to_json(r) == sluice::summary_to_json(run_yaml(kModel)));
}

TEST_CASE("A trigger on a table needs the table's stream", "[dynamodb][stream]") {
  std::string model = kModel;
  model.replace(model.find("    stream: true\n"), 17, "");
  CHECK_THROWS_WITH(sluice::load_model_from_string(model), Catch::Contains("has no stream: set stream: true"));
}

TEST_CASE("A loop through a table's stream is warned about as one nothing stops", "[dynamodb][stream]") {
  std::string model = kModel;
  model.replace(model.find("    steps: [{cpu: 1ms}]\n    trigger"), 24, "    steps: [{cpu: 1ms}, {write: table}]\n");
  auto m = sluice::load_model_from_string(model);
  bool warned = false;
  for (const auto& w : m.warnings)
    warned = warned || w.message.find("nothing stops a chain through Kinesis or DynamoDB Streams") != std::string::npos;
  CHECK(warned);
}
