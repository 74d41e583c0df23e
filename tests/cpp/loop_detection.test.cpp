// Lambda's recursive-loop detection (aws-facts §1.5 S-L16): a function invoked more than 16 times
// in one chain of requests is stopped. Counted per function, for the functions that sit on a loop
// of the architecture: a long pipeline of distinct functions is not a loop and runs to its end.
#include <string>

#include <fmt/format.h>

#include "catch.hpp"
#include "model_helpers.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

namespace {

using sluice::test::check_balanced;
using sluice::test::num;

// Functions f1 .. fn, each triggered by its queue q1 .. qn (batch size 1) and sending to the
// next queue; the last sends to `last_sends_to` (nothing if empty). One chain per second.
std::string chain_model(int n, const std::string& last_sends_to, const std::string& duration) {
  std::string m = fmt::format(R"(
sluice: 1
name: chain
run: {{duration: {}, seed: 4}}
sources:
  orders: {{target: q1, arrivals: {{process: uniform, rate: 1/s}}}}
components:
  dlq: {{type: sqs}}
)",
                              duration);
  for (int i = 1; i <= n; ++i) {
    std::string next = i < n ? fmt::format("q{}", i + 1) : last_sends_to;
    std::string steps = next.empty() ? "[{cpu: 1ms}]" : fmt::format("[{{cpu: 1ms}}, {{send: {}}}]", next);
    m += fmt::format(
        "  q{0}: {{type: sqs, latency: 2ms, visibility_timeout: 5s, dead_letter: {{target: dlq, max_receive_count: "
        "1}}}}\n"
        "  f{0}:\n"
        "    type: lambda\n"
        "    keep_alive: 1h\n"
        "    steps: {1}\n"
        "    trigger: {{source: q{0}, batch_size: 1}}\n",
        i, steps);
  }
  return m;
}

double metric(const sluice::Results& r, int f, const char* name) {
  return num(doc(r)["components"][fmt::format("f{}", f)]["metrics"][name]);
}

}  // namespace

TEST_CASE("A pipeline of 50 distinct functions through queues runs to its end", "[recursion]") {
  auto r = sluice::test::run_yaml(chain_model(50, "", "3m"));
  check_balanced(r);
  const auto orders = doc(r)["sources"]["orders"];
  double requests = num(orders["requests"]);
  CHECK(requests >= 179);  // uniform arrivals, one a second for 3 minutes
  // Every message reaches f50 (bar the chains still under way at the end), and nothing is stopped.
  CHECK(metric(r, 50, "RecordsProcessed") + num(orders["in_flight"]) == requests);
  CHECK(num(orders["in_flight"]) <= 5);
  for (int f = 1; f <= 50; ++f) CHECK(metric(r, f, "RecursiveInvocationsDropped") == 0);
  CHECK(num(doc(r)["components"]["dlq"]["metrics"]["NumberOfMessagesSent"]) == 0);
  CHECK(num(orders["completed"]) == requests - num(orders["in_flight"]));
  // No loop, no warning about one.
  const auto warnings = doc(r)["warnings"];
  for (const auto& w : warnings) CHECK(w.dump().find("loop") == std::string::npos);
}

TEST_CASE("A loop of two functions is stopped at a function's 17th invocation in the chain", "[recursion]") {
  // f1 -> q2 -> f2 -> q1 -> f1 ...: each chain runs f1 16 times and f2 16 times; the 17th
  // invocation of f1 is stopped and its message ends in the dead-letter queue. (Counting hops of
  // the chain rather than invocations per function would stop it after 8 rounds.)
  auto r = sluice::test::run_yaml(chain_model(2, "q1", "5m"));
  check_balanced(r);
  double chains = num(doc(r)["sources"]["orders"]["requests"]);
  double stopped = metric(r, 1, "RecursiveInvocationsDropped");
  INFO("chains " << chains << ", stopped " << stopped);
  // A chain takes a few seconds (32 invocations and their sends); the last ones are under way.
  CHECK(stopped >= chains - 10);
  CHECK(stopped <= chains);
  CHECK(metric(r, 2, "RecursiveInvocationsDropped") == 0);
  CHECK(metric(r, 1, "RecordsProcessed") >= 16 * stopped);
  CHECK(metric(r, 1, "RecordsProcessed") <= 16 * chains);
  CHECK(metric(r, 2, "RecordsProcessed") >= 16 * stopped);
  CHECK(metric(r, 2, "RecordsProcessed") <= 16 * chains);
  // A stopped message returns after the visibility timeout (5 s) and goes to the dead-letter queue.
  double dead = num(doc(r)["sources"]["orders"]["failed"]["dead_lettered"]);
  CHECK(dead <= stopped);
  CHECK(dead >= stopped - 6);
  CHECK(num(doc(r)["components"]["dlq"]["metrics"]["NumberOfMessagesSent"]) == dead);
}

TEST_CASE("A loop of 14 functions is counted exactly, a loop of 15 shares a counter and stops sooner", "[recursion]") {
  // 14 counters per chain (LoopCounts::kSlots). A 14-function ring runs 16 rounds. In a 15-function
  // ring f1 and f15 share a counter that counts both, so the chain is stopped at f1's 9th
  // invocation: never later than AWS would stop it, and in this case earlier.
  auto exact = sluice::test::run_yaml(chain_model(14, "q1", "10m"));
  auto shared = sluice::test::run_yaml(chain_model(15, "q1", "10m"));
  check_balanced(exact);
  check_balanced(shared);
  double stopped14 = metric(exact, 1, "RecursiveInvocationsDropped");
  double stopped15 = metric(shared, 1, "RecursiveInvocationsDropped");
  REQUIRE(stopped14 > 500);
  REQUIRE(stopped15 > 500);
  double chains14 = num(doc(exact)["sources"]["orders"]["requests"]);
  double chains15 = num(doc(shared)["sources"]["orders"]["requests"]);
  for (int f = 1; f <= 14; ++f) {
    CHECK(metric(exact, f, "RecordsProcessed") >= 16 * stopped14);
    CHECK(metric(exact, f, "RecordsProcessed") <= 16 * chains14);
  }
  for (int f = 1; f <= 15; ++f) {
    CHECK(metric(shared, f, "RecordsProcessed") >= 8 * stopped15);
    CHECK(metric(shared, f, "RecordsProcessed") <= 8 * chains15);
  }
  CHECK(metric(shared, 15, "RecursiveInvocationsDropped") == 0);
}

TEST_CASE("A synchronous invocation that would be a function's 17th in the chain is refused", "[recursion]") {
  // q1 -> a -invoke-> b -> q2 -> e -invoke-> b -> q2 -> e ...: b is invoked synchronously once per
  // round, e from its queue. b's 17th invocation comes from e's 16th: Lambda refuses it
  // (RecursiveInvocationException), e fails on the call and its message is dead-lettered.
  const std::string model = R"(
sluice: 1
name: sync-in-loop
run: {duration: 5m, seed: 4}
sources:
  orders: {target: q1, arrivals: {process: uniform, rate: 1/s}}
components:
  dlq: {type: sqs}
  q1: {type: sqs, latency: 2ms}
  q2: {type: sqs, latency: 2ms, visibility_timeout: 5s, dead_letter: {target: dlq, max_receive_count: 1}}
  a: {type: lambda, keep_alive: 1h, steps: [{invoke: b}], trigger: {source: q1, batch_size: 1}}
  b: {type: lambda, keep_alive: 1h, steps: [{cpu: 1ms}, {send: q2}]}
  e: {type: lambda, keep_alive: 1h, steps: [{invoke: b}], trigger: {source: q2, batch_size: 1}}
)";
  auto r = sluice::test::run_yaml(model);
  check_balanced(r);
  const auto c = doc(r)["components"];
  double chains = num(doc(r)["sources"]["orders"]["requests"]);
  double stopped = num(c["b"]["metrics"]["RecursiveInvocationsDropped"]);
  CHECK(stopped >= chains - 5);
  CHECK(stopped <= chains);
  CHECK(num(c["e"]["metrics"]["RecursiveInvocationsDropped"]) == 0);
  CHECK(num(c["b"]["failed"]["rejected"]) == stopped);  // as a stopped asynchronous event is
  CHECK(num(c["e"]["failed"]["dependency_failed"]) == stopped);
  CHECK(num(c["b"]["metrics"]["RecordsProcessed"]) >= 16 * stopped);
  CHECK(num(c["b"]["metrics"]["RecordsProcessed"]) <= 16 * chains);
  double dead = num(doc(r)["sources"]["orders"]["failed"]["dead_lettered"]);
  CHECK(dead <= stopped);
  CHECK(dead >= stopped - 6);
}

TEST_CASE("A loop through a Kinesis stream is not stopped: the detection does not follow streams", "[recursion]") {
  // a -> k (Kinesis) -> b -> q (SQS) -> a ...: the loader warns that nothing stops it, and at run
  // time a record read from the stream starts a new chain, so neither a nor b is ever stopped.
  const std::string model = R"(
sluice: 1
name: kinesis-loop
run: {duration: 2m, seed: 4}
sources:
  orders: {target: q, arrivals: {process: uniform, rate: 1/s}}
components:
  q: {type: sqs, latency: 2ms}
  k: {type: kinesis, shards: 1, latency: 2ms}
  a: {type: lambda, keep_alive: 1h, steps: [{put: k}], trigger: {source: q, batch_size: 1}}
  b: {type: lambda, keep_alive: 1h, steps: [{send: q}], trigger: {source: k, batch_size: 1}}
)";
  auto r = sluice::test::run_yaml(model);
  check_balanced(r);
  const auto c = doc(r)["components"];
  double chains = num(doc(r)["sources"]["orders"]["requests"]);
  CHECK(num(c["a"]["metrics"]["RecursiveInvocationsDropped"]) == 0);
  CHECK(num(c["b"]["metrics"]["RecursiveInvocationsDropped"]) == 0);
  // Each round takes about a second (the stream is polled once a second): the first chains have
  // gone round far more than 16 times.
  CHECK(num(c["a"]["metrics"]["RecordsProcessed"]) > 40 * chains);
}
