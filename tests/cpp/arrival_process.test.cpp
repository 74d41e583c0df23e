// ArrivalProcess: when a source's requests arrive. Statistical checks use fixed seeds and 4
// standard errors (a Poisson count N has SE sqrt(E[N])); deterministic shapes are checked exactly.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "catch.hpp"
#include "components/arrival_process.hpp"
#include "kernel/random_stream.hpp"
#include "kernel/sim_time.hpp"
#include "sluice/model.hpp"

using sluice::ArrivalPhase;
using sluice::Arrivals;
using sluice::Trace;
using sluice::components::ArrivalProcess;
using sluice::kernel::RandomStream;
using sluice::kernel::SimTime;

namespace {

RandomStream stream(std::uint64_t seed = 42) { return RandomStream(seed, "arrival_process.test", "arrivals"); }

// Every arrival before `until_s` (the process is asked until it passes `until_s` or ends).
std::vector<std::int64_t> arrivals_until(ArrivalProcess& p, double until_s) {
  std::vector<std::int64_t> out;
  const SimTime until = SimTime::seconds(until_s);
  for (;;) {
    SimTime t = p.next();
    if (t >= until) break;
    out.push_back(t.ns);
  }
  return out;
}

std::int64_t count_in(const std::vector<std::int64_t>& ts, double from_s, double to_s) {
  std::int64_t n = 0;
  for (auto t : ts)
    if (static_cast<double>(t) >= from_s * 1e9 && static_cast<double>(t) < to_s * 1e9) ++n;
  return n;
}

void check_poisson_count(std::int64_t count, double expected, const char* what) {
  const double se = std::sqrt(expected);
  INFO(what << ": " << count << " arrivals, expected " << expected << " +- " << se);
  CHECK(std::fabs(static_cast<double>(count) - expected) < 4 * se);
}

Arrivals constant(Arrivals::Process process, double rate) {
  Arrivals a;
  a.process = process;
  a.shape = Arrivals::Shape::constant;
  a.rate_per_s = rate;
  return a;
}

}  // namespace

TEST_CASE("Poisson arrivals at a constant rate: count within 4 SE of rate x T and exponential gaps",
          "[arrival_process]") {
  Arrivals spec = constant(Arrivals::Process::poisson, 100);
  ArrivalProcess p(spec, stream());
  auto ts = arrivals_until(p, 1000);
  check_poisson_count(static_cast<std::int64_t>(ts.size()), 100 * 1000, "count in 1000 s at 100/s");
  // Inter-arrival gaps: mean 1/rate and coefficient of variation 1 (exponential). For n
  // exponential gaps the sample CV has a standard error of 1/sqrt(n) (delta method).
  std::vector<double> gaps;
  for (std::size_t i = 1; i < ts.size(); ++i) gaps.push_back(static_cast<double>(ts[i] - ts[i - 1]));
  double mean = 0;
  for (double g : gaps) mean += g;
  mean /= static_cast<double>(gaps.size());
  double var = 0;
  for (double g : gaps) var += (g - mean) * (g - mean);
  var /= static_cast<double>(gaps.size() - 1);
  const double n = static_cast<double>(gaps.size());
  const double cv = std::sqrt(var) / mean;
  INFO("mean gap " << mean << " ns, CV " << cv);
  CHECK(std::fabs(mean - 1e7) < 4 * 1e7 / std::sqrt(n));
  CHECK(std::fabs(cv - 1) < 4 / std::sqrt(n));
  for (std::size_t i = 1; i < ts.size(); ++i) REQUIRE(ts[i] >= ts[i - 1]);
}

// The gaps are drawn one arrival ahead (ArrivalProcess::next): still the stream's draws in order,
// the k-th arrival at the sum of the first k gaps, rounded once.
TEST_CASE("Poisson arrivals at a constant rate are the running sums of the stream's exponential draws",
          "[arrival_process]") {
  Arrivals spec = constant(Arrivals::Process::poisson, 180);
  ArrivalProcess p(spec, stream(7));
  RandomStream draws = stream(7);
  double t = 0;
  for (int k = 0; k < 100'000; ++k) {
    t += draws.exponential(1e9 / 180);
    REQUIRE(p.next().ns == SimTime::from_ns_rounded(t).ns);
  }
}

TEST_CASE("uniform arrivals at a constant rate are spaced exactly 1/rate apart", "[arrival_process]") {
  Arrivals spec = constant(Arrivals::Process::uniform, 100);
  ArrivalProcess p(spec, stream());
  auto ts = arrivals_until(p, 10);
  REQUIRE(ts.size() >= 999);
  CHECK(ts.size() <= 1000);
  CHECK(ts[0] > 0);
  CHECK(ts[0] <= 10'000'000);
  for (std::size_t i = 1; i < ts.size(); ++i) {
    INFO("gap " << i);
    REQUIRE(ts[i] - ts[i - 1] == 10'000'000);
  }
}

TEST_CASE("uniform arrivals at a rate with no exact period stay within a nanosecond of k/rate", "[arrival_process]") {
  Arrivals spec = constant(Arrivals::Process::uniform, 3);  // every 333,333,333.3 ns
  ArrivalProcess p(spec, stream());
  auto ts = arrivals_until(p, 3000);
  REQUIRE(ts.size() >= 8999);
  const double offset = static_cast<double>(ts[0]);
  for (std::size_t k = 0; k < ts.size(); ++k) {
    INFO("arrival " << k);
    REQUIRE(std::fabs(static_cast<double>(ts[k]) - (offset + static_cast<double>(k) * 1e9 / 3)) <= 1.0);
  }
}

TEST_CASE("Poisson arrivals over phases with ramps match the integral of the rate in each phase", "[arrival_process]") {
  Arrivals spec;
  spec.process = Arrivals::Process::poisson;
  spec.shape = Arrivals::Shape::phases;
  spec.phases = {ArrivalPhase{100e9, 50, std::nullopt},  // 5,000
                 ArrivalPhase{100e9, 50, 500.0},         // (50+500)/2 x 100 = 27,500
                 ArrivalPhase{100e9, 0, 200.0},          // from zero: 10,000 (2,500 then 7,500)
                 ArrivalPhase{100e9, 300, 100.0}};       // ramping down: 20,000
  ArrivalProcess p(spec, stream());
  auto ts = arrivals_until(p, 1e6);
  check_poisson_count(count_in(ts, 0, 100), 5000, "constant phase");
  check_poisson_count(count_in(ts, 100, 200), 27500, "ramp 50 -> 500/s");
  check_poisson_count(count_in(ts, 100, 150), (50 + 275) / 2.0 * 50, "first half of the ramp up");
  check_poisson_count(count_in(ts, 200, 300), 10000, "ramp 0 -> 200/s");
  check_poisson_count(count_in(ts, 200, 250), 2500, "first half of the ramp from zero");
  check_poisson_count(count_in(ts, 250, 300), 7500, "second half of the ramp from zero");
  check_poisson_count(count_in(ts, 300, 400), 20000, "ramp 300 -> 100/s");
  CHECK(count_in(ts, 400, 1e6) == 0);  // nothing after the last phase
  CHECK(p.next() == SimTime::max());
  CHECK(p.rate_at(250e9) == Approx(100.0));
  CHECK(p.rate_at(150e9) == Approx(275.0));
}

TEST_CASE("uniform arrivals on a ramp from zero: the k-th arrival is where the integral reaches k",
          "[arrival_process]") {
  Arrivals spec;
  spec.process = Arrivals::Process::uniform;
  spec.shape = Arrivals::Shape::phases;
  spec.phases = {ArrivalPhase{100e9, 0, 200.0}};  // rate 2t/s: integral t^2, so arrival k at sqrt(k) s
  ArrivalProcess p(spec, stream());
  auto ts = arrivals_until(p, 1e6);
  REQUIRE(ts.size() >= 9999);
  CHECK(ts.size() <= 10000);
  for (std::size_t i = 0; i < std::min<std::size_t>(ts.size(), 9990); ++i) {
    const double k = static_cast<double>(i + 1);
    INFO("arrival " << k);
    REQUIRE(std::fabs(static_cast<double>(ts[i]) - std::sqrt(k) * 1e9) <= 2.0);
  }
}

TEST_CASE("a phase at rate zero produces no arrivals, and the next phase still does", "[arrival_process]") {
  for (auto process : {Arrivals::Process::poisson, Arrivals::Process::uniform}) {
    Arrivals spec;
    spec.process = process;
    spec.shape = Arrivals::Shape::phases;
    spec.phases = {ArrivalPhase{10e9, 0, std::nullopt}, ArrivalPhase{10e9, 100, std::nullopt}};
    ArrivalProcess p(spec, stream());
    auto ts = arrivals_until(p, 1e6);
    CHECK(count_in(ts, 0, 10) == 0);
    check_poisson_count(count_in(ts, 10, 20), 1000, "second phase");
  }
}

TEST_CASE("diurnal arrivals: peak and trough hours match the integral of mean x (1 + A cos)", "[arrival_process]") {
  Arrivals spec;
  spec.process = Arrivals::Process::poisson;
  spec.shape = Arrivals::Shape::diurnal;
  spec.diurnal.mean_per_s = 10;
  spec.diurnal.amplitude = 0.5;
  spec.diurnal.period_ns = 24 * 3600e9;
  spec.diurnal.peak_at_ns = 14 * 3600e9;
  ArrivalProcess p(spec, stream());
  auto ts = arrivals_until(p, 24 * 3600);
  // Expected arrivals over [a, b) hours: mean (b - a + A P / (2 pi) (sin(w (b - peak)) - sin(w (a - peak)))).
  auto expected = [&](double a_h, double b_h) {
    const double period_s = 24 * 3600.0, w = 2 * std::numbers::pi / period_s, peak = 14 * 3600.0;
    return 10 *
           ((b_h - a_h) * 3600 + 0.5 / w * (std::sin(w * (b_h * 3600 - peak)) - std::sin(w * (a_h * 3600 - peak))));
  };
  check_poisson_count(count_in(ts, 13.5 * 3600, 14.5 * 3600), expected(13.5, 14.5), "peak hour");
  check_poisson_count(count_in(ts, 1.5 * 3600, 2.5 * 3600), expected(1.5, 2.5), "trough hour");
  check_poisson_count(count_in(ts, 8 * 3600, 9 * 3600), expected(8, 9), "a rising hour");
  check_poisson_count(static_cast<std::int64_t>(ts.size()), 10 * 86400, "whole day");
  // The shape is there, not just the total: the peak hour carries about 3x the trough hour.
  CHECK(static_cast<double>(count_in(ts, 13.5 * 3600, 14.5 * 3600)) >
        2.5 * static_cast<double>(count_in(ts, 1.5 * 3600, 2.5 * 3600)));
}

TEST_CASE("uniform diurnal arrivals follow the integral of the rate", "[arrival_process]") {
  Arrivals spec;
  spec.process = Arrivals::Process::uniform;
  spec.shape = Arrivals::Shape::diurnal;
  spec.diurnal.mean_per_s = 2;
  spec.diurnal.amplitude = 1.0;  // the trough is a rate of zero
  spec.diurnal.period_ns = 3600e9;
  spec.diurnal.peak_at_ns = 1800e9;
  ArrivalProcess p(spec, stream());
  auto ts = arrivals_until(p, 3600);
  // Evenly spaced in the expected count: exactly the integral, to within one arrival.
  CHECK(std::fabs(static_cast<double>(ts.size()) - 7200) <= 1);
  const double w = 2 * std::numbers::pi / 3600;
  auto cumulative = [&](double t) { return 2 * (t + 1 / w * (std::sin(w * (t - 1800)) - std::sin(-w * 1800))); };
  CHECK(std::fabs(static_cast<double>(count_in(ts, 1500, 2100)) - (cumulative(2100) - cumulative(1500))) <= 1);
  CHECK(std::fabs(static_cast<double>(count_in(ts, 0, 300)) - cumulative(300)) <= 1);
}

TEST_CASE("trace timestamps are replayed exactly, then the source stops", "[arrival_process]") {
  Arrivals spec;
  spec.process = Arrivals::Process::trace;
  spec.shape = Arrivals::Shape::trace;
  spec.trace.format = Trace::Format::timestamps;
  spec.trace.times_ns = {1'000'000, 1'000'000, 2'500'000'123, 7e9, 3600e9};
  ArrivalProcess p(spec, stream());
  CHECK(p.next().ns == 1'000'000);
  CHECK(p.next().ns == 1'000'000);
  CHECK(p.next().ns == 2'500'000'123);
  CHECK(p.next().ns == 7'000'000'000);
  CHECK(p.next().ns == 3'600'000'000'000);
  CHECK(p.next() == SimTime::max());
  CHECK(p.next() == SimTime::max());
}

TEST_CASE("trace counts give exactly the counts per interval, each inside its interval, in order",
          "[arrival_process]") {
  Arrivals spec;
  spec.process = Arrivals::Process::trace;
  spec.shape = Arrivals::Shape::trace;
  spec.trace.format = Trace::Format::counts;
  spec.trace.interval_ns = 60e9;
  spec.trace.counts = {0, 3, 0, 500, 1, 0};
  ArrivalProcess p(spec, stream());
  std::vector<std::int64_t> ts;
  for (SimTime t = p.next(); t != SimTime::max(); t = p.next()) {
    ts.push_back(t.ns);
    REQUIRE(ts.size() <= 1000);
  }
  REQUIRE(ts.size() == 504);
  for (std::size_t i = 1; i < ts.size(); ++i) REQUIRE(ts[i] >= ts[i - 1]);
  CHECK(count_in(ts, 0, 60) == 0);
  CHECK(count_in(ts, 60, 120) == 3);
  CHECK(count_in(ts, 120, 180) == 0);
  CHECK(count_in(ts, 180, 240) == 500);
  CHECK(count_in(ts, 240, 300) == 1);
  CHECK(count_in(ts, 300, 1e9) == 0);
  // Spread over the interval, not bunched at its start: the 500 split about evenly between halves.
  check_poisson_count(count_in(ts, 180, 210), 250, "first half of a 500-arrival interval");
}

TEST_CASE("the same seed gives the same arrivals and a different seed different ones", "[arrival_process]") {
  Arrivals spec = constant(Arrivals::Process::poisson, 50);
  ArrivalProcess a(spec, stream(1)), b(spec, stream(1)), c(spec, stream(2));
  auto ta = arrivals_until(a, 20), tb = arrivals_until(b, 20), tc = arrivals_until(c, 20);
  CHECK(ta == tb);
  CHECK(ta != tc);
  // Different component names are different streams too (common random numbers are per source).
  ArrivalProcess d(spec, RandomStream(1, "another-source", "arrivals"));
  CHECK(arrivals_until(d, 20) != ta);

  Arrivals counts;
  counts.process = Arrivals::Process::trace;
  counts.shape = Arrivals::Shape::trace;
  counts.trace.format = Trace::Format::counts;
  counts.trace.interval_ns = 10e9;
  counts.trace.counts = {100, 100};
  ArrivalProcess e(counts, stream(1)), f(counts, stream(1)), g(counts, stream(2));
  auto te = arrivals_until(e, 1e6);
  CHECK(te == arrivals_until(f, 1e6));
  CHECK(te != arrivals_until(g, 1e6));
}
