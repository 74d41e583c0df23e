// Quantities as users write them: "250ms", "512MB", "100/s", "0.5%" (docs/model-reference.md).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "sluice/units.hpp"

namespace u = sluice::units;

namespace {

struct Accepted {
  const char* text;
  double value;
};

using Parser = std::optional<double> (*)(std::string_view);

void check_accepted(Parser parse, const std::vector<Accepted>& table) {
  for (const auto& row : table) {
    INFO("input: \"" << row.text << "\"");
    auto v = parse(row.text);
    REQUIRE(v.has_value());
    CHECK(*v == Approx(row.value).epsilon(1e-12));
  }
}

void check_rejected(Parser parse, const std::vector<const char*>& table) {
  for (const char* text : table) {
    INFO("input: \"" << text << "\"");
    CHECK_FALSE(parse(text).has_value());
  }
}

constexpr double KB = 1024.0;
constexpr double MB = 1024.0 * KB;
constexpr double GB = 1024.0 * MB;
constexpr double TB = 1024.0 * GB;

}  // namespace

TEST_CASE("durations: accepted", "[units]") {
  check_accepted(u::parse_duration_ns, {
                                           {"250us", 250e3},  {"250ms", 250e6},   {"1.5s", 1.5e9},
                                           {"10m", 600e9},    {"2h", 7200e9},     {"4d", 4 * 86400e9},
                                           {"250 ms", 250e6}, {"250\tms", 250e6}, {"  250ms  ", 250e6},
                                           {"1e3ms", 1e9},    {"1E3ms", 1e9},     {"2.5e-1s", 250e6},
                                           {".5s", 0.5e9},    {"0.1s", 1e8},      {"0s", 0},
                                           {"0ms", 0},        {"0", 0},           {"0.0", 0},
                                           {"0.", 0},         {"00", 0},          {"007ms", 7e6},
                                           {"29s", 29e9},
                                       });
}

TEST_CASE("durations: rejected", "[units]") {
  check_rejected(u::parse_duration_ns, {
                                           "",           "   ",    "ms",
                                           "250",  // a bare number needs a unit ...
                                           "1.5",
                                           "0e0",  // ... except zero written plainly
                                           "-0",
                                           "-5ms",  // negative
                                           "+5ms",
                                           "10ms5",  // trailing garbage
                                           "10ms ms",
                                           "10 parsecs",  // unknown unit
                                           "10ns",       "10sec",  "10min",
                                           "10MS",  // units are case-sensitive
                                           "10M",        "10 m s", "nan",    "nanms", "NaNs", "infs",   "inf ms",
                                           "1e400ms",  // overflows a double
                                           "1e300d",   // overflows once scaled
                                           "0x10ms",     "1,5s",   "1.5.2s", "1ems",  "s10",  "ten ms",
                                       });
}

TEST_CASE("sizes: accepted (binary multiples)", "[units]") {
  check_accepted(u::parse_size_bytes, {
                                          {"512B", 512},
                                          {"1KB", 1024},
                                          {"512MB", 512 * MB},
                                          {"2GB", 2 * GB},
                                          {"1TB", TB},
                                          {"1.5KB", 1536},
                                          {"400 KB", 400 * KB},
                                          {"1e3B", 1000},
                                          {"0B", 0},
                                          {"0", 0},
                                          {"0.0", 0},
                                      });
}

TEST_CASE("sizes: rejected", "[units]") {
  check_rejected(u::parse_size_bytes, {
                                          "",
                                          "512",
                                          "-1KB",
                                          "1kb",
                                          "1Kb",
                                          "1KiB",
                                          "1K",
                                          "1PB",
                                          "1 bytes",
                                          "512MBx",
                                          "512MB2",
                                          "nanB",
                                          "infGB",
                                          "1e400B",
                                          "MB",
                                      });
}

TEST_CASE("rates: accepted", "[units]") {
  check_accepted(u::parse_rate_per_s, {
                                          {"100/s", 100},
                                          {"100/sec", 100},
                                          {"6000/min", 100},
                                          {"6000/m", 100},
                                          {"3600/h", 1},
                                          {"3600/hour", 1},
                                          {"86400/day", 1},
                                          {"86400/d", 1},
                                          {"1M/day", 1e6 / 86400},
                                          {"1.5K/s", 1500},
                                          {"2B/day", 2e9 / 86400},
                                          {"0.5/s", 0.5},
                                          {"100 / s", 100},
                                          {"1.5 K / s", 1500},
                                          {" 100/s ", 100},
                                          {"1e3/s", 1000},
                                          {"0/s", 0},
                                          {"0", 0},
                                      });
}

TEST_CASE("rates: rejected", "[units]") {
  check_rejected(
      u::parse_rate_per_s,
      {
          "",     "100",   "100s",    "100/",    "/s",     "-100/s", "100/ms", "100/week", "100/S",          "1k/s",
          "1G/s", "1KK/s", "100/s/s", "100/s x", "100//s", "nan/s",  "inf/s",  "1e400/s",  "100 per second",
      });
}

TEST_CASE("fractions: accepted", "[units]") {
  check_accepted(u::parse_fraction, {
                                        {"0.5%", 0.005},
                                        {"70%", 0.7},
                                        {"70 %", 0.7},
                                        {"100%", 1},
                                        {"0%", 0},
                                        {"0", 0},
                                        {"1", 1},
                                        {"0.25", 0.25},
                                        {"1e-3", 0.001},
                                        {" 0.5 ", 0.5},
                                    });
}

TEST_CASE("fractions: rejected", "[units]") {
  check_rejected(u::parse_fraction, {
                                        "",
                                        "%",
                                        "101%",
                                        "1.5",
                                        "2",
                                        "-0.1",
                                        "-5%",
                                        "50%%",
                                        "50% x",
                                        "0.5x",
                                        "nan",
                                        "inf%",
                                        "50 percent",
                                    });
}

TEST_CASE("durations are formatted readably", "[units]") {
  CHECK(u::format_duration_ns(0) == "0s");
  CHECK(u::format_duration_ns(1.5e9) == "1.5s");
  CHECK(u::format_duration_ns(250e6) == "250ms");
  CHECK(u::format_duration_ns(90e9) == "1.5m");
  CHECK(u::format_duration_ns(61e9) == "61s");
  CHECK(u::format_duration_ns(29e9) == "29s");
  CHECK(u::format_duration_ns(600e9) == "10m");
  CHECK(u::format_duration_ns(3600e9) == "1h");
  CHECK(u::format_duration_ns(14 * 3600e9) == "14h");
  CHECK(u::format_duration_ns(86400e9) == "1d");
  CHECK(u::format_duration_ns(250e3) == "250us");
  CHECK(u::format_duration_ns(500) == "0.5us");
  CHECK(u::format_duration_ns(1234567) == "1234.567us");
  CHECK(u::format_duration_ns(1234567.8e3) == "1.235s");
  CHECK(u::format_duration_ns(-250e6) == "-250ms");
}

TEST_CASE("sizes are formatted readably", "[units]") {
  CHECK(u::format_size_bytes(0) == "0B");
  CHECK(u::format_size_bytes(512) == "512B");
  CHECK(u::format_size_bytes(1000) == "1000B");
  CHECK(u::format_size_bytes(1024) == "1KB");
  CHECK(u::format_size_bytes(1536) == "1.5KB");
  CHECK(u::format_size_bytes(512 * MB) == "512MB");
  CHECK(u::format_size_bytes(10240 * MB) == "10GB");
  CHECK(u::format_size_bytes(2 * TB) == "2TB");
}

TEST_CASE("formatted quantities parse back to the same value", "[units]") {
  for (double ns : {0.0, 1e3, 250e3, 1e6, 8e6, 60e6, 250e6, 1.5e9, 29e9, 61e9, 90e9, 600e9, 3600e9, 86400e9}) {
    INFO("ns = " << ns);
    auto back = u::parse_duration_ns(u::format_duration_ns(ns));
    REQUIRE(back.has_value());
    CHECK(*back == Approx(ns).epsilon(1e-12));
  }
  for (double bytes : {0.0, 1.0, 512.0, 1000.0, 1024.0, 1536.0, 128 * MB, 512 * MB, 10240 * MB, 3 * TB}) {
    INFO("bytes = " << bytes);
    auto back = u::parse_size_bytes(u::format_size_bytes(bytes));
    REQUIRE(back.has_value());
    CHECK(*back == Approx(bytes).epsilon(1e-12));
  }
}

TEST_CASE("a refused quantity is told why: a sign, too large, the unit's case, no unit", "[units]") {
  using Reason = u::Refusal::Reason;
  using K = u::QuantityKind;
  struct Row {
    const char* text;
    K kind;
    Reason reason;
    const char* meant;  // for unit_case
  };
  const std::vector<Row> rows{
      {"250ms", K::duration, Reason::accepted, ""},
      {"-5ms", K::duration, Reason::negative, ""},
      {" - 5ms", K::duration, Reason::negative, ""},
      {"-10S", K::duration, Reason::negative, ""},
      {"-1e400ms", K::duration, Reason::negative, ""},
      {"-5", K::duration, Reason::bare_number, ""},
      {"--5ms", K::duration, Reason::malformed, ""},
      {"10S", K::duration, Reason::unit_case, "10s"},
      {"5MS", K::duration, Reason::unit_case, "5ms"},
      {"5Ms", K::duration, Reason::unit_case, "5ms"},
      {"2H", K::duration, Reason::unit_case, "2h"},
      {"4D", K::duration, Reason::unit_case, "4d"},
      {"250US", K::duration, Reason::unit_case, "250us"},
      {"10M", K::duration, Reason::unit_case, "10m"},
      {"1.5 S", K::duration, Reason::unit_case, "1.5s"},
      {"10sec", K::duration, Reason::malformed, ""},  // not a duration unit in any case
      {"1e400ms", K::duration, Reason::too_large, ""},
      {"1e300d", K::duration, Reason::too_large, ""},
      {"1e400MS", K::duration, Reason::too_large, ""},
      {"250", K::duration, Reason::bare_number, ""},
      {"1e400", K::duration, Reason::bare_number, ""},
      {"ten ms", K::duration, Reason::malformed, ""},
      {"", K::duration, Reason::malformed, ""},
      {"512mb", K::size, Reason::unit_case, "512MB"},
      {"1kb", K::size, Reason::unit_case, "1KB"},
      {"1Kb", K::size, Reason::unit_case, "1KB"},
      {"1.5gb", K::size, Reason::unit_case, "1.5GB"},
      {"2tb", K::size, Reason::unit_case, "2TB"},
      {"512b", K::size, Reason::unit_case, "512B"},
      {"1KiB", K::size, Reason::malformed, ""},
      {"-512MB", K::size, Reason::negative, ""},
      {"1e400B", K::size, Reason::too_large, ""},
      {"512", K::size, Reason::bare_number, ""},
      {"100/S", K::rate, Reason::unit_case, "100/s"},
      {"100/Min", K::rate, Reason::unit_case, "100/min"},
      {"100 / SEC", K::rate, Reason::unit_case, "100/sec"},
      {"1k/s", K::rate, Reason::unit_case, "1K/s"},
      {"1m/Day", K::rate, Reason::unit_case, "1M/day"},
      {"1K/S", K::rate, Reason::unit_case, "1K/s"},
      {"1G/s", K::rate, Reason::malformed, ""},
      {"100/week", K::rate, Reason::malformed, ""},
      {"100s", K::rate, Reason::malformed, ""},
      {"-100/s", K::rate, Reason::negative, ""},
      {"1e400/s", K::rate, Reason::too_large, ""},
      {"1e300B/s", K::rate, Reason::too_large, ""},  // overflows once scaled by B = 10^9
      {"1e290B/s", K::rate, Reason::accepted, ""},   // large, but a double holds it: ranges are the loader's
      {"100", K::rate, Reason::bare_number, ""},
      {"-5%", K::fraction, Reason::negative, ""},
      {"-0.1", K::fraction, Reason::negative, ""},
      {"150%", K::fraction, Reason::too_large, ""},
      {"1.5", K::fraction, Reason::too_large, ""},
      {"50 percent", K::fraction, Reason::malformed, ""},
  };
  for (const auto& row : rows) {
    INFO("input: \"" << row.text << "\"");
    u::Refusal r = u::why_refused(row.text, row.kind);
    CHECK(static_cast<int>(r.reason) == static_cast<int>(row.reason));
    CHECK(r.meant == row.meant);
  }
}

TEST_CASE("a unit's case fix is offered only when it gives a valid quantity of the same value", "[units]") {
  struct Fix {
    const char* text;
    u::QuantityKind kind;
  };
  for (const Fix& f : std::vector<Fix>{{"10S", u::QuantityKind::duration},
                                       {"512mb", u::QuantityKind::size},
                                       {"1k/s", u::QuantityKind::rate},
                                       {"6000/MIN", u::QuantityKind::rate}}) {
    INFO("input: \"" << f.text << "\"");
    u::Refusal r = u::why_refused(f.text, f.kind);
    REQUIRE(r.reason == u::Refusal::Reason::unit_case);
    auto fixed = f.kind == u::QuantityKind::duration ? u::parse_duration_ns(r.meant)
                 : f.kind == u::QuantityKind::size   ? u::parse_size_bytes(r.meant)
                                                     : u::parse_rate_per_s(r.meant);
    CHECK(fixed.has_value());
  }
}
