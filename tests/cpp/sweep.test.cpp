// Sweeps (sluice/sweep.hpp): the grammar of --set values and ranges, the grid, seeds per
// replication, the 95% intervals, metric checks before the first run, and results that do not
// depend on the number of threads.
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "sluice/run.hpp"
#include "sluice/sweep.hpp"

namespace {

// A small model: a few thousand requests in five simulated minutes.
const std::string kTiny = R"(sluice: 1
name: tiny
run: {duration: 5m, warmup: 1m, seed: 7, bucket: 1m}
sources:
  shoppers:
    target: api
    arrivals: {process: poisson, rate: 20/s}
components:
  api: {type: api_gateway, target: checkout}
  checkout:
    type: lambda
    memory: 512MB
    timeout: 10s
    errors: 0.5%
    steps:
      - cpu: {distribution: lognormal, median: 20ms, p99: 80ms}
      - io: {distribution: lognormal, median: 15ms, p99: 120ms}
  failed: {type: sqs}
)";

sluice::ModelSpec tiny(std::vector<sluice::Override> overrides = {}) {
  return sluice::load_model_from_string(kTiny, overrides, "<tiny>", SLUICE_SOURCE_DIR);
}

std::vector<std::string> values(const std::string& text) { return sluice::parse_sweep_parameter(text).values; }

std::string error_of(const std::string& text) {
  try {
    sluice::parse_sweep_parameter(text);
  } catch (const sluice::ModelError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("Sweep values: lists, ranges with a count or a step, in LO's unit", "[sweep]") {
  auto p = sluice::parse_sweep_parameter("components.f.memory=512MB,1GB, 2GB");
  CHECK(p.key_path == "components.f.memory");
  CHECK(p.values == std::vector<std::string>{"512MB", "1GB", "2GB"});
  CHECK(values("sources.s.arrivals.rate=100/s..500/s:5") ==
        std::vector<std::string>{"100/s", "200/s", "300/s", "400/s", "500/s"});
  CHECK(values("k=512MB..2GB:+512MB") == std::vector<std::string>{"512MB", "1024MB", "1536MB", "2048MB"});
  CHECK(values("k=1GB..2GB:3") == std::vector<std::string>{"1GB", "1.5GB", "2GB"});
  CHECK(values("k=0.1..0.3:+0.1") == std::vector<std::string>{"0.1", "0.2", "0.3"});  // HI despite rounding
  CHECK(values("k=1..10:4") == std::vector<std::string>{"1", "4", "7", "10"});
  CHECK(values("k=0..10s:3") == std::vector<std::string>{"0s", "5s", "10s"});  // LO without a unit: HI's
  CHECK(values("k=250ms..1s:+250ms") == std::vector<std::string>{"250ms", "500ms", "750ms", "1000ms"});
  CHECK(values("k=1%..3%:3") == std::vector<std::string>{"1%", "2%", "3%"});
  CHECK(values("k=128MB,1GB..2GB:2") == std::vector<std::string>{"128MB", "1GB", "2GB"});  // lists mix
  // A comma inside YAML belongs to its value; ".." without a range's shape is a value.
  CHECK(values("k={on_failure: dlq, max_retries: 1},[1, 2]") ==
        std::vector<std::string>{"{on_failure: dlq, max_retries: 1}", "[1, 2]"});
  CHECK(values("k=../traces/a.csv") == std::vector<std::string>{"../traces/a.csv"});
}

TEST_CASE("Bad sweep values are one clear error naming the --set", "[sweep]") {
  CHECK(error_of("components.f.memory") ==
        "--set components.f.memory: expected key.path=values, like components.f.memory=512MB,1GB or "
        "sources.s.arrivals.rate=100/s..500/s:5");
  CHECK(error_of("k=1GB,1GB") == "--set k=1GB,1GB: k: '1GB' is given twice; each value must appear once");
  CHECK(error_of("k=1,,2") ==
        "--set k=1,,2: k: an empty value; expected values like components.f.memory=512MB,1GB "
        "or sources.s.arrivals.rate=100/s..500/s:5");
  CHECK(error_of("k=512MB..10s:3").find("LO..HI needs two numbers or two quantities of one kind") != std::string::npos);
  CHECK(error_of("k=2GB..1GB:3").find("LO must be below HI") != std::string::npos);
  CHECK(error_of("k=1..2:1").find("the count after ':' must be from 2 to 10000") != std::string::npos);
  CHECK(error_of("k=1..2:99999999").find("must be from 2 to 10000") != std::string::npos);
  CHECK(error_of("k=1GB..2GB:+0MB").find("the step after ':+' must be a size above zero") != std::string::npos);
  CHECK(error_of("k=1..1000000:+1").find("more than 10000 values") != std::string::npos);
}

TEST_CASE("The grid is every combination, the first key varying slowest", "[sweep]") {
  auto grid = sluice::sweep_grid({sluice::parse_sweep_parameter("a=1,2"), sluice::parse_sweep_parameter("b=x,y,z")});
  REQUIRE(grid.size() == 6);
  std::vector<std::string> seen;
  for (const auto& point : grid) seen.push_back(point[0].value + point[1].value);
  CHECK(seen == std::vector<std::string>{"1x", "1y", "1z", "2x", "2y", "2z"});
  CHECK(grid[4][0].key_path == "a");
  CHECK(grid[4][1].key_path == "b");
  CHECK(sluice::sweep_grid({}).size() == 1);  // no keys: the model itself
}

TEST_CASE("The 95% intervals: Student's t for quantities, Garwood and t for counts", "[sweep][stats]") {
  // t(0.975, df) from tables
  CHECK(sluice::t_quantile_975(1) == Approx(12.7062).margin(1e-4));
  CHECK(sluice::t_quantile_975(2) == Approx(4.3027).margin(1e-4));
  CHECK(sluice::t_quantile_975(30) == Approx(2.0423).margin(1e-4));
  CHECK(std::isnan(sluice::t_quantile_975(0)));
  auto q = sluice::mean_interval({10, 12, 17});
  double half = 4.302653 * std::sqrt(13.0 / 3);  // s² = 13
  CHECK(q.mean == 13);
  CHECK(q.low == Approx(13 - half).epsilon(1e-6));
  CHECK(q.high == Approx(13 + half).epsilon(1e-6));
  CHECK(q.n == 3);
  auto one = sluice::mean_interval({4});
  CHECK((one.mean == 4 && std::isnan(one.low) && std::isnan(one.high) && one.n == 1));
  // Garwood: the "rule of three" at zero, and chi-square tables at 10.
  CHECK(sluice::poisson_interval(0).first == 0);
  CHECK(sluice::poisson_interval(0).second == Approx(3.6889).margin(1e-4));
  CHECK(sluice::poisson_interval(10).first == Approx(4.7954).margin(1e-4));
  CHECK(sluice::poisson_interval(10).second == Approx(18.3904).margin(1e-4));
  // A count never goes below zero where t would ...
  auto t = sluice::mean_interval({0, 0, 3});
  REQUIRE(t.low < 0);
  auto c = sluice::count_interval({0, 0, 3});
  CHECK(c.low == 0);
  CHECK(c.high >= t.high);
  CHECK(c.high >= sluice::poisson_interval(3).second / 3);
  // ... all zeros give the rule of three, and a bursty count at least the t interval.
  auto zeros = sluice::count_interval({0, 0, 0});
  CHECK((zeros.low == 0 && zeros.high == Approx(3.6889 / 3).margin(1e-4)));
  auto bursty = sluice::count_interval({1000, 1100, 1300});
  auto bursty_t = sluice::mean_interval({1000, 1100, 1300});
  CHECK((bursty.low == bursty_t.low && bursty.high == bursty_t.high));
  // Counts only when every replication's value is one.
  CHECK(sluice::metric_interval({{0, true}, {0, true}, {3, true}}).low == 0);
  CHECK(sluice::metric_interval({{0, true}, {0, false}, {3, true}}).low == t.low);
}

TEST_CASE("Replication r runs with seed + r, and the metrics are the summary's numbers", "[sweep]") {
  sluice::SweepSettings s;
  s.metrics = {"run.seed", "sources.shoppers.requests", "cost_usd.total", "cost_usd.by_dimension.lambda.requests"};
  s.seed = 40;
  s.duration_ns = 120e9;
  auto r2 = sluice::run_replication(tiny(), s, 2);
  CHECK(r2[0].value == 42);
  CHECK(r2[0].count);
  CHECK(r2[1].count);
  CHECK_FALSE(r2[2].count);
  sluice::RunOptions o;
  o.seed = 42;
  o.duration_ns = 120e9;
  auto direct = sluice::read_metrics(sluice::run(tiny(), o), s.metrics);
  for (std::size_t m = 0; m < s.metrics.size(); ++m) CHECK(r2[m].value == direct[m].value);
  CHECK(r2[3].value > 0);  // a key holding dots joins the path as it is
  CHECK(sluice::replication_seed(UINT64_MAX - 1, 1) == UINT64_MAX);
  CHECK_THROWS_AS(sluice::replication_seed(UINT64_MAX, 1), sluice::ModelError);
}

TEST_CASE("A sweep's results are the same whatever the number of threads", "[sweep]") {
  std::vector<sluice::ModelSpec> points;
  for (const auto& point :
       sluice::sweep_grid({sluice::parse_sweep_parameter("components.checkout.memory=256MB,1GB"),
                           sluice::parse_sweep_parameter("sources.shoppers.arrivals.rate=5/s,20/s")}))
    points.push_back(tiny(point));
  sluice::SweepSettings s;
  s.metrics = sluice::default_sweep_metrics(points[0]);
  s.metrics.push_back("components.checkout.metrics.ColdStarts");
  s.replications = 3;
  s.seed = 11;
  s.duration_ns = 150e9;
  sluice::check_sweep(points, {}, s);
  auto one = sluice::sweep(points, s, {1, {}, {}});
  std::size_t progress_calls = 0, last_done = 0;
  sluice::SweepExecution three{3,
                               [&](std::size_t done, std::size_t total) {
                                 ++progress_calls;
                                 CHECK(total == 12);
                                 CHECK(done > last_done);
                                 last_done = done;
                               },
                               {}};
  auto many = sluice::sweep(points, s, three);
  CHECK(last_done == 12);
  CHECK(progress_calls >= 1);
  REQUIRE(one.size() == 4);
  REQUIRE(many.size() == 4);
  for (std::size_t p = 0; p < 4; ++p) {
    REQUIRE(one[p].runs.size() == 3);
    for (std::size_t r = 0; r < 3; ++r)
      for (std::size_t m = 0; m < s.metrics.size(); ++m) CHECK(one[p].runs[r][m].value == many[p].runs[r][m].value);
    for (std::size_t m = 0; m < s.metrics.size(); ++m) {
      CHECK(one[p].intervals[m].mean == many[p].intervals[m].mean);
      CHECK(one[p].intervals[m].low == many[p].intervals[m].low);
      CHECK(one[p].intervals[m].n == 3);
    }
  }
  // The replications differ (their seeds do), and common random numbers pair them across points:
  // replication r of every point has seed 11 + r.
  CHECK(one[0].runs[0][2].value != one[0].runs[1][2].value);
  // More memory, lower p99 (metric 0: the source's p99).
  CHECK(one[2].intervals[0].mean < one[0].intervals[0].mean);
}

TEST_CASE("Unknown metrics fail before the first run, with a suggestion and the point", "[sweep]") {
  sluice::SweepSettings s;
  s.replications = 2;
  auto message = [&](const std::vector<sluice::ModelSpec>& points, const std::vector<std::string>& labels) {
    try {
      sluice::check_sweep(points, labels, s);
    } catch (const sluice::ModelError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  s.metrics = {"cost_usd.total", "sources.shopers.latency_ms.p99"};
  CHECK(message({tiny()}, {}) ==
        "--metric: metric 'sources.shopers.latency_ms.p99' is not in this model's summary; did you mean "
        "'sources.shoppers.latency_ms.p99' or 'sources.shoppers.latency_ms.p999' or "
        "'sources.shoppers.latency_ms.p90'? ('sources' holds: shoppers)");
  s.metrics = {"components.checkout.metrics.Coldstarts"};
  CHECK(message({tiny()}, {}).find("did you mean 'components.checkout.metrics.ColdStarts'") != std::string::npos);
  s.metrics = {"end_to_end.latency_ms.p98"};
  CHECK(message({tiny()}, {}).find("did you mean 'end_to_end.latency_ms.p99'") != std::string::npos);
  // A function's asynchronous-invocation metrics exist only with an on-failure destination.
  s.metrics = {"components.checkout.metrics.AsyncEventsReceived"};
  auto with = tiny({{"components.checkout.async", "{on_failure: failed}"}});
  auto without = tiny({{"components.checkout.async", "{max_retries: 1}"}});
  CHECK(message({with}, {}) == "no error");
  CHECK(message({with, without}, {"async={on_failure: failed}", "async={max_retries: 1}"})
            .find("--metric: metric 'components.checkout.metrics.AsyncEventsReceived' is not in this model's "
                  "summary") != std::string::npos);
  CHECK(message({with, without}, {"async={on_failure: failed}", "async={max_retries: 1}"})
            .find("(at async={max_retries: 1})") != std::string::npos);
  // The other checks: replications, the run's options, seeds within 64 bits.
  s.metrics = {"cost_usd.total"};
  s.replications = 0;
  CHECK(message({tiny()}, {}) == "--replications: expected 1 to 10000 replications, got 0");
  s.replications = 2;
  s.duration_ns = 30e9;  // within the warm-up
  CHECK(message({tiny()}, {}).find("run.warmup: the warm-up (1m) must be shorter than the run") != std::string::npos);
  s.duration_ns.reset();
  s.seed = UINT64_MAX;
  CHECK(message({tiny()}, {}).find("seed + replications - 1 must be at most 2^64 - 1") != std::string::npos);
}

TEST_CASE("Interrupting a sweep stops the runs in flight and leaves with the interrupt", "[sweep]") {
  // Runs of 366 simulated days would take minutes each: the sweep returns only because it stops.
  std::vector<sluice::ModelSpec> points{tiny({{"run.bucket", "5m"}})};
  sluice::SweepSettings s;
  s.metrics = {"cost_usd.total"};
  s.replications = 4;
  s.duration_ns = 366 * 86400e9;
  struct Interrupt : std::runtime_error {
    Interrupt() : std::runtime_error("interrupt") {}
  };
  sluice::SweepExecution e{2, {}, [] { throw Interrupt(); }};
  CHECK_THROWS_AS(sluice::sweep(points, s, e), Interrupt);
}

TEST_CASE("A run that fails stops the sweep with its error", "[sweep]") {
  auto point = tiny({{"run.budget", "{events: 1000}"}});
  sluice::SweepSettings s;
  s.metrics = {"cost_usd.total"};
  s.replications = 3;
  CHECK_THROWS_AS(sluice::sweep({point, point}, s, {2, {}, {}}), sluice::RunAborted);
}
