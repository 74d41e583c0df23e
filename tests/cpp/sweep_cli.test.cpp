// `sluice sweep` through the real command: the same output whatever --workers, CSV/JSON/--out,
// and bad input (an unknown key or metric) as one error with exit code 2 before any run.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "file_helpers.hpp"

namespace fs = std::filesystem;

namespace {

using sluice::test::read_all;

struct Outcome {
  int exit_code = -1;
  std::string out, err;
};

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("sluice-sweep-cli-" + std::to_string(::getpid()));
  Scratch() {
    fs::create_directories(dir);
    std::ofstream(dir / "tiny.yaml") << R"(sluice: 1
name: tiny
run: {duration: 3m, warmup: 1m, seed: 7, bucket: 1m}
sources:
  shoppers: {target: checkout, arrivals: {rate: 10/s}}
components:
  checkout:
    type: lambda
    memory: 512MB
    timeout: 10s
    steps: [{cpu: {distribution: lognormal, median: 20ms, p99: 80ms}}]
)";
  }
  ~Scratch() { fs::remove_all(dir); }
  Outcome sweep(const std::string& args) const {
    return command("sweep '" + (dir / "tiny.yaml").string() + "' " + args);
  }
  Outcome command(const std::string& args) const {
    std::string command = "'" + std::string(SLUICE_BINARY) + "' " + args + " >'" + (dir / "out").string() + "' 2>'" +
                          (dir / "err").string() + "'";
    int status = std::system(command.c_str());
    Outcome o;
    if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
    o.out = read_all(dir / "out");
    o.err = read_all(dir / "err");
    return o;
  }
};

}  // namespace

TEST_CASE("sluice sweep gives the same CSV with one thread or two, one row per point", "[sweep][cli]") {
  if (std::string(SLUICE_BINARY).empty()) {
    WARN("the sluice command is not built: nothing to check");
    return;
  }
  Scratch s;
  const std::string grid =
      "--set components.checkout.memory=512MB,1GB --set sources.shoppers.arrivals.rate=5/s..15/s:3 "
      "--replications 3 --format csv";
  Outcome one = s.sweep(grid + " --workers 1"), two = s.sweep(grid + " --workers 2");
  INFO(one.err << two.err);
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  CHECK(one.out == two.out);
  std::istringstream lines(one.out);
  std::string header, line;
  std::getline(lines, header);
  CHECK(header ==
        "components.checkout.memory,sources.shoppers.arrivals.rate,sources.shoppers.latency_ms.p99,"
        "sources.shoppers.latency_ms.p99_ci95_low,sources.shoppers.latency_ms.p99_ci95_high,"
        "sources.shoppers.cost_per_million_usd,sources.shoppers.cost_per_million_usd_ci95_low,"
        "sources.shoppers.cost_per_million_usd_ci95_high,cost_usd.total,cost_usd.total_ci95_low,"
        "cost_usd.total_ci95_high,replications");
  std::vector<std::string> starts;
  while (std::getline(lines, line)) {
    starts.push_back(line.substr(0, line.find(',', line.find(',') + 1)));
    CHECK(line.substr(line.rfind(',')) == ",3");
  }
  CHECK(starts == std::vector<std::string>{"512MB,5/s", "512MB,10/s", "512MB,15/s", "1GB,5/s", "1GB,10/s", "1GB,15/s"});
  CHECK(one.err.empty());  // no progress bar when stderr is not a terminal
}

TEST_CASE("sluice sweep --format json --out FILE writes the intervals per point and metric", "[sweep][cli]") {
  if (std::string(SLUICE_BINARY).empty()) return;
  Scratch s;
  fs::path file = s.dir / "sweep.json";
  Outcome o = s.sweep(
      "--set components.checkout.memory=512MB,1GB --metric end_to_end.completed --replications 2 "
      "--seed 100 --duration 2m --format json --out '" +
      file.string() + "'");
  INFO(o.err);
  REQUIRE(o.exit_code == 0);
  CHECK(o.out.empty());
  auto j = nlohmann::json::parse(read_all(file));
  CHECK(j["seed"] == 100);
  CHECK(j["replications"] == 2);
  CHECK(j["duration_s"] == 120.0);
  REQUIRE(j["points"].size() == 2);
  CHECK(j["points"][1]["parameters"]["components.checkout.memory"] == "1GB");
  const auto& completed = j["points"][0]["metrics"]["end_to_end.completed"];
  CHECK(completed["n"] == 2);
  CHECK(completed["count"] == true);
  CHECK(completed["ci95_low"].get<double>() >= 0);
  CHECK(completed["ci95_low"].get<double>() <= completed["mean"].get<double>());
  CHECK(completed["mean"].get<double>() <= completed["ci95_high"].get<double>());
  CHECK(completed["mean"].get<double>() > 500);  // 10/s for the minute after the warm-up
}

TEST_CASE("sluice sweep refuses an unknown key or metric with exit code 2 and a suggestion", "[sweep][cli]") {
  if (std::string(SLUICE_BINARY).empty()) return;
  Scratch s;
  Outcome metric = s.sweep("--set components.checkout.memory=512MB,1GB --metric sources.shopers.latency_ms.p99");
  CHECK(metric.exit_code == 2);
  CHECK(metric.out.empty());
  CHECK(metric.err.find("error: --metric: metric 'sources.shopers.latency_ms.p99' is not in this model's summary; "
                        "did you mean 'sources.shoppers.latency_ms.p99'") != std::string::npos);
  Outcome key = s.sweep("--set components.checkout.memroy=512MB,1GB");
  CHECK(key.exit_code == 2);
  CHECK(key.err.find("unknown key 'memroy' (did you mean 'memory'?)") != std::string::npos);
  Outcome value = s.sweep("--set components.checkout.memory=512MB,12MB");  // the second point's value
  CHECK(value.exit_code == 2);
  CHECK(value.err.find("--set components.checkout.memory=12MB") != std::string::npos);
  Outcome seed = s.sweep("--set run.seed=1,2");
  CHECK(seed.exit_code == 2);
  CHECK(seed.err.find("use --seed and --replications") != std::string::npos);
  Outcome range = s.sweep("--set components.checkout.memory=2GB..1GB:3");
  CHECK(range.exit_code == 2);
  CHECK(range.err.find("LO must be below HI") != std::string::npos);
}

TEST_CASE("sluice sweep takes one value per --set and --metric, so the model may come after them", "[sweep][cli]") {
  if (std::string(SLUICE_BINARY).empty()) return;
  Scratch s;
  Outcome after = s.command("sweep --set components.checkout.memory=512MB,1GB --metric cost_usd.total '" +
                            (s.dir / "tiny.yaml").string() + "' --replications 1 --format csv");
  Outcome before = s.sweep(
      "--set components.checkout.memory=512MB,1GB --metric cost_usd.total --replications 1 "
      "--format csv");
  INFO(after.err);
  REQUIRE(after.exit_code == 0);
  CHECK(after.out == before.out);
  CHECK(after.out.rfind("components.checkout.memory,cost_usd.total,", 0) == 0);
}
