// SQS queues and the Lambda SQS event source mapping (aws-facts §2): the queue as an M/M/c
// queue (Erlang C), poison messages and the dead-letter queue, retention, partial batch
// responses, FIFO groups and send throttling, visibility timeouts and duplicates.
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "catch.hpp"
#include "model_helpers.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

using sluice::test::estimate;
using sluice::test::kT999_9df;
using sluice::test::run_yaml;

namespace {

using json = nlohmann::ordered_json;

// Erlang C: the probability that an arrival waits in an M/M/c queue with offered load a.
double erlang_c(int c, double a) {
  double b = 1;  // Erlang B, by its recursion
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  return c * b / (c - a * (1 - b));
}

const json& queue(const json& s, const std::string& name) { return s["components"][name]; }
double metric(const json& s, const std::string& component, const std::string& name) {
  return s["components"][component]["metrics"][name].get<double>();
}

// A source sending to a queue read by `worker`, with a poison message 10 s in.
std::string poison_model(const std::string& queue_keys, const std::string& trigger_keys, const std::string& run) {
  return fmt::format(R"(
sluice: 1
name: poison
run: {{{}}}
sources:
  orders: {{target: q, arrivals: {{process: uniform, rate: 5/s}}}}
components:
  q: {{type: sqs, latency: 2ms, {}}}
  dlq: {{type: sqs}}
  worker:
    type: lambda
    timeout: 30s
    provisioned_concurrency: 5
    steps: [{{io: 50ms}}]
    trigger: {{source: q, {}}}
faults:
  - {{at: 10s, kind: poison_message, target: q, count: 1}}
)",
                     run, queue_keys, trigger_keys);
}

}  // namespace

TEST_CASE("Time in an SQS queue read by c concurrent batches matches Erlang C", "[sqs][erlang]") {
  // M/M/c: Poisson sends, one message per batch, exponential handler time on c provisioned
  // environments, and the mapping limited to c concurrent batches (so it never throttles).
  const int c = 4;
  const double rate = 30, mean_s = 0.1, a = rate * mean_s;
  const std::string model = fmt::format(R"(
sluice: 1
name: erlang-c
run: {{duration: 2100s, warmup: 100s, bucket: 100s}}
sources:
  clients: {{target: q, arrivals: {{process: poisson, rate: {}/s}}}}
components:
  q: {{type: sqs, latency: 1ms}}
  worker:
    type: lambda
    memory: 128MB
    timeout: 900s
    reserved_concurrency: {}
    provisioned_concurrency: {}
    steps: [{{io: {{distribution: exponential, mean: {}ms}}}}]
    trigger: {{source: q, batch_size: 1, max_concurrency: {}}}
)",
                                        rate, c, c, mean_s * 1000, c);
  std::vector<double> waits;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    auto s = doc(run_yaml(model, seed));
    CHECK(metric(s, "worker", "Throttles") == 0);
    CHECK(metric(s, "worker", "ColdStarts") == 0);
    CHECK(s["components"]["worker"]["trigger"]["concurrency"]["max"].get<double>() == c);
    CHECK(s["ledger"]["balanced"].get<bool>());
    waits.push_back(queue(s, "q")["metrics"]["MessageWaitTime_ms"]["mean"].get<double>());
  }
  auto e = estimate(waits);
  double expected = erlang_c(c, a) / (c / mean_s - rate) * 1000;  // W_q = C(c, a) / (c mu - lambda)
  INFO(fmt::format("c={} a={}: mean wait {:.3f} +- {:.3f} ms, Erlang C {:.3f} ms", c, a, e.mean, e.se, expected));
  CHECK(std::abs(e.mean - expected) < kT999_9df * e.se);
  CHECK(e.se < 0.1 * expected);
}

TEST_CASE("A poison message reaches the dead-letter queue after max_receive_count receives", "[sqs][dlq]") {
  auto s = doc(run_yaml(poison_model("visibility_timeout: 5s, dead_letter: {target: dlq, max_receive_count: 3}",
                                     "batch_size: 1", "duration: 2m")));
  CHECK(metric(s, "q", "NumberOfMessagesMovedToDLQ") == 1);
  CHECK(queue(s, "q")["failed"]["dead_lettered"].get<double>() == 1);
  CHECK(metric(s, "dlq", "NumberOfMessagesSent") == 1);
  // Received exactly 3 times, failing each time; every other message once.
  CHECK(metric(s, "worker", "Errors") == 3);
  CHECK(metric(s, "q", "NumberOfMessagesReceived") == metric(s, "q", "NumberOfMessagesSent") + 2);
  CHECK(s["sources"]["orders"]["failed"]["dead_lettered"].get<double>() == 1);
  CHECK(s["components"]["worker"]["trigger"]["failed_batches"].get<double>() == 3);
  CHECK(metric(s, "worker", "Duplicates") == 0);
  CHECK(s["ledger"]["balanced"].get<bool>());
  // The dead-letter copy waits in the DLQ (nobody reads it) without holding its request open.
  CHECK(queue(s, "dlq")["metrics"]["ApproximateNumberOfMessagesVisible"]["max"].get<double>() == 1);
  CHECK(s["sources"]["orders"]["in_flight"].get<double>() <= 1);
}

TEST_CASE("Without a dead-letter queue a poison message returns until its retention expires", "[sqs][retention]") {
  auto s = doc(run_yaml(poison_model("visibility_timeout: 5s, retention: 60s", "batch_size: 1", "duration: 3m")));
  CHECK(queue(s, "q")["failed"]["retention_expired"].get<double>() == 1);
  CHECK(s["sources"]["orders"]["failed"]["retention_expired"].get<double>() == 1);
  CHECK(metric(s, "q", "NumberOfMessagesMovedToDLQ") == 0);
  // Received every 5 s (its visibility timeout) for the 60 s of its retention.
  double errors = metric(s, "worker", "Errors");
  CHECK(errors >= 11);
  CHECK(errors <= 13);
  // The stuck message is the oldest: the age of the oldest message reaches about a minute.
  CHECK(queue(s, "q")["metrics"]["ApproximateAgeOfOldestMessage"]["max"].get<double>() == Approx(60).margin(5.1));
  CHECK(s["ledger"]["balanced"].get<bool>());
}

TEST_CASE("Partial batch responses return only the poison record: without them its batch-mates are redone",
          "[sqs][partial-batch]") {
  const std::string q = "visibility_timeout: 5s, dead_letter: {target: dlq, max_receive_count: 3}";
  const std::string trigger = "batch_size: 10, batching_window: 1s";
  auto whole = doc(run_yaml(poison_model(q, trigger, "duration: 2m")));
  auto partial = doc(run_yaml(poison_model(q, trigger + ", report_batch_item_failures: true", "duration: 2m")));
  for (const auto* s : {&whole, &partial}) {
    CHECK((*s)["sources"]["orders"]["failed"]["dead_lettered"].get<double>() ==
          metric(*s, "q", "NumberOfMessagesMovedToDLQ"));
    CHECK((*s)["components"]["worker"]["trigger"]["batch_size_mean"].get<double>() > 4);
    CHECK((*s)["ledger"]["balanced"].get<bool>());
  }
  // Without partial responses the poison's batch fails as a whole, every time: its batch-mates
  // (back at the head of the queue together) are received with it until all reach the DLQ,
  // and those processed before the poison record are processed again each time.
  CHECK(metric(whole, "worker", "Duplicates") > 0);
  CHECK(metric(whole, "worker", "Errors") == 3);
  CHECK(metric(whole, "q", "NumberOfMessagesMovedToDLQ") > 1);
  CHECK(whole["components"]["worker"]["trigger"]["failed_batches"].get<double>() == 3);
  // With them only the poison record returns: it alone reaches the DLQ, and nothing is redone.
  CHECK(metric(partial, "q", "NumberOfMessagesMovedToDLQ") == 1);
  CHECK(metric(partial, "worker", "Duplicates") == 0);
  CHECK(metric(partial, "worker", "Errors") == 0);  // the handler reported the record and succeeded
  CHECK(partial["components"]["worker"]["trigger"]["partially_failed_batches"].get<double>() == 3);
  // Every message is received once (the poison three times), but for the last window's.
  double sent = metric(partial, "q", "NumberOfMessagesSent");
  CHECK(metric(partial, "q", "NumberOfMessagesReceived") <= sent + 2);
  CHECK(metric(partial, "q", "NumberOfMessagesReceived") >= sent + 2 - 10);
  CHECK(metric(partial, "q", "NumberOfMessagesDeleted") == metric(partial, "q", "NumberOfMessagesReceived") - 3);
}

TEST_CASE("A FIFO queue processes one batch at a time per message group", "[sqs][fifo]") {
  auto model = [](int keys) {
    return fmt::format(R"(
sluice: 1
name: fifo
run: {{duration: 5m, warmup: 10s}}
sources:
  orders:
    target: q
    arrivals: {{process: poisson, rate: 40/s}}
    payload: {{key: {{distribution: uniform, keys: {}}}}}
components:
  q: {{type: sqs, fifo: true, latency: 2ms}}
  worker:
    type: lambda
    timeout: 30s
    steps: [{{io: {{distribution: exponential, mean: 20ms}}}}]
    trigger: {{source: q, batch_size: 5, max_concurrency: 50}}
)",
                       keys);
  };
  for (int keys : {1, 3}) {
    auto s = doc(run_yaml(model(keys)));
    const auto& t = s["components"]["worker"]["trigger"];
    INFO("keys: " << keys);
    CHECK(t["concurrency"]["max"].get<double>() <= keys);
    CHECK(t["concurrency"]["max"].get<double>() >= 1);
    CHECK(metric(s, "worker", "Duplicates") == 0);
    CHECK(metric(s, "worker", "Throttles") == 0);
    CHECK(queue(s, "q")["fifo"].get<bool>());
    CHECK(s["ledger"]["balanced"].get<bool>());
  }
  // One group at 40/s, 20 ms per message: the one batch in flight takes several messages.
  auto one = doc(run_yaml(model(1)));
  CHECK(one["components"]["worker"]["trigger"]["batch_size_mean"].get<double>() > 1);
}

TEST_CASE("A FIFO queue throttles SendMessage above 300 per second unless in high-throughput mode",
          "[sqs][fifo][throttle]") {
  const std::string model = R"(
sluice: 1
name: fifo-throttle
run: {duration: 10s}
sources:
  producer: {target: q, arrivals: {process: uniform, rate: 500/s}, retries: {max_attempts: 1}}
components:
  q: {type: sqs, fifo: true, latency: 1ms}
)";
  auto s = doc(run_yaml(model));
  // The bucket starts full (300) and refills at 300/s.
  double sent = metric(s, "q", "NumberOfMessagesSent");
  CHECK(sent >= 3295);
  CHECK(sent <= 3301);
  CHECK(metric(s, "q", "SendMessageThrottled") == Approx(5000 - sent).margin(1));
  CHECK(s["sources"]["producer"]["failed"]["throttled"].get<double>() > 1600);
  CHECK(s["ledger"]["balanced"].get<bool>());

  auto fast = doc(run_yaml(model, 1, {{"components.q.high_throughput", "true"}}));
  CHECK(metric(fast, "q", "SendMessageThrottled") == 0);
  CHECK(metric(fast, "q", "NumberOfMessagesSent") == Approx(5000).margin(1));
}

TEST_CASE("A visibility timeout shorter than the handler's run produces duplicates", "[sqs][visibility]") {
  auto model = [](const std::string& visibility) {
    return fmt::format(R"(
sluice: 1
name: visibility
run: {{duration: 5m}}
sources:
  orders: {{target: q, arrivals: {{process: poisson, rate: 5/s}}}}
components:
  q: {{type: sqs, latency: 2ms, visibility_timeout: {}}}
  worker:
    type: lambda
    timeout: 60s
    steps: [{{io: {{distribution: exponential, mean: 1s}}}}]
    trigger: {{source: q, batch_size: 1}}
)",
                       visibility);
  };
  auto short_timeout = doc(run_yaml(model("2s")));
  auto long_timeout = doc(run_yaml(model("60s")));
  // About e^-2 = 13.5% of the handlers outlive 2 s: their message is received again.
  double sent = metric(short_timeout, "q", "NumberOfMessagesSent");
  double duplicates = metric(short_timeout, "worker", "Duplicates");
  CHECK(duplicates > 0.05 * sent);
  CHECK(duplicates < 0.25 * sent);
  CHECK(metric(short_timeout, "q", "NumberOfMessagesReceived") > sent);
  CHECK(metric(long_timeout, "worker", "Duplicates") == 0);
  CHECK(metric(long_timeout, "q", "NumberOfMessagesReceived") == metric(long_timeout, "q", "NumberOfMessagesSent"));
  CHECK(short_timeout["ledger"]["balanced"].get<bool>());
  CHECK(long_timeout["ledger"]["balanced"].get<bool>());
}

TEST_CASE("Pollers scale up under a backlog and throttled batches back off", "[sqs][scaling]") {
  // 200/s of 1 s handlers needs about 200 concurrent batches: the mapping starts at 5 and grows
  // by 5 per second. With reserved concurrency 20 and no max_concurrency it throttles.
  const std::string model = R"(
sluice: 1
name: scaling
run: {duration: 2m}
sources:
  orders: {target: q, arrivals: {process: uniform, rate: 200/s}}
components:
  q: {type: sqs, latency: 2ms, visibility_timeout: 10s, dead_letter: {target: dlq, max_receive_count: 2}}
  dlq: {type: sqs}
  worker:
    type: lambda
    timeout: 30s
    steps: [{io: 1s}]
    trigger: {source: q, batch_size: 1}
)";
  auto s = doc(run_yaml(model));
  const auto& t = s["components"]["worker"]["trigger"];
  CHECK(t["max_pollers_allowed"].get<double>() > 100);
  CHECK(t["max_pollers_allowed"].get<double>() <= 5 + 5 * 120);
  CHECK(t["throttled_batches"].get<double>() == 0);
  CHECK(s["ledger"]["balanced"].get<bool>());

  // With reserved concurrency 20 and no max_concurrency the pollers outgrow the function: each
  // throttled batch makes the mapping back off, and its messages return after the visibility
  // timeout having used up a receive; with max_receive_count 1 each of them is dead-lettered.
  auto limited = doc(run_yaml(
      model, 1,
      {{"components.worker.reserved_concurrency", "20"}, {"components.q.dead_letter.max_receive_count", "1"}}));
  const auto& lt = limited["components"]["worker"]["trigger"];
  double throttled = lt["throttled_batches"].get<double>();
  CHECK(throttled > 0);
  CHECK(metric(limited, "worker", "Throttles") == throttled);
  CHECK(lt["max_pollers_allowed"].get<double>() <= 21);  // backs off at the function's limit
  // (those throttled in the last 10 s are still invisible at the end)
  double moved = metric(limited, "q", "NumberOfMessagesMovedToDLQ");
  CHECK(moved <= throttled);
  CHECK(moved >= throttled - 15);
  CHECK(limited["sources"]["orders"]["failed"]["dead_lettered"].get<double>() == moved);
  CHECK(limited["ledger"]["balanced"].get<bool>());
}

TEST_CASE("SQS runs are deterministic and bill requests by 64 KB chunk", "[sqs][determinism]") {
  const std::string model = R"(
sluice: 1
name: sqs-determinism
run: {duration: 2m}
sources:
  orders: {target: q, arrivals: {process: poisson, rate: 20/s}, payload: {size: 100KB}}
components:
  q: {type: sqs, latency: 2ms, delay: 2s, visibility_timeout: 3s, dead_letter: {target: dlq, max_receive_count: 2}}
  dlq: {type: sqs}
  worker:
    type: lambda
    timeout: 30s
    errors: 10%
    steps: [{io: {distribution: exponential, mean: 500ms}}]
    trigger: {source: q, batch_size: 10, batching_window: 1s, report_batch_item_failures: true}
faults:
  - {at: 30s, kind: poison_message, target: q, count: 3}
)";
  auto a = run_yaml(model, 7), b = run_yaml(model, 7);
  CHECK(sluice::summary_to_json(a) == sluice::summary_to_json(b));
  CHECK(sluice::timeseries_to_csv(a) == sluice::timeseries_to_csv(b));
  const auto s = doc(a);
  CHECK(s["ledger"]["balanced"].get<bool>());
  CHECK(metric(s, "q", "NumberOfMessagesMovedToDLQ") >= 3);
  // A delay queue: no message waits less than its 2 s delay.
  CHECK(queue(s, "q")["metrics"]["MessageWaitTime_ms"]["p50"].get<double>() >= 2000 * 0.99);
  // 100 KB = 2 chunks per send; plus ReceiveMessage and DeleteMessageBatch per batch, and the
  // empty receives: at least the sends.
  double sends = metric(s, "q", "NumberOfMessagesSent");
  CHECK(queue(s, "q")["cost_usd"]["requests"].get<double>() >= 2 * sends * 0.40 / 1e6);
  CHECK(queue(s, "q")["cost_usd"]["total"].get<double>() == queue(s, "q")["cost_usd"]["requests"].get<double>());
}
