// Regional default quotas are the account's (DESIGN.md §4: every default can be overridden): SNS
// Publish is shared by every topic of the account and Region, and account: overrides each quota
// the engine applies.
#include <cmath>
#include <string>

#include "catch.hpp"
#include "components/dynamodb_on_demand.hpp"
#include "kernel/sim_time.hpp"
#include "model_helpers.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

namespace {

using sluice::test::check_balanced;
using sluice::test::num;

// Two topics, each published to at 20,000/s (Poisson) for 5 s: 40,000/s together against the
// account's 30,000/s (a bucket holding one second).
const char* kTwoTopics = R"(
sluice: 1
name: two-topics
run: {duration: 5s, seed: 3, bucket: 1s}
sources:
  a: {target: t1, arrivals: {process: poisson, rate: 20000/s}, payload: {size: 1KB}}
  b: {target: t2, arrivals: {process: poisson, rate: 20000/s}, payload: {size: 1KB}}
components:
  t1: {type: sns, latency: 1ms, delivery_latency: 1ms, subscribers: [{target: q}]}
  t2: {type: sns, latency: 1ms, delivery_latency: 1ms, subscribers: [{target: q}]}
  q: {type: sqs, latency: 1ms}
)";

double published(const sluice::Results& r) {
  const auto c = doc(r)["components"];
  return num(c["t1"]["metrics"]["NumberOfMessagesPublished"]) + num(c["t2"]["metrics"]["NumberOfMessagesPublished"]);
}
double throttled(const sluice::Results& r) {
  const auto c = doc(r)["components"];
  return num(c["t1"]["metrics"]["Throttled"]) + num(c["t2"]["metrics"]["Throttled"]);
}

}  // namespace

TEST_CASE("Two SNS topics share the account's Publish quota and throttle together", "[account][sns]") {
  auto r = sluice::test::run_yaml(kTwoTopics);
  check_balanced(r);
  double offered = num(doc(r)["sources"]["a"]["requests"]) + num(doc(r)["sources"]["b"]["requests"]);
  REQUIRE(offered > 195'000);
  // Accepted: the bucket's first second plus 30,000/s (aws-facts §3: 30,000/s per account in
  // us-east-1); each topic alone (20,000/s) is well under the quota. Offered 40,000/s, the bucket
  // is empty all but a few moments after its first second is spent (the margin: a few dozen
  // tokens that refill while no publish arrives).
  CHECK(published(r) <= 30000 + 30000 * 5.0);
  CHECK(published(r) >= 30000 + 30000 * 5.0 - 50);
  CHECK(throttled(r) == offered - published(r));
  // Both topics are throttled (their publishes interleave at random): a refused publish is a's
  // with the probability of a's share of the offered load, so t1's throttles are binomial
  // (n = all throttles, p = that share), within 4.8 standard deviations.
  const auto c = doc(r)["components"];
  double share = num(doc(r)["sources"]["a"]["requests"]) / offered, all = throttled(r);
  CHECK(std::abs(num(c["t1"]["metrics"]["Throttled"]) - all * share) < 4.8 * std::sqrt(all * share * (1 - share)));
}

TEST_CASE("account: overrides change the quotas the engine applies", "[account]") {
  SECTION("sns_publish_rate") {
    auto raised = sluice::test::run_yaml(kTwoTopics, 1, {{"account.sns_publish_rate", "50000/s"}});
    CHECK(throttled(raised) == 0);
    auto lowered = sluice::test::run_yaml(kTwoTopics, 1, {{"account.sns_publish_rate", "10000/s"}});
    CHECK(published(lowered) <= 10000 + 10000 * 5.0);
    CHECK(published(lowered) >= 10000 + 10000 * 5.0 - 50);
    check_balanced(lowered);
  }
  SECTION("sqs_fifo_high_throughput_rate") {
    const std::string model = R"(
sluice: 1
name: fifo
run: {duration: 10s, seed: 3}
sources:
  s: {target: q, arrivals: {process: uniform, rate: 1000/s}}
components:
  q: {type: sqs, fifo: true, high_throughput: true, latency: 1ms}
)";
    auto standard = sluice::test::run_yaml(model);
    CHECK(num(doc(standard)["sources"]["s"]["failed"]["throttled"]) == 0);
    // A Region whose high-throughput quota were 500/s: half the sends are refused.
    auto r = sluice::test::run_yaml(model, 1, {{"account.sqs_fifo_high_throughput_rate", "500/s"}});
    double sent = num(doc(r)["components"]["q"]["metrics"]["NumberOfMessagesSent"]);
    CHECK(sent == Approx(500 + 500 * 10.0).margin(2));
    check_balanced(r);
  }
  SECTION("dynamodb_table_quota") {
    const std::string model = R"(
sluice: 1
name: table
run: {duration: 1m, seed: 3}
sources:
  s: {target: f, arrivals: {process: uniform, rate: 10/s}}
components:
  f: {type: lambda, steps: [{write: t}]}
  t: {type: dynamodb, read_capacity: 60000, write_capacity: 100}
)";
    CHECK_THROWS_WITH(sluice::load_model_from_string(model),
                      Catch::Contains("components.t.read_capacity: 60000 is out of range: allowed 1..40000 RCU per "
                                      "second (the per-table quota, aws-facts §5)"));
    sluice::ModelSpec raised = sluice::load_model_from_string(model, {{"account.dynamodb_table_quota", "80000"}});
    CHECK(std::get<sluice::DynamoDbSpec>(raised.components[1].config).read_capacity == 60000);
    // The on-demand ceiling follows the quota.
    using sluice::kernel::SimTime;
    sluice::components::OnDemandThroughput q(4000, 80000);
    for (int s = 0; s < 60; ++s) q.consume(SimTime::seconds(s), 30000);
    CHECK(q.limit(SimTime::seconds(3600)) == 60000);
  }
  SECTION("kinesis_on_demand_write") {
    // 2,000 records/s of 3 KB (5.9 MB/s) on an on-demand stream: by default its capacity grows
    // to twice the peak and the producer stops being throttled; with a ceiling of 4 MB/s (below
    // a new stream's) it stays throttled: at most 4 MB/s (and one second's bucket) gets in.
    const std::string model = R"(
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
    auto grown = sluice::test::run_yaml(model, 9);
    auto capped = sluice::test::run_yaml(model, 9, {{"account.kinesis_on_demand_write", "{size: 4MB, per: 1s}"}});
    double mb = 1024.0 * 1024;
    double grown_bytes = num(doc(grown)["components"]["stream"]["metrics"]["IncomingBytes"]);
    double capped_bytes = num(doc(capped)["components"]["stream"]["metrics"]["IncomingBytes"]);
    CHECK(grown_bytes > 6 * mb * 100);
    CHECK(capped_bytes <= 4 * mb * 151);
    CHECK(capped_bytes >= 4 * mb * 149);
    check_balanced(capped);
  }
}
