// The engine against queueing theory: Erlang B, Little's law, token-bucket arithmetic.
#include <fmt/format.h>

#include "catch.hpp"
#include "model_helpers.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

using sluice::test::estimate;
using sluice::test::kT999_9df;
using sluice::test::run_yaml;

namespace {

double erlang_b(int c, double a) {
  double b = 1;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  return b;
}

// M/M/c/c: a function whose reserved concurrency c is all provisioned (no cold starts), Poisson
// arrivals, exponential durations, and no retries: a throttled request is lost.
std::string loss_system(int c, double rate_per_s) {
  return fmt::format(R"(
sluice: 1
run: {{duration: 2000s, warmup: 100s, bucket: 100s}}
sources:
  clients:
    target: f
    arrivals: {{process: poisson, rate: {}/s}}
components:
  f:
    type: lambda
    memory: 128MB
    timeout: 900s
    reserved_concurrency: {}
    provisioned_concurrency: {}
    steps: [{{io: {{distribution: exponential, mean: 1s}}}}]
)",
                     rate_per_s, c, c);
}

}  // namespace

TEST_CASE("Throttle probability of an all-provisioned function matches Erlang B", "[queueing][erlang]") {
  struct Case {
    int c;
    double load;
  };
  for (Case k : {Case{5, 3.0}, Case{20, 15.0}}) {
    std::vector<double> blocked;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      auto r = run_yaml(loss_system(k.c, k.load), seed);
      const auto m = doc(r)["components"]["f"]["metrics"];
      double throttles = m["Throttles"].get<double>(), invocations = m["Invocations"].get<double>();
      REQUIRE(m["ColdStarts"].get<int>() == 0);
      blocked.push_back(throttles / (throttles + invocations));
    }
    auto e = estimate(blocked);
    double expected = erlang_b(k.c, k.load);
    INFO(fmt::format("c={} a={}: simulated {:.5f} +- {:.5f}, Erlang B {:.5f}", k.c, k.load, e.mean, e.se, expected));
    CHECK(std::abs(e.mean - expected) < kT999_9df * e.se);
    CHECK(e.se < 0.1 * expected);  // the check has power: the estimate is tight
  }
}

TEST_CASE("Mean concurrency equals arrival rate times mean duration (Little's law)", "[queueing][little]") {
  const std::string model = R"(
sluice: 1
run: {duration: 600s, warmup: 60s, bucket: 60s}
sources:
  clients:
    target: f
    arrivals: {process: poisson, rate: 50/s}
components:
  f:
    type: lambda
    memory: 512MB
    timeout: 60s
    keep_alive: 2h
    steps: [{io: {distribution: exponential, mean: 200ms}}]
)";
  std::vector<double> concurrency;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    auto r = run_yaml(model, seed);
    const auto m = doc(r)["components"]["f"]["metrics"];
    concurrency.push_back(m["ConcurrentExecutions"]["mean"].get<double>());
    // Little's law with the run's own measured rate and duration holds tightly in every run.
    double rate = m["Invocations"].get<double>() / 540.0;
    double duration_s = m["Duration_ms"]["mean"].get<double>() / 1000;
    CHECK(m["ConcurrentExecutions"]["mean"].get<double>() == Approx(rate * duration_s).epsilon(0.02));
  }
  auto e = estimate(concurrency);
  INFO(fmt::format("mean concurrency {:.4f} +- {:.4f}, expected 10", e.mean, e.se));
  CHECK(std::abs(e.mean - 10.0) < kT999_9df * e.se);
}

TEST_CASE("API Gateway under overload accepts its burst plus its rate", "[queueing][token-bucket]") {
  // 300/s offered against a 100/s throttle with a burst of 50, for 100 s: the bucket starts full
  // and is drained at once, so accepted = 50 + 100/s x 100 s, less the fraction of a token
  // refilled after the last arrival.
  const std::string model = R"(
sluice: 1
run: {duration: 100s, bucket: 10s}
sources:
  clients:
    target: api
    arrivals: {process: poisson, rate: 300/s}
components:
  api:
    type: api_gateway
    throttle: {rate: 100/s, burst: 50}
    target: f
  f:
    type: lambda
    memory: 512MB
    steps: [{io: 10ms}]
)";
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    auto r = run_yaml(model, seed);
    const auto m = doc(r)["components"]["api"]["metrics"];
    double accepted = m["Count"].get<double>() - m["4XXError"].get<double>();
    CHECK(accepted >= 10048);
    CHECK(accepted <= 10050);
    CHECK(m["Count"].get<double>() > 29000);
  }
}
