// Lambda REPORT lines (aws-facts §1.6) and the statistics of calibrate --logs.
#include <algorithm>
#include <cmath>
#include <fstream>

#include <boost/math/distributions/normal.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "catch.hpp"
#include "sluice/log_calibration.hpp"

TEST_CASE("A plain-text REPORT line is read field by field", "[calibrate-logs]") {
  // The example of the brief (spaces), as `aws logs tail` prints it after a timestamp and stream.
  auto r = sluice::parse_report_line(
      "2026-01-01T00:00:00.351000+00:00 2026/01/01/[$LATEST]abc REPORT RequestId: 3f5c0e4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f "
      "Duration: 102.25 ms Billed Duration: 103 ms Memory Size: 128 MB Max Memory Used: 72 MB Init Duration: 223.47 "
      "ms");
  REQUIRE(r);
  CHECK(r->request_id == "3f5c0e4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f");
  CHECK(r->duration_ms == 102.25);
  CHECK(r->billed_duration_ms == 103);
  CHECK(r->memory_size_mb == 128);
  CHECK(r->max_memory_used_mb == 72);
  REQUIRE(r->init_duration_ms);
  CHECK(*r->init_duration_ms == 223.47);
  CHECK(r->cold());
  // Tab-separated as CloudWatch stores it, warm, with SnapStart, X-Ray and a Status.
  auto warm = sluice::parse_report_line(
      "REPORT RequestId: x\tDuration: 1.79 ms\tBilled Duration: 2 ms\tMemory Size: 1024 MB\tMax Memory Used: 46 "
      "MB\t\n");
  REQUIRE(warm);
  CHECK_FALSE(warm->cold());
  auto snap = sluice::parse_report_line(
      "REPORT RequestId: 24addd09 Duration: 127.10 ms Billed Duration: 154 ms Memory Size: 2048 MB Max Memory Used: "
      "212 "
      "MB Restore Duration: 325.93 ms Billed Restore Duration: 26 ms XRAY TraceId: 1-66d978e5-56c7378e556e94b5461da07c "
      "SegmentId: 29c3839e6ecb5895 Sampled: true Status: timeout");
  REQUIRE(snap);
  CHECK(snap->cold());
  CHECK(*snap->restore_duration_ms == 325.93);
  CHECK(*snap->billed_restore_duration_ms == 26);
  CHECK(snap->status == "timeout");
  // Not REPORT lines: nothing.
  CHECK_FALSE(sluice::parse_report_line("START RequestId: x Version: $LATEST"));
  CHECK_FALSE(sluice::parse_report_line("END RequestId: x"));
}

TEST_CASE("A malformed REPORT line says what is wrong", "[calibrate-logs]") {
  auto message = [](const char* line) {
    try {
      sluice::parse_report_line(line);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("REPORT RequestId: x\tDuration: 10.00 ms\tBilled Dur") ==
        "REPORT line: 'Billed Dur' has no value (is the line cut short?)");
  CHECK(
      message("REPORT RequestId: x Duration: abc ms Billed Duration: 2 ms Memory Size: 128 MB Max Memory Used: 1 MB") ==
      "REPORT line: Duration is 'abc', not a number");
  CHECK(message("REPORT RequestId: x Duration: 1 ms Billed Duration: 2 ms Memory Size: 128 Max Memory Used: 1 MB") ==
        "REPORT line: Memory Size 128 has no unit: expected '128 MB'");
  CHECK(message("REPORT RequestId: x Duration: 1 ms Billed Duration: 2 ms Memory Size: 128 MB") ==
        "REPORT line: Max Memory Used is missing (is the line cut short?)");
  CHECK(message("REPORT RequestId: x Duration: 1 ms Billed Duration: 2 ms Memory Size: 64 MB Max Memory Used: 1 MB") ==
        "Memory Size 64 MB is outside Lambda's 128-10240 MB (aws-facts §1.1)");
  CHECK(message("REPORT RequestId: x Duration: 1 ms Duration: 2 ms") == "REPORT line: Duration appears twice");
  // Quoted text is whole UTF-8 (it reaches JSON output): a byte that is not is refused, and a
  // long value is cut at a character, not in the middle of one.
  CHECK(message("REPORT RequestId: x Duration: \xff ms") == "REPORT line: a byte that is not UTF-8");
  std::string long_value = "REPORT RequestId: x Duration: " + std::string(79, 'a') +
                           "\xc3\xa9"
                           "bc ms";
  CHECK(message(long_value.c_str()) ==
        "REPORT line: Duration is '" + std::string(79, 'a') + "...' (83 bytes in all), not a number");
}

TEST_CASE("A platform.report record of the JSON log format is read", "[calibrate-logs]") {
  // The example of the Telemetry API reference (aws-facts §1.6, S-L21).
  auto j = nlohmann::json::parse(R"({"time": "2022-10-12T00:01:15.000Z", "type": "platform.report",
    "record": {"metrics": {"billedDurationMs": 694, "durationMs": 693.92, "initDurationMs": 397.68,
    "maxMemoryUsedMB": 84, "memorySizeMB": 128}, "requestId": "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa"}})");
  auto r = sluice::parse_platform_report(j);
  REQUIRE(r);
  CHECK(r->duration_ms == 693.92);
  CHECK(r->billed_duration_ms == 694);
  CHECK(r->memory_size_mb == 128);
  CHECK(r->max_memory_used_mb == 84);
  CHECK(*r->init_duration_ms == 397.68);
  CHECK(r->status.empty());
  CHECK_FALSE(sluice::parse_platform_report(nlohmann::json::parse(R"({"type": "platform.start", "record": {}})")));
  j["record"]["metrics"].erase("durationMs");
  CHECK_THROWS_WITH(sluice::parse_platform_report(j), "platform.report: record.metrics.durationMs is missing");
}

TEST_CASE("Reading exports names the file and line of a malformed REPORT", "[calibrate-logs]") {
  const std::string path = "lambda_reports_test.log";
  {
    std::ofstream out(path);
    out << "START RequestId: a Version: $LATEST\n"
        << "REPORT RequestId: a\tDuration: 10.00 ms\tBilled Duration: 10 ms\tMemory Size: 128 MB\tMax Memory Used: 50 "
           "MB\t\n"
        << "REPORT RequestId: b\tDuration: x ms\tBilled Duration: 10 ms\tMemory Size: 128 MB\tMax Memory Used: 50 "
           "MB\t\n"
        << R"({"time":"t","type":"platform.report","record":{"requestId":"c","metrics":{"durationMs":5.5,"billedDurationMs":6,"memorySizeMB":128,"maxMemoryUsedMB":40}}})"
        << "\n";
  }
  CHECK_THROWS_WITH(
      sluice::read_lambda_reports({path}, false),
      path + ":3:31: REPORT line: Duration is 'x', not a number (--skip-bad-lines skips such lines and counts them)");
  auto reading = sluice::read_lambda_reports({path}, true);
  CHECK(reading.reports.size() == 2);
  REQUIRE(reading.bad_lines.size() == 1);
  CHECK(reading.bad_lines[0].where.line == 3);
  CHECK(reading.files[0].format == "text+platform.report");
  CHECK_THROWS_WITH(sluice::read_lambda_reports({"no-such-file.log"}, false),
                    "no-such-file.log: cannot read the log file");
  {
    std::ofstream out(path);
    out << "just the function's own output\n";
  }
  CHECK_THROWS_WITH(
      sluice::read_lambda_reports({path}, false),
      Catch::Contains("no REPORT line") && Catch::Contains("is this the log group of a Lambda function?"));
  std::remove(path.c_str());
}

TEST_CASE("Lilliefors critical values follow Dallal and Wilkinson's table", "[calibrate-logs]") {
  // Lilliefors' table as Dallal & Wilkinson (1986) corrected it: n = 10, 20, 30, 100 at 5% and 1%.
  CHECK(sluice::lilliefors_critical_value(10, 0.05) == Approx(0.262).margin(0.004));
  CHECK(sluice::lilliefors_critical_value(20, 0.01) == Approx(0.223).margin(0.004));
  CHECK(sluice::lilliefors_critical_value(30, 0.05) == Approx(0.159).margin(0.003));
  CHECK(sluice::lilliefors_critical_value(100, 0.01) == Approx(0.104).margin(0.002));
  // Above 100, D scales as n^-0.49: 400 and 900 are in the table too.
  CHECK(sluice::lilliefors_critical_value(400, 0.05) == Approx(0.045).margin(0.002));
  CHECK(sluice::lilliefors_critical_value(900, 0.01) == Approx(0.035).margin(0.002));
}

TEST_CASE("Intervals of a proportion and of a percentile", "[calibrate-logs]") {
  // Wilson's interval of 5 in 100 (Newcombe 1998, method 3: 0.0215 to 0.1118).
  auto w = sluice::wilson_interval(5, 100);
  CHECK(w.share == 0.05);
  CHECK(w.low == Approx(0.0215).margin(1e-4));
  CHECK(w.high == Approx(0.1118).margin(1e-4));
  // The order-statistic interval of the median of 1..1000: ranks 469 and 532 (binomial(1000, 0.5)
  // 2.5% and 97.5% quantiles 469 and 531, plus one).
  std::vector<double> v(1000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i + 1);
  auto m = sluice::measured_percentile(v, 0.5);
  CHECK(m.value == 500);
  CHECK(m.low == 469);
  CHECK(m.high == 532);
  CHECK(m.bounded);
  CHECK_FALSE(sluice::measured_percentile(std::vector<double>(v.begin(), v.begin() + 100), 0.99).bounded);
  CHECK(sluice::bounded_sample_size(0.99) == 368);  // 0.99^368 < 0.025 <= 0.99^367
}

TEST_CASE("fit_positive recovers a lognormal and refuses a bimodal sample", "[calibrate-logs]") {
  // 2,000 quantiles of lognormal(median 100, p99 300): the fit is exact up to the grid.
  const double sigma = std::log(3.0) / 2.3263478740408408;
  boost::math::normal_distribution<double> z;
  std::vector<double> sample, bimodal;
  for (int i = 0; i < 2000; ++i) {
    double q = boost::math::quantile(z, (i + 0.5) / 2000);
    sample.push_back(100 * std::exp(sigma * q));
    bimodal.push_back((i % 2 ? 30.0 : 300.0) * std::exp(0.1 * q));
  }
  auto fit = sluice::fit_positive(sample);
  CHECK(fit.kind == sluice::PositiveFit::Kind::lognormal);
  CHECK(fit.median == Approx(100).epsilon(0.001));
  CHECK(fit.p99 == Approx(300).epsilon(0.005));
  CHECK(fit.ks_statistic < fit.ks_critical);
  auto bad = sluice::fit_positive(bimodal);
  CHECK(bad.kind == sluice::PositiveFit::Kind::empirical);
  CHECK(bad.ks_statistic > bad.ks_critical);
  CHECK(bad.values.size() == sluice::kEmpiricalValues);
  CHECK_THROWS_WITH(sluice::fit_positive({1, 2, 3}), "a fit needs at least 5 values, got 3");
  // With a shift (the calls' latency), the lognormal is of the rest: 100 ms of handler plus a
  // constant 20 ms call is recovered as the handler's 100 ms.
  std::vector<double> shifted = sample;
  for (double& x : shifted) x += 20;
  auto own = sluice::fit_positive(shifted, 0, std::vector<double>(20000, 20.0));
  CHECK(own.kind == sluice::PositiveFit::Kind::lognormal);
  CHECK(own.median == Approx(100).epsilon(0.01));
  CHECK(own.p99 == Approx(300).epsilon(0.02));
}

TEST_CASE("The intervals cover and the lognormal test rejects at their stated levels", "[calibrate-logs]") {
  // 1,000 samples of 1,000 lognormal values (median 100, sigma 0.47) with a fixed seed: each 95%
  // interval must hold the true value in at least 95% of them less 3 binomial standard errors
  // (0.929), and the 1% test must reject a true lognormal at most 1% plus 3 standard errors.
  boost::random::mt19937_64 rng(20261130);
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_01<double> uniform;
  const double mu = std::log(100.0), sigma = 0.47;
  const int replications = 1000;
  const std::size_t n = 1000;
  boost::math::normal_distribution<double> z;
  const double ps[] = {0.5, 0.9, 0.99};
  int covered[3] = {}, rejected = 0, wilson_covered = 0;
  for (int r = 0; r < replications; ++r) {
    std::vector<double> sample(n);
    for (double& x : sample) x = std::exp(mu + sigma * normal(rng));
    if (sluice::fit_positive(sample).kind != sluice::PositiveFit::Kind::lognormal) ++rejected;
    std::sort(sample.begin(), sample.end());
    for (int k = 0; k < 3; ++k) {
      const double truth = std::exp(mu + sigma * boost::math::quantile(z, ps[k]));
      auto m = sluice::measured_percentile(sample, ps[k]);
      if (m.low <= truth && truth <= m.high) ++covered[k];
    }
    std::size_t cold = 0;
    for (std::size_t i = 0; i < n; ++i) cold += uniform(rng) < 0.02;
    auto w = sluice::wilson_interval(cold, n);
    if (w.low <= 0.02 && 0.02 <= w.high) ++wilson_covered;
  }
  const double floor = 0.95 - 3 * std::sqrt(0.95 * 0.05 / replications);
  for (int k = 0; k < 3; ++k) {
    INFO("p" << ps[k] << " covered " << covered[k] << " of " << replications);
    CHECK(covered[k] >= floor * replications);
  }
  INFO("Wilson covered " << wilson_covered << "; the lognormal rejected " << rejected << " times");
  CHECK(wilson_covered >= floor * replications);
  CHECK(rejected <= (0.01 + 3 * std::sqrt(0.01 * 0.99 / replications)) * replications);
}

TEST_CASE("Reports are grouped by function and memory, and the model's calls are named", "[calibrate-logs]") {
  auto report = [](std::string group, int memory, double duration, bool cold) {
    sluice::LambdaReport r;
    r.log_group = std::move(group);
    r.memory_size_mb = memory;
    r.duration_ms = duration;
    r.max_memory_used_mb = 60 + static_cast<int>(duration) % 7;
    if (cold) r.init_duration_ms = 200 + duration;
    r.where = {"export.json", 1, 0};
    return r;
  };
  std::vector<sluice::LambdaReport> reports;
  for (int i = 0; i < 40; ++i) reports.push_back(report("/aws/lambda/checkout", 512, 50 + i, i % 4 == 0));
  for (int i = 0; i < 40; ++i) reports.push_back(report("/aws/lambda/checkout", 1024, 30 + i, i % 8 == 0));
  for (int i = 0; i < 3; ++i) reports.push_back(report("/aws/lambda/refunds", 128, 10 + i, false));
  auto c = sluice::calibrate_reports(reports, {});
  REQUIRE(c.groups.size() == 2);
  CHECK(c.groups[0].function == "checkout");
  CHECK(c.groups[0].memory_mb == 512);
  CHECK(c.groups[0].cold_starts.successes == 10);
  CHECK(c.groups[1].memory_mb == 1024);
  CHECK(c.skipped_groups == std::vector<std::string>{"refunds at 128 MB: 3 REPORT lines; a fit needs at least 5"});
  CHECK(c.across_memory.count("checkout") == 1);
  // --function names every report's function, whatever its log group.
  sluice::LogCalibrationOptions named;
  named.function = "orders";
  CHECK(sluice::calibrate_reports(reports, named).groups[0].function == "orders");
  // Without a log group or a name, the function is unknown.
  reports[0].log_group.clear();
  CHECK_THROWS_WITH(sluice::calibrate_reports(reports, {}), Catch::Contains("name the function with --function"));
  // A model: its write step's latency is named and taken out; an invoke step cannot be.
  named.function = "checkout";
  named.model = sluice::load_model_from_string(R"(sluice: 1
name: m
sources: {s: {target: checkout, arrivals: {process: poisson, rate: 1/s}}}
components:
  checkout: {type: lambda, steps: [{cpu: 10ms}, {write: t}]}
  t: {type: dynamodb, mode: on_demand}
)");
  auto with_calls = sluice::calibrate_reports(reports, named);
  REQUIRE(with_calls.groups[0].calls.size() == 1);
  CHECK(with_calls.groups[0].calls[0].step == "write t");
  CHECK(with_calls.groups[0].calls[0].where == "components.checkout.steps.1");
  CHECK(with_calls.groups[0].handler.median < c.groups[0].handler.median);
  named.function = "refunds";
  CHECK_THROWS_WITH(
      sluice::calibrate_reports(reports, named),
      Catch::Contains("function 'refunds', which is not a lambda of this model (its functions: checkout)"));
  named.function = "checkout";
  named.model = sluice::load_model_from_string(R"(sluice: 1
name: m
sources: {s: {target: checkout, arrivals: {process: poisson, rate: 1/s}}}
components:
  checkout: {type: lambda, steps: [{cpu: 10ms}, {invoke: pricing}]}
  pricing: {type: lambda, steps: [{cpu: 10ms}]}
)");
  CHECK_THROWS_WITH(sluice::calibrate_reports(reports, named),
                    Catch::Contains("components.checkout.steps.1: an invoke step waits for 'pricing'"));
}
