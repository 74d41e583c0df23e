// Traffic from CloudWatch metrics (issue 13 item 3): get-metric-data JSON and timestamp,value CSV
// become counts per period; the header tells a metric from measurements; malformed data points are
// errors with file and line unless skipped; a function fed by an event source mapping is refused;
// and a model driven by the trace sends exactly the exported counts, period by period.
#include <unistd.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>

#include <fmt/format.h>

#include "catch.hpp"
#include "model_helpers.hpp"
#include "sluice/metric_traffic.hpp"
#include "sluice/run.hpp"

namespace fs = std::filesystem;
using sluice::CalibrationFile;
using sluice::MetricReadOptions;
using sluice::read_metric_traffic;

namespace {

struct ExportDir {
  fs::path dir = fs::temp_directory_path() / ("sluice-metric-traffic-" + std::to_string(::getpid()));
  ExportDir() { fs::create_directories(dir); }
  ~ExportDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
};

using sluice::test::refusal;

constexpr std::int64_t kStart = 1796032800;  // 2026-11-30T10:00:00Z

// get-metric-data as the AWS CLI prints it (4-space indent, newest first, empty periods omitted).
std::string get_metric_data(const std::vector<std::int64_t>& counts, std::int64_t period,
                            const char* status = "Complete") {
  std::string ts, vs;
  for (std::size_t k = counts.size(); k-- > 0;) {
    if (counts[k] == 0) continue;
    ts += fmt::format("{}                \"{}\"", ts.empty() ? "" : ",\n",
                      sluice::utc_timestamp(kStart + static_cast<std::int64_t>(k) * period).substr(0, 19) + "+00:00");
    vs += fmt::format("{}                {}.0", vs.empty() ? "" : ",\n", counts[k]);
  }
  return fmt::format(
      "{{\n    \"MetricDataResults\": [\n        {{\n            \"Id\": \"m1\",\n            \"Label\": \"Count\",\n"
      "            \"Timestamps\": [\n{}\n            ],\n            \"Values\": [\n{}\n            ],\n"
      "            \"StatusCode\": \"{}\"\n        }}\n    ],\n    \"Messages\": []\n}}\n",
      ts, vs, status);
}

}  // namespace

TEST_CASE("get-metric-data JSON, newest first with empty periods left out, becomes counts oldest first", "[metrics]") {
  ExportDir d;
  std::vector<std::int64_t> counts{12, 9, 7, 0, 0, 30};
  auto path = d.write("count.json", get_metric_data(counts, 60));
  auto t = read_metric_traffic(path);
  CHECK(t.counts == counts);
  CHECK(t.period_s == 60);
  CHECK(t.period_inferred);
  CHECK(t.start_epoch_s == kStart);
  CHECK(t.data_points == 4);
  CHECK(t.missing_periods == 2);
  CHECK(t.label == "Count");
  CHECK(t.metric == "Count");
  CHECK(t.warnings.empty());
  CHECK(sluice::classify_calibration_file(path) == CalibrationFile::metrics_json);
}

TEST_CASE("a timestamp,value CSV reads like the JSON, and offsets and Unix seconds are the same instants",
          "[metrics]") {
  ExportDir d;
  auto path = d.write("count.csv",
                      "timestamp,value\r\n2026-11-30T10:02:00Z,4\r\n# a comment\r\n2026-11-30T11:00:00+01:00,5\r\n"
                      "1796032860,6\r\n");
  auto t = read_metric_traffic(path);
  CHECK(t.counts == std::vector<std::int64_t>{5, 6, 4});
  CHECK(t.period_s == 60);
  CHECK(t.metric.empty());
  CHECK(sluice::classify_calibration_file(path) == CalibrationFile::metrics_csv);
}

TEST_CASE("the header tells measurements from a metric, and anything else names both headers", "[metrics]") {
  ExportDir d;
  CHECK(sluice::classify_calibration_file(d.write("m.csv", "memory_mb,duration_ms\n512,20\n")) ==
        CalibrationFile::measurements);
  for (const char* text : {"512,20\n1024,10\n", "time,count\n1,2\n", "timestamp,value,extra\n", ""}) {
    std::string message = refusal([&] { sluice::classify_calibration_file(d.write("x.csv", text)); });
    INFO(message);
    CHECK(message.find("memory,duration") != std::string::npos);
    CHECK(message.find("timestamp,value") != std::string::npos);
  }
  CHECK(refusal([&] {
          sluice::classify_calibration_file(d.write("x.csv", "512,20\n"));
        }).rfind(d.dir.string() + "/x.csv:1:1: ", 0) == 0);
  CHECK(refusal([&] {
          read_metric_traffic(d.write("m.csv", "memory,duration\n512,20\n"));
        }).find("this is a measurements file") != std::string::npos);
  CHECK(refusal([&] { read_metric_traffic(d.dir.string()); }).find("it is a directory") != std::string::npos);
}

TEST_CASE("a malformed data point is an error at its line, or skipped and counted with skip_bad_lines", "[metrics]") {
  ExportDir d;
  std::string json = get_metric_data({3, 4, 5, 6}, 60);
  // The Values are on lines 13-16 (newest first: 6, 5, 4, 3): make the 4 (line 15) null.
  auto at = json.find("4.0");
  json.replace(at, 3, "null");
  auto path = d.write("bad.json", json);
  std::string message = refusal([&] { read_metric_traffic(path); });
  CHECK(message == path +
                       ":15:1: Values[2]: null is not a number of requests (--skip-bad-lines skips such lines "
                       "and counts them)");
  MetricReadOptions skip;
  skip.skip_bad_lines = true;
  auto t = read_metric_traffic(path, skip);
  CHECK(t.skipped_lines == 1);
  CHECK(t.counts == std::vector<std::int64_t>{3, 0, 5, 6});
  REQUIRE(t.skipped.size() == 1);
  CHECK(t.skipped[0].rfind(path + ":15:1: ", 0) == 0);

  auto csv = d.write("bad.csv",
                     "timestamp,value\n2026-11-30T10:00:00Z,1\n2026-11-30T10:01:00Z,2.5\nyesterday,3\n"
                     "2026-11-30T10:02:00Z\n2026-11-30T10:03:00Z,-1\n2026-11-30T10:04:00Z,2\n2026-11-30T10:05:00Z,7\n");
  CHECK(refusal([&] { read_metric_traffic(csv); }).rfind(csv + ":3:1: '2.5' is not a whole number of requests", 0) ==
        0);
  auto c = read_metric_traffic(csv, skip);
  CHECK(c.skipped_lines == 4);
  CHECK(c.counts == std::vector<std::int64_t>{1, 0, 0, 0, 2, 7});
  // Unix milliseconds are not seconds: refused, not read as a period of 60,000 s; far-off numbers
  // never reach the period arithmetic.
  auto ms = d.write("ms.csv", "timestamp,value\n1796032800000,1\n1796032860000,2\n");
  CHECK(refusal([&] { read_metric_traffic(ms); }).find(":2:1: '1796032800000' is not a timestamp") !=
        std::string::npos);
  CHECK(refusal([&] { read_metric_traffic(ms); }).find("milliseconds? divide by 1000") != std::string::npos);
  std::string far = get_metric_data({1, 2}, 60);
  far.replace(far.find("\"2026-11-30T10:01:00+00:00\""), 27, "1e300");
  CHECK(refusal([&] { read_metric_traffic(d.write("far.json", far)); }).find("is not a timestamp") !=
        std::string::npos);
}

TEST_CASE("irregular spacing, duplicates, one data point, PartialData and errors CloudWatch returned", "[metrics]") {
  ExportDir d;
  auto irregular = d.write("i.csv",
                           "timestamp,value\n2026-11-30T10:00:00Z,1\n2026-11-30T10:01:00Z,1\n"
                           "2026-11-30T10:02:30Z,1\n");
  CHECK(refusal([&] { read_metric_traffic(irregular); }).find(":4:1: irregular spacing") != std::string::npos);
  // Only gaps of two and three periods: the period is their common divisor, and that is said.
  auto sparse = read_metric_traffic(d.write("g.csv",
                                            "timestamp,value\n2026-11-30T10:00:00Z,1\n"
                                            "2026-11-30T10:02:00Z,1\n2026-11-30T10:05:00Z,1\n"));
  CHECK(sparse.period_s == 60);
  CHECK(sparse.counts == std::vector<std::int64_t>{1, 0, 1, 0, 0, 1});
  REQUIRE(sparse.warnings.size() == 1);
  CHECK(sparse.warnings[0].find("greatest common divisor") != std::string::npos);
  auto dup = d.write("d.csv", "timestamp,value\n2026-11-30T10:00:00Z,1\n2026-11-30T10:00:00Z,2\n");
  CHECK(refusal([&] { read_metric_traffic(dup); }).find(":3:1: the timestamp 2026-11-30T10:00:00Z appears twice") !=
        std::string::npos);
  CHECK(refusal([&] {
          read_metric_traffic(d.write("h.csv", "timestamp,value\n2026-11-30T10:00:00Z,1e300\n"));
        }).find("too large") != std::string::npos);
  auto one = d.write("o.csv", "timestamp,value\n2026-11-30T10:00:00Z,9\n");
  CHECK(refusal([&] { read_metric_traffic(one); }).find("--period") != std::string::npos);
  MetricReadOptions with_period;
  with_period.period_s = 300;
  CHECK(read_metric_traffic(one, with_period).period_s == 300);
  // A declared period the data points are not spaced by is refused too.
  with_period.period_s = 120;
  CHECK(refusal([&] {
          read_metric_traffic(d.write("t.csv",
                                      "timestamp,value\n2026-11-30T10:00:00Z,1\n"
                                      "2026-11-30T10:01:00Z,1\n"));
        }).empty());
  CHECK(!refusal([&] {
           read_metric_traffic(d.write("t.csv", "timestamp,value\n2026-11-30T10:00:00Z,1\n2026-11-30T10:01:00Z,1\n"),
                               with_period);
         }).empty());

  auto partial = read_metric_traffic(d.write("p.json", get_metric_data({1, 2}, 60, "PartialData")));
  REQUIRE(partial.warnings.size() == 1);
  CHECK(partial.warnings[0].find("NextToken") != std::string::npos);
  CHECK(refusal([&] {
          read_metric_traffic(d.write("f.json", get_metric_data({1, 2}, 60, "Forbidden")));
        }).find("StatusCode Forbidden") != std::string::npos);
  CHECK(refusal([&] {
          read_metric_traffic(d.write("s.json", "{\"MetricDataResults\": [\n  {\"Id\": \"m1\",,}]}"));
        }).find("s.json:2:1: not valid JSON") != std::string::npos);
  CHECK(refusal([&] {
          read_metric_traffic(d.write("a.json", "{\"Datapoints\": []}"));
        }).find("expected the output of aws cloudwatch get-metric-data") != std::string::npos);
  std::string two =
      "{\"MetricDataResults\": [{\"Id\": \"a\", \"Timestamps\": [\"2026-11-30T10:00:00Z\", "
      "\"2026-11-30T10:01:00Z\"], \"Values\": [1, 2]}, {\"Id\": \"b\", \"Timestamps\": [], \"Values\": []}]}";
  auto two_path = d.write("two.json", two);
  CHECK(refusal([&] { read_metric_traffic(two_path); }).find("choose one with --id ('a', 'b')") != std::string::npos);
  MetricReadOptions pick;
  pick.id = "a";
  CHECK(read_metric_traffic(two_path, pick).counts == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("a function fed by an SQS mapping is refused, and async invocation and client retries are warned of",
          "[metrics]") {
  ExportDir d;
  auto path = d.write("inv.csv", "timestamp,value\n2026-11-30T10:00:00Z,3\n2026-11-30T10:01:00Z,4\n");
  auto model = sluice::load_model_from_string(
      "sluice: 1\nsources:\n"
      "  producer: {target: jobs, arrivals: {rate: 1/s}}\n"
      "  caller: {target: f, invocation: async, retries: {max_attempts: 3}, arrivals: {rate: 1/s}}\n"
      "components:\n  jobs: {type: sqs}\n"
      "  worker: {type: lambda, trigger: {source: jobs, batch_size: 10}, steps: [{cpu: 1ms}]}\n"
      "  f: {type: lambda, steps: [{cpu: 1ms}]}\n");
  auto t = read_metric_traffic(path);
  std::string refused = refusal([&] { sluice::check_metric_source(t, model, "producer", "worker", "Invocations"); });
  CHECK(refused.find("'worker' is fed by the sqs mapping from 'jobs'") != std::string::npos);
  CHECK(refused.find("NumberOfMessagesSent") != std::string::npos);
  CHECK(refusal([&] {
          sluice::check_metric_source(t, model, "producer", "", "Count");
        }).find("Count is not a metric of 'jobs', a sqs") != std::string::npos);
  CHECK(refusal([&] { sluice::check_metric_source(t, model, "nobody"); }).find("there is no source 'nobody'") !=
        std::string::npos);
  auto q = read_metric_traffic(path);
  sluice::check_metric_source(q, model, "producer");  // the queue's NumberOfMessagesSent are arrivals
  CHECK(q.metric == "NumberOfMessagesSent");
  CHECK(q.warnings.empty());
  auto a = read_metric_traffic(path);
  sluice::check_metric_source(a, model, "caller");
  CHECK(a.metric == "Invocations");
  REQUIRE(a.warnings.size() == 3);
  CHECK(a.warnings[0].find("throttled") != std::string::npos);
  CHECK(a.warnings[1].find("asynchronously") != std::string::npos);
  CHECK(a.warnings[2].find("max_attempts: 3") != std::string::npos);
}

TEST_CASE("a model driven by the trace of a sine-modulated Poisson export sends the exported counts per period",
          "[metrics]") {
  // Counts per 60 s period ~ Poisson(60 s x rate(t)), rate(t) = 20/s x (1 + 0.5 sin(2 pi t / 1 h)).
  constexpr double kMean = 20, kAmplitude = 0.5, kCycle = 3600, kPeriod = 60;
  constexpr int kPeriods = 180;
  boost::random::mt19937 rng(20261130);
  std::vector<std::int64_t> counts;
  double expected_total = 0, expected_cos_sum = 0;
  for (int k = 0; k < kPeriods; ++k) {
    double mid = (k + 0.5) * kPeriod;
    double lambda = kPeriod * kMean * (1 + kAmplitude * std::sin(2 * std::numbers::pi * mid / kCycle));
    counts.push_back(boost::random::poisson_distribution<std::int64_t>(lambda)(rng));
    expected_total += lambda;
    expected_cos_sum += lambda * std::sin(2 * std::numbers::pi * mid / kCycle);
  }
  ExportDir d;
  auto json = d.write("api.json", get_metric_data(counts, 60));
  auto traffic = read_metric_traffic(json);
  REQUIRE(traffic.counts == counts);

  // The generating parameters come back within Poisson tolerance: the total has variance equal to
  // its mean; the sine's weight sum(count_k sin_k) has variance sum(lambda_k sin_k^2) <= total.
  double total = 0, sine_weight = 0;
  for (int k = 0; k < kPeriods; ++k) {
    total += static_cast<double>(traffic.counts[static_cast<std::size_t>(k)]);  // as read, not as generated
    sine_weight += static_cast<double>(traffic.counts[static_cast<std::size_t>(k)]) *
                   std::sin(2 * std::numbers::pi * (k + 0.5) * kPeriod / kCycle);
  }
  constexpr double kZ = 4.0;  // two-sided 99.994%: a fixed seed never fails, a wrong reading does
  CHECK(std::abs(total - expected_total) < kZ * std::sqrt(expected_total));
  CHECK(std::abs(sine_weight - expected_cos_sum) < kZ * std::sqrt(expected_total));

  std::ofstream(d.dir / "api.trace.csv") << sluice::metric_trace_csv(traffic);
  auto yaml = sluice::metric_source_yaml(traffic, "shoppers", "api.trace.csv");
  CHECK(yaml.find("trace: {file: api.trace.csv, format: counts, interval: 1m}") != std::string::npos);
  CHECK(yaml.find("duration: 3h") != std::string::npos);
  auto model = sluice::load_model_from_string(
      "sluice: 1\nrun: {duration: 3h, bucket: 1m}\nsources:\n  shoppers:\n    target: f\n    arrivals:\n"
      "      trace: {file: api.trace.csv, format: counts, interval: 1m}\n"
      "components:\n  f: {type: lambda, steps: [{cpu: 1ms}]}\n",
      {}, "<test>", d.dir.string());
  sluice::RunOptions o;
  o.seed = 3;
  auto results = sluice::run(model, o);
  const auto& ts = results.timeseries;
  std::vector<std::int64_t> sent(kPeriods, 0);
  for (std::size_t i = 0; i < ts.rows(); ++i)
    if (ts.components[ts.component[i]] == "shoppers" && ts.metrics[ts.metric[i]] == "Requests")
      sent[static_cast<std::size_t>(ts.time_s[i] / kPeriod)] = std::llround(ts.value[i]);
  CHECK(sent == counts);
  CHECK(static_cast<double>(sluice::summary::find(results.summary.sources, "shoppers")->requests) == total);
}
