// The rules for values given outside a model (command-line options, the Python package's
// arguments): one implementation, used by `sluice tune`/`run`/`compare`/`sweep` and by _core.
#include <cmath>
#include <string>

#include "catch.hpp"
#include "sluice/analysis.hpp"
#include "sluice/option_values.hpp"
#include "sluice/units.hpp"

namespace {

std::string error_of(auto&& call) {
  try {
    call();
  } catch (const sluice::ModelError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("Strategy names parse to their strategy, and any other name is refused (never cost)", "[options][tune]") {
  CHECK(sluice::tune_strategy_names() == std::vector<std::string>{"cost", "speed", "balanced"});
  CHECK(sluice::parse_tune_strategy("cost") == sluice::TuneStrategy::cost);
  CHECK(sluice::parse_tune_strategy("speed") == sluice::TuneStrategy::speed);
  CHECK(sluice::parse_tune_strategy("balanced") == sluice::TuneStrategy::balanced);
  for (const char* bad : {"fast", "", "Cost", "cost ", "cheapest"}) CHECK_FALSE(sluice::parse_tune_strategy(bad));
}

TEST_CASE("A memory option is whole MB within Lambda's range, with a unit or as bare MB where allowed",
          "[options][tune]") {
  CHECK(sluice::parse_memory_option_mb("512MB", "--memories", true) == 512);
  CHECK(sluice::parse_memory_option_mb("1.5GB", "--memories", false) == 1536);
  CHECK(sluice::parse_memory_option_mb("1769", "--memories", true) == 1769);
  CHECK(sluice::parse_memory_option_mb("128MB", "--memories", false) == sluice::kMinMemoryMb);
  CHECK(sluice::parse_memory_option_mb("10GB", "--memories", false) == sluice::kMaxMemoryMb);
  CHECK(error_of([] { sluice::parse_memory_option_mb("1769", "memories", false); }) ==
        "memories: expected a size in whole MB with a unit, like 512MB or 1GB, got '1769'");
  CHECK(error_of([] { sluice::parse_memory_option_mb("1.5MB", "--memories", true); }) ==
        "--memories: expected a size in whole MB with a unit, like 512MB or 1GB, or a number of MB like 1769, got "
        "'1.5MB'");
  CHECK(error_of([] { sluice::parse_memory_option_mb("64MB", "--memories", true); }) ==
        "--memories: 64 MB is outside Lambda's range of 128 MB to 10240 MB");
  CHECK(error_of([] { sluice::parse_memory_option_mb("10241", "--memories", true); }) ==
        "--memories: 10241 MB is outside Lambda's range of 128 MB to 10240 MB");
  CHECK(error_of([] {
          sluice::parse_memory_option_mb(std::string(400, '9'), "--memories", true);
        }).find("MB is outside Lambda's range") != std::string::npos);
  CHECK(error_of([] { sluice::check_memory_mb(NAN, "--memories"); }).find("outside") != std::string::npos);
  CHECK(error_of([] { sluice::check_memory_mb(10240, "--memories"); }) == "no error");
}

TEST_CASE("A duration option is above zero with a unit, the grammar's units named in the message", "[options]") {
  CHECK(sluice::parse_duration_option_ns("300ms", "--slo-p99") == 300e6);
  CHECK(sluice::parse_duration_option_ns("10m", "--duration") == 600e9);
  CHECK(sluice::units::duration_unit_names() == "us, ms, s, m, h, d");
  for (const char* bad : {"0", "0s", "-5m", "5", "5min", ""})
    CHECK(error_of([&] { sluice::parse_duration_option_ns(bad, "--duration"); }) ==
          "--duration " + std::string(bad) +
              ": expected a duration above zero with a unit (us, ms, s, m, h, d), like 300ms or 10m");
}
