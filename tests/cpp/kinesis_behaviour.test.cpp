// Kinesis streams and the Lambda Kinesis event source mapping through the public API: shard
// write limits and the producer's retries, lanes (shards x parallelization factor) with one batch
// each, a poison record blocking its shard or given up after max_retry_attempts, bisection,
// retention, on-demand capacity and pricing. Every run's ledger must balance.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "model_helpers.hpp"
#include "sluice/model.hpp"
#include "sluice/results.hpp"
#include "sluice/run.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

namespace {

using json = nlohmann::ordered_json;
using sluice::test::check_balanced;
using sluice::test::fill;
using sluice::test::num;
using sluice::test::u64;

// A producer writing to a stream read by one function.
const char* kStream = R"(
sluice: 1
name: kinesis
run: {duration: $DURATION, seed: 11, bucket: 10s}
sources:
  producer:
    target: stream
    arrivals: {process: $PROCESS, rate: $RATE}
    payload: {size: $SIZE, key: $KEY}
components:
  stream:
    type: kinesis
    $MODE
    latency: 10ms
  consumer:
    type: lambda
    memory: 1024MB
    timeout: 10s
    cold_start: 100ms
    keep_alive: 1h
    steps: [{io: $IO}]
    trigger: {source: stream, batch_size: $BATCH, parallelization_factor: $PF$TRIGGER}
$EXTRA)";

sluice::Results run_stream(std::vector<std::pair<std::string, std::string>> values, std::uint64_t seed = 11) {
  const std::vector<std::pair<std::string, std::string>> defaults{{"$DURATION", "60s"},
                                                                  {"$PROCESS", "poisson"},
                                                                  {"$RATE", "100/s"},
                                                                  {"$SIZE", "1KB"},
                                                                  {"$KEY", "{distribution: uniform, keys: 1000}"},
                                                                  {"$MODE", "shards: 1"},
                                                                  {"$IO", "10ms"},
                                                                  {"$BATCH", "10"},
                                                                  {"$PF", "1"},
                                                                  {"$TRIGGER", ""},
                                                                  {"$EXTRA", ""}};
  for (const auto& d : defaults) values.push_back(d);
  return sluice::test::run_yaml(fill(kStream, values), seed);
}

json stream(const sluice::Results& r) { return doc(r)["components"]["stream"]; }
json trigger(const sluice::Results& r) { return doc(r)["components"]["consumer"]["trigger"]; }
json consumer(const sluice::Results& r) { return doc(r)["components"]["consumer"]; }

}  // namespace

TEST_CASE("kinesis: one shard and parallelization factor 1 process one batch at a time", "[kinesis]") {
  auto r = run_stream({{"$RATE", "200/s"}, {"$IO", "2ms"}});
  check_balanced(r);
  INFO(trigger(r).dump());
  CHECK(u64(trigger(r)["lanes"]) == 1);
  CHECK(num(trigger(r)["concurrency"]["max"]) == 1);
  // 200 records/s, 2 ms per record (records of a batch run one after another): the lane keeps up.
  const json& s = stream(r);
  CHECK(u64(s["metrics"]["WriteProvisionedThroughputExceeded"]) == 0);
  CHECK(num(s["metrics"]["RecordsBacklog"]["max"]) < 200);
  CHECK(u64(consumer(r)["metrics"]["Errors"]) == 0);
  // Every record written is processed once (no failures, so no duplicates), bar the last moments.
  CHECK(u64(doc(r)["end_to_end"]["completed"]) + 100 > u64(s["metrics"]["IncomingRecords"]));
}

TEST_CASE("kinesis: lanes are shards x parallelization factor: busy lanes all run at once", "[kinesis]") {
  // 4 shards x 2: at 2,000 records/s and 50 ms per record every lane always has a backlog.
  auto r = run_stream({{"$MODE", "shards: 4"},
                       {"$PF", "2"},
                       {"$RATE", "2000/s"},
                       {"$IO", "50ms"},
                       {"$DURATION", "20s"},
                       {"$SIZE", "100B"}});
  check_balanced(r);
  INFO(trigger(r).dump());
  CHECK(u64(trigger(r)["lanes"]) == 8);
  CHECK(num(trigger(r)["concurrency"]["max"]) == 8);
  CHECK(num(trigger(r)["concurrency"]["mean"]) > 7);
  CHECK(u64(stream(r)["metrics"]["WriteProvisionedThroughputExceeded"]) == 0);
  // With a backlog every batch is full.
  CHECK(num(trigger(r)["batch_size_mean"]) > 9);
}

TEST_CASE("kinesis: a hot partition key throttles its shard while the stream is under its total limit", "[kinesis]") {
  // 4 shards take 4,000 records/s; 2,000/s in all. Zipf with exponent 2 sends 1/zeta(2) = 61%
  // (about 1,200/s) to one key, hence one shard: over its 1,000 records/s.
  auto zipf = run_stream({{"$MODE", "shards: 4"},
                          {"$RATE", "2000/s"},
                          {"$DURATION", "10s"},
                          {"$SIZE", "100B"},
                          {"$KEY", "{distribution: zipf, keys: 100, exponent: 2}"},
                          {"$IO", "1ms"},
                          {"$BATCH", "100"}});
  check_balanced(zipf);
  CHECK(u64(stream(zipf)["metrics"]["WriteProvisionedThroughputExceeded"]) > 1000);
  CHECK(u64(stream(zipf)["failed"]["throttled"]) > 0);
  // The same load over 1,000 uniform keys: about 500/s per shard, never throttled.
  auto uniform = run_stream({{"$MODE", "shards: 4"},
                             {"$RATE", "2000/s"},
                             {"$DURATION", "10s"},
                             {"$SIZE", "100B"},
                             {"$IO", "1ms"},
                             {"$BATCH", "100"}});
  check_balanced(uniform);
  CHECK(u64(stream(uniform)["metrics"]["WriteProvisionedThroughputExceeded"]) == 0);
}

TEST_CASE("kinesis: a shard accepts 1,000 records/s: the producer retries, then gives up throttled", "[kinesis]") {
  // 1,500 records/s of 100 B (records, not bytes, bind) on one key of a one-shard stream, and
  // no consumer (the records stay until the 24 h retention). The shard's bucket starts full
  // (1,000) and, with demand above its rate, is empty from then on: accepted = 1,000 + 1,000 T,
  // less the fraction of a token left at the end.
  const double T = 20;
  std::string model = R"(
sluice: 1
name: throttled-stream
run: {duration: 20s, seed: 3, bucket: 1s}
sources:
  producer:
    target: stream
    arrivals: {process: poisson, rate: 1500/s}
    payload: {size: 100B, key: {distribution: uniform, keys: 1}}
components:
  stream: {type: kinesis, shards: 1, latency: 10ms}
)";
  auto r = sluice::test::run_yaml(model, 3);
  check_balanced(r);
  const json s = doc(r)["components"]["stream"];
  INFO(s.dump());
  double accepted = num(s["metrics"]["IncomingRecords"]);
  CHECK(accepted <= 1000 + 1000 * T);
  CHECK(accepted >= 1000 + 1000 * T - 3);
  CHECK(u64(s["metrics"]["PutRecord.Success"]) == u64(s["metrics"]["IncomingRecords"]));
  // Requests: Poisson with mean 1,500 T; each either accepted, refused after its 3 attempts, or
  // still between attempts at the end. The refused are the excess demand: about 500 T - 1,000,
  // within the requests' own noise (99.9% t-quantile times the Poisson standard deviation).
  double requests = num(doc(r)["sources"]["producer"]["requests"]);
  double throttled = num(s["failed"]["throttled"]);
  double tolerance = sluice::test::kT999_9df * std::sqrt(1500 * T);
  CHECK(std::abs(requests - 1500 * T) < tolerance);
  CHECK(std::abs(throttled - (requests - accepted)) < 200);  // at most the puts still retrying at the end
  CHECK(std::abs(throttled - (500 * T - 1000)) < tolerance + 200);
  // Every refused request was refused three times (standard SDK: 3 attempts).
  CHECK(num(s["metrics"]["WriteProvisionedThroughputExceeded"]) >= 3 * throttled);
  // The source counts a refusal when its answer arrives: refusals in the run's last 10 ms (the
  // stream's latency) are answered after the end, and those requests are in flight.
  double source_throttled = num(doc(r)["sources"]["producer"]["failed"]["throttled"]);
  CHECK(source_throttled <= throttled);
  CHECK(throttled - source_throttled <= num(doc(r)["sources"]["producer"]["in_flight"]));
}

TEST_CASE("kinesis: a poison record without max_retry_attempts blocks its shard", "[kinesis]") {
  // One shard, 10 records/s; the record written right after 10 s is poison. Lambda retries its
  // batch about once a second for the rest of the run: nothing behind it is processed, and the
  // IteratorAge grows with the run.
  auto r = run_stream({{"$RATE", "10/s"},
                       {"$PROCESS", "uniform"},
                       {"$EXTRA", "faults:\n  - {at: 10s, kind: poison_message, target: stream}\n"}});
  check_balanced(r);
  const json& t = trigger(r);
  INFO(t.dump());
  // The blocked batch's last record was written just after 10 s; the run ends at 60 s.
  CHECK(num(t["IteratorAge_ms"]["max"]) > 48000);
  CHECK(num(t["IteratorAge_ms"]["max"]) < 50500);
  CHECK(u64(t["retries"]) >= 48);
  CHECK(u64(t["retries"]) <= 51);
  CHECK(u64(t["records_given_up"]) == 0);
  // About 100 records processed before the poison; the 500 behind it wait.
  CHECK(u64(doc(r)["end_to_end"]["completed"]) <= 101);
  CHECK(num(stream(r)["metrics"]["RecordsBacklog"]["max"]) >= 495);
  CHECK(u64(doc(r)["ledger"]["messages_in_flight"]) >= 495);
}

TEST_CASE("kinesis: with max_retry_attempts the lane gives the batch up after exactly that many retries", "[kinesis]") {
  auto r = run_stream({{"$RATE", "10/s"},
                       {"$PROCESS", "uniform"},
                       {"$TRIGGER", ", max_retry_attempts: 2"},
                       {"$EXTRA", "faults:\n  - {at: 10s, kind: poison_message, target: stream}\n"}});
  check_balanced(r);
  const json& t = trigger(r);
  INFO(t.dump());
  // 3 invocations contain the poison record (the first and 2 retries), all failing.
  CHECK(u64(t["retries"]) == 2);
  CHECK(u64(consumer(r)["failed"]["function_error"]) == 3);
  // The whole batch is given up (no destination: lost as function_error), then the lane moves on.
  std::uint64_t given_up = u64(t["records_given_up"]);
  CHECK(given_up >= 1);
  CHECK(given_up <= 10);
  CHECK(u64(t["failed"]["function_error"]) == given_up);
  CHECK(u64(doc(r)["sources"]["producer"]["failed"]["function_error"]) == given_up);
  CHECK(num(t["IteratorAge_ms"]["max"]) < 5000);
  // Everything else is processed: 600 written, the last second's possibly still in flight.
  CHECK(u64(doc(r)["end_to_end"]["completed"]) + given_up + 12 >= 600);
}

TEST_CASE("kinesis: bisect_batch_on_error isolates the poison record: only it is given up", "[kinesis]") {
  // A 1 s batching window at 10 records/s makes every batch 10 records. The poison batch splits
  // 10 -> 5 -> 3 -> 2 -> 1 or less; the halves without the poison record succeed; the poison
  // record alone is retried twice, then given up to the on-failure destination.
  auto r =
      run_stream({{"$RATE", "10/s"},
                  {"$PROCESS", "uniform"},
                  {"$BATCH", "10"},
                  {"$IO", "5ms"},
                  {"$TRIGGER",
                   ", batching_window: 1s, max_retry_attempts: 2, bisect_batch_on_error: true, "
                   "on_failure: dlq"},
                  {"$EXTRA", "  dlq: {type: sqs}\nfaults:\n  - {at: 10s, kind: poison_message, target: stream}\n"}});
  check_balanced(r);
  const json& t = trigger(r);
  INFO(t.dump());
  CHECK(u64(t["records_given_up"]) == 1);
  CHECK(u64(t["failed"]["dead_lettered"]) == 1);
  CHECK(u64(t["destination_deliveries"]) == 1);
  CHECK(u64(t["retries"]) == 2);
  CHECK(u64(t["bisections"]) >= 3);
  CHECK(u64(t["bisections"]) <= 4);
  CHECK(num(t["batch_size_mean"]) > 5);
  CHECK(u64(doc(r)["sources"]["producer"]["failed"]["dead_lettered"]) == 1);
  // The good records of the poison batch were processed: all but the poison one complete.
  CHECK(u64(doc(r)["end_to_end"]["completed"]) + 1 + 20 >= 600);
}

TEST_CASE("kinesis: throttled batches are retried without counting toward max_retry_attempts", "[kinesis]") {
  // Two shards, one batch at a time each, but the function may run only one: the other lane's
  // batch is throttled and retried at its shard's next poll, never given up.
  auto r = run_stream({{"$MODE", "shards: 2"},
                       {"$RATE", "50/s"},
                       {"$IO", "20ms"},
                       {"$DURATION", "30s"},
                       {"$TRIGGER", ", max_retry_attempts: 0"}});
  auto throttled = run_stream({{"$MODE", "shards: 2"},
                               {"$RATE", "50/s"},
                               {"$IO", "20ms"},
                               {"$DURATION", "30s"},
                               {"$TRIGGER", ", max_retry_attempts: 0"},
                               {"    keep_alive: 1h\n", "    keep_alive: 1h\n    reserved_concurrency: 1\n"}});
  check_balanced(r);
  check_balanced(throttled);
  const json& t = trigger(throttled);
  INFO(t.dump());
  CHECK(u64(trigger(r)["throttled_batches"]) == 0);
  CHECK(u64(t["throttled_batches"]) > 0);
  CHECK(num(t["concurrency"]["max"]) <= 2);
  CHECK(u64(t["retries"]) == 0);
  CHECK(u64(t["records_given_up"]) == 0);
  CHECK(u64(consumer(throttled)["metrics"]["Throttles"]) == u64(t["throttled_batches"]));
}

TEST_CASE(
    "kinesis: a batch refused by a Lambda outage does not count toward max_retry_attempts, one whose "
    "handler failed on a call does",
    "[kinesis][retries]") {
  // 10 records/s on one shard, max_retry_attempts 1. From 10 s to 40 s either the function itself
  // is down (Lambda answers 5xx: the batch never reaches the handler) or the table it writes to is
  // (the handler runs and fails on its write: a function error). aws-facts §4 S-L20: retry
  // attempts "don't apply to service errors or throttles where the batch didn't reach the
  // function".
  const std::string table = "    steps: [{io: 10ms}, {write: table}]\n";
  auto with_outage = [&](const std::string& target) {
    return run_stream({{"$RATE", "10/s"},
                       {"$PROCESS", "uniform"},
                       {"$TRIGGER", ", max_retry_attempts: 1"},
                       {"    steps: [{io: $IO}]\n", table},
                       {"$EXTRA",
                        "  table: {type: dynamodb, mode: on_demand}\nfaults:\n  - {at: 10s, for: 30s, "
                        "kind: outage, target: " +
                            target + "}\n"}});
  };
  auto refused = with_outage("consumer");
  auto failed = with_outage("table");
  check_balanced(refused);
  check_balanced(failed);
  const json& r = trigger(refused);
  INFO(r.dump());
  // Refused: retried at each poll until the outage ends, nothing given up, no retry counted.
  CHECK(u64(r["retries"]) == 0);
  CHECK(u64(r["records_given_up"]) == 0);
  CHECK(u64(r["bisections"]) == 0);
  CHECK(u64(consumer(refused)["metrics"]["Errors"]) == 0);
  // The records written during the outage are processed after it: 600 in all, bar the last second.
  CHECK(u64(doc(refused)["end_to_end"]["completed"]) + 12 >= 600);
  CHECK(num(r["IteratorAge_ms"]["max"]) > 29000);
  // Handler failed on its write: each failed batch counts; after one retry the records are lost
  // as dependency_failed, the public reason.
  const json& f = trigger(failed);
  INFO(f.dump());
  CHECK(u64(f["retries"]) > 0);
  CHECK(u64(f["records_given_up"]) > 0);
  CHECK(u64(f["failed"]["dependency_failed"]) == u64(f["records_given_up"]));
  CHECK(u64(doc(failed)["sources"]["producer"]["failed"]["dependency_failed"]) == u64(f["records_given_up"]));
}

TEST_CASE("kinesis: report_batch_item_failures checkpoints at the poison record", "[kinesis]") {
  auto r = run_stream({{"$RATE", "10/s"},
                       {"$PROCESS", "uniform"},
                       {"$TRIGGER", ", max_retry_attempts: 1, report_batch_item_failures: true"},
                       {"$EXTRA", "faults:\n  - {at: 10s, kind: poison_message, target: stream}\n"}});
  check_balanced(r);
  const json& t = trigger(r);
  INFO(t.dump());
  // The handler stops at the poison record and reports it: the records before it succeed (no
  // function errors at all), the rest of the batch from the poison record on is retried once,
  // then given up; no record is processed twice.
  CHECK(u64(consumer(r)["metrics"]["Errors"]) == 0);
  CHECK(u64(t["retries"]) == 1);
  CHECK(u64(t["records_given_up"]) >= 1);
  CHECK(u64(t["records_given_up"]) <= 10);
  CHECK(u64(consumer(r)["metrics"]["Duplicates"]) == 0);
}

TEST_CASE("kinesis: max_record_age gives up records a blocked shard holds too long", "[kinesis]") {
  auto r = run_stream({{"$RATE", "10/s"},
                       {"$PROCESS", "uniform"},
                       {"$DURATION", "150s"},
                       {"$TRIGGER", ", max_record_age: 60s"},
                       {"$EXTRA", "faults:\n  - {at: 10s, kind: poison_message, target: stream}\n"}});
  check_balanced(r);
  const json& t = trigger(r);
  INFO(t.dump());
  // The poison batch expires about 60 s after it was written, with the records written in the
  // poll interval behind it; the lane catches up afterwards.
  CHECK(u64(t["failed"]["expired"]) >= 1);
  CHECK(u64(t["failed"]["expired"]) <= 25);
  CHECK(num(t["IteratorAge_ms"]["max"]) < 62000);
  CHECK(num(t["IteratorAge_ms"]["max"]) > 55000);
  CHECK(u64(doc(r)["sources"]["producer"]["failed"]["expired"]) == u64(t["failed"]["expired"]));
  CHECK(u64(doc(r)["end_to_end"]["completed"]) + u64(t["failed"]["expired"]) + 12 >= 1500);
}

TEST_CASE("kinesis: records pass the stream's retention", "[kinesis]") {
  // No consumer: a record stays until its 24 h retention. One record a minute for 25 h: those
  // of the first hour have expired by the end, the rest are still in the stream.
  std::string orphan = R"(
sluice: 1
name: retention
run: {duration: 25h, seed: 5, bucket: 1h}
sources:
  producer:
    target: stream
    arrivals: {process: uniform, rate: 1/min}
components:
  stream: {type: kinesis, shards: 1, retention: 24h}
)";
  auto r = sluice::test::run_yaml(orphan, 5);
  check_balanced(r);
  const json s = doc(r)["components"]["stream"];
  INFO(s.dump());
  CHECK(u64(s["failed"]["retention_expired"]) >= 59);
  CHECK(u64(s["failed"]["retention_expired"]) <= 61);
  CHECK(u64(doc(r)["ledger"]["messages_in_flight"]) >= 1439);

  // A shard blocked by a poison record (retries forever, the default) is freed by retention:
  // the poison record expires at 24 h (the IteratorAge reaches it), then the records behind it,
  // younger, are processed at once.
  std::string blocked = R"(
sluice: 1
name: retention-blocked
run: {duration: 25h, seed: 5, bucket: 1h}
sources:
  producer:
    target: stream
    arrivals: {process: uniform, rate: 1/min}
components:
  stream: {type: kinesis, shards: 1, retention: 24h}
  consumer:
    type: lambda
    memory: 512MB
    keep_alive: 1h
    steps: [{io: 1ms}]
    trigger: {source: stream, batch_size: 1}
faults:
  - {at: 30m, kind: poison_message, target: stream}
)";
  auto b = sluice::test::run_yaml(blocked, 5);
  check_balanced(b);
  const json t = doc(b)["components"]["consumer"]["trigger"];
  INFO(t.dump());
  CHECK(num(t["IteratorAge_ms"]["max"]) > 0.99 * 86400e3);
  CHECK(num(t["IteratorAge_ms"]["max"]) < 86402e3);
  const json bs = doc(b)["components"]["stream"];
  CHECK(u64(bs["failed"]["retention_expired"]) == 1);
  CHECK(u64(doc(b)["sources"]["producer"]["failed"]["retention_expired"]) == 1);
  CHECK(u64(t["retries"]) > 86000);
  CHECK(u64(doc(b)["ledger"]["messages_in_flight"]) <= 1);
  CHECK(u64(doc(b)["end_to_end"]["completed"]) >= 1498);
}

TEST_CASE("kinesis: on-demand capacity follows twice the peak", "[kinesis]") {
  // 2,000 records/s of 3 KB = 5.9 MB/s against a new stream's 4 MB/s: throttled in the first
  // minute; from the second minute on its capacity is twice the first minute's writes (8 MB/s).
  std::string model = R"(
sluice: 1
name: on-demand
run: {duration: 150s, seed: 9, bucket: 10s}
sources:
  producer:
    target: stream
    arrivals: {process: poisson, rate: 2000/s}
    payload: {size: 3KB}
components:
  stream: {type: kinesis, mode: on_demand}
)";
  auto r = sluice::test::run_yaml(model, 9);
  check_balanced(r);
  const json s = doc(r)["components"]["stream"];
  INFO(s.dump());
  CHECK(s["mode"] == "on_demand");
  CHECK(u64(s["shards"]) == 4);
  CHECK(u64(s["metrics"]["WriteProvisionedThroughputExceeded"]) > 1000);
  // Throttled only in the first minute: the bytes accepted after it are all the demand.
  double first_minute_max = 4 * 1048576.0 * 61;
  double demand_after = 2000 * 3072.0 * 89;
  CHECK(num(s["metrics"]["IncomingBytes"]) > 0.95 * (first_minute_max * 0.9 + demand_after));
  double requests = num(doc(r)["sources"]["producer"]["requests"]);
  CHECK(num(s["failed"]["throttled"]) < requests * 0.2);
  // Costs: the stream-hour, data written (each record rounded up to 1 KB: 3 KB here).
  double hours = 150.0 / 3600;
  CHECK(num(s["cost_usd"]["stream_hours"]) == Approx(0.04 * hours));
  CHECK(num(s["cost_usd"]["data_written"]) ==
        Approx(num(s["metrics"]["IncomingRecords"]) * 3072.0 / (1024.0 * 1024 * 1024) * 0.08));
  CHECK(num(doc(r)["cost_usd"]["by_dimension"]["kinesis.data_written"]) == Approx(num(s["cost_usd"]["data_written"])));
}

TEST_CASE("kinesis: provisioned pricing: shard-hours and 25 KB PUT payload units", "[kinesis]") {
  auto r = run_stream({{"$MODE", "shards: 3"}, {"$SIZE", "30KB"}, {"$RATE", "20/s"}, {"$DURATION", "600s"}});
  check_balanced(r);
  const json& s = stream(r);
  INFO(s.dump());
  CHECK(num(s["cost_usd"]["shard_hours"]) == Approx(3 * 0.015 * 600.0 / 3600));
  // 30 KB is 2 payload units of 25 KB.
  CHECK(num(s["cost_usd"]["put_units"]) == Approx(num(s["metrics"]["IncomingRecords"]) * 2 * 0.014 / 1e6));
  CHECK(num(doc(r)["cost_usd"]["by_dimension"]["kinesis.shard_hours"]) == Approx(num(s["cost_usd"]["shard_hours"])));
  // The stream's costs are attributed to the only source, with the function's.
  double source_cost = num(doc(r)["sources"]["producer"]["cost_usd"]);
  CHECK(source_cost == Approx(num(doc(r)["cost_usd"]["total"])).epsilon(1e-6));
}

TEST_CASE("kinesis: same seed, same summary", "[kinesis]") {
  std::vector<std::pair<std::string, std::string>> v{
      {"$MODE", "shards: 2"},
      {"$PF", "3"},
      {"$RATE", "300/s"},
      {"$DURATION", "30s"},
      {"$KEY", "{distribution: zipf, keys: 50, exponent: 1.1}"},
      {"$TRIGGER", ", max_retry_attempts: 3, bisect_batch_on_error: true, batching_window: 500ms"},
      {"$EXTRA", "faults:\n  - {at: 5s, kind: poison_message, target: stream, count: 3}\n"}};
  auto a = run_stream(v), b = run_stream(v);
  check_balanced(a);
  CHECK(doc(a).dump() == doc(b).dump());
  auto c = run_stream(v, 12);
  CHECK(doc(a).dump() != doc(c).dump());
}

namespace {

// `consumers` functions reading one shard (standard iterators), each taking `io` per record.
sluice::Results run_readers(int consumers, const std::string& rate, const std::string& size, double seconds,
                            const std::string& io = "1ms") {
  std::string m = R"(
sluice: 1
name: readers
run: {duration: )" +
                  std::to_string(static_cast<int>(seconds)) + R"(s, seed: 5, bucket: 1s}
sources:
  producer:
    target: stream
    arrivals: {process: uniform, rate: )" +
                  rate + R"(}
    payload: {size: )" +
                  size + R"(}
components:
  stream: {type: kinesis, shards: 1, latency: 1ms}
)";
  for (int c = 1; c <= consumers; ++c)
    m += "  reader" + std::to_string(c) +
         ":\n    type: lambda\n    memory: 1024MB\n    keep_alive: 1h\n"
         "    steps: [{io: " +
         io + "}]\n    trigger: {source: stream, batch_size: 1000, batching_window: 0s}\n";
  return sluice::test::run_yaml(m, 5);
}

double processed(const sluice::Results& r, int c) {
  return num(doc(r)["components"]["reader" + std::to_string(c)]["metrics"]["RecordsProcessed"]);
}

}  // namespace

TEST_CASE("kinesis: standard consumers share a shard's 2 MB/s of reads", "[kinesis][reads]") {
  // 100 records/s of 10 KB: 1,000 KB/s written, within the shard's 1 MB/s of writes. Two
  // consumers read 2 x 1,000 KB/s, within the shard's 2 MB/s (aws-facts §4): both keep up. Three
  // would read 3,000 KB/s: together they get 2 MB/s (2,048 KB/s, 204.8 records/s), each about a
  // third, and fall behind.
  const double T = 60, written_per_s = 100, kb = 1024;
  auto two = run_readers(2, "100/s", "10KB", T);
  auto three = run_readers(3, "100/s", "10KB", T);
  check_balanced(two);
  check_balanced(three);
  const json s2 = doc(two)["components"]["stream"]["metrics"];
  const json s3 = doc(three)["components"]["stream"]["metrics"];
  INFO(s2.dump() << "\n" << s3.dump());
  double written = num(s2["IncomingRecords"]);
  REQUIRE(written == Approx(written_per_s * T).margin(2));
  // Two: each reads every record (bar the last poll's), at most 1,000 KB/s each.
  for (int c = 1; c <= 2; ++c) {
    CHECK(processed(two, c) >= written - 2 * written_per_s);
    CHECK(processed(two, c) <= written);
  }
  CHECK(num(s2["GetRecords.Bytes"]) <= 2 * 1024 * kb * T + 2 * 1024 * kb);
  // Three: what the shard allowed: its first second (2 MB) and 2 MB/s, plus at most one call's
  // 10 MB of debt; and, the consumers always asking for more, no less than 2 MB/s over T - 1 s.
  double read = num(s3["GetRecords.Bytes"]);
  CHECK(read <= 2 * 1024 * kb * (T + 1) + 10 * 1024 * kb);
  CHECK(read >= 2 * 1024 * kb * (T - 1));
  CHECK(num(s3["ReadProvisionedThroughputExceeded"]) > 0);
  // Together they process what they read (bar the batches in flight at the end): about 2/3 of
  // the 3 x 1,000 KB/s they need. AWS promises no fair share among consumers, and sluice gives
  // none: whichever poller calls first when the shard allows reads.
  double all = processed(three, 1) + processed(three, 2) + processed(three, 3);
  CHECK(all <= read / (10 * kb));
  CHECK(all >= 204.8 * (T - 1) - 3 * 1000);  // less what was read but not yet processed (a batch each)
  // At most (2 MB x (T + 1) + 10 MB) / 10 KB = 13,517 records of the 3 x 6,000 they need.
  CHECK(all <= (2 * 1024 * (T + 1) + 10 * 1024) / 10);
  CHECK(all < 0.76 * 3 * written);
  double age = 0;
  for (int c = 1; c <= 3; ++c)
    age =
        std::max(age, num(doc(three)["components"]["reader" + std::to_string(c)]["trigger"]["IteratorAge_ms"]["max"]));
  CHECK(age > 10'000);
}

TEST_CASE("kinesis: a shard serves 5 GetRecords calls a second", "[kinesis][reads]") {
  // One consumer, 200 small records/s, 4 ms per record: busy 80% of the time. After each batch
  // the records that arrived meanwhile are waiting, so, unlimited, it would read again at once,
  // in ever smaller batches. The shard allows 5 calls a second (aws-facts §4): each call brings
  // the records of about 200 ms, 40, processed as one batch (160 ms), and the next call waits.
  const double T = 60;
  auto r = run_readers(1, "200/s", "100B", T, "4ms");
  check_balanced(r);
  const json s = doc(r)["components"]["stream"]["metrics"];
  const json t = doc(r)["components"]["reader1"]["trigger"];
  INFO(s.dump() << "\n" << t.dump());
  double calls = num(s["GetRecords.Success"]);
  CHECK(calls <= 5 * T + 5);
  CHECK(calls >= 5 * (T - 1));
  CHECK(num(s["ReadProvisionedThroughputExceeded"]) > 0.5 * calls);
  CHECK(num(t["batch_size_mean"]) == Approx(40).margin(4));
  CHECK(num(t["IteratorAge_ms"]["max"]) < 1500);
  CHECK(processed(r, 1) >= num(s["IncomingRecords"]) - 200);
  // A consumer that catches up waits for its shard's next poll (once a second): a fast one
  // makes a few calls at each poll and stays under the limit.
  auto fast = run_readers(1, "200/s", "100B", T);
  CHECK(num(doc(fast)["components"]["stream"]["metrics"]["ReadProvisionedThroughputExceeded"]) == 0);
}
