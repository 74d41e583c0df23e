#include <filesystem>

#include <fmt/format.h>

#include "model/readers.hpp"
#include "model/trace_file.hpp"

namespace sluice::model {
namespace {

constexpr double kMaxRate = 10e6;  // per second: beyond this a run would never finish

ArrivalPhase read_phase(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  MapReader r(ctx, node, path, {"duration", "rate", "ramp_to"});
  ArrivalPhase p;
  p.duration_ns = r.quantity("duration", Quantity::duration);
  if (p.duration_ns <= 0) r.fail("duration", "a phase must last longer than zero");
  p.rate_per_s = r.quantity("rate", Quantity::rate);
  r.check_range("rate", p.rate_per_s, 0, kMaxRate, show_number);
  if (r.has("ramp_to")) {
    p.ramp_to_per_s = r.quantity("ramp_to", Quantity::rate);
    r.check_range("ramp_to", *p.ramp_to_per_s, 0, kMaxRate, show_number);
  }
  return p;
}

Arrivals read_arrivals(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  MapReader r(ctx, node, path, {"process", "rate", "phases", "diurnal", "trace"});
  Arrivals a;
  int shapes = int(r.has("rate")) + int(r.has("phases")) + int(r.has("diurnal")) + int(r.has("trace"));
  if (shapes != 1)
    ctx.fail(node, path,
             shapes == 0 ? "say how requests arrive: one of rate, phases, diurnal or trace"
                         : "give only one of rate, phases, diurnal or trace");
  std::string process = r.choice_or("process", {"poisson", "uniform", "trace"}, r.has("trace") ? "trace" : "poisson");
  a.process = process == "poisson"   ? Arrivals::Process::poisson
              : process == "uniform" ? Arrivals::Process::uniform
                                     : Arrivals::Process::trace;
  if ((a.process == Arrivals::Process::trace) != r.has("trace"))
    r.fail("process", r.has("trace") ? "a trace is replayed as recorded: process must be trace (or left out)"
                                     : "process: trace needs a trace: {file: ..., format: ...}");
  if (r.has("rate")) {
    a.shape = Arrivals::Shape::constant;
    a.rate_per_s = r.quantity("rate", Quantity::rate);
    r.check_range("rate", a.rate_per_s, 0, kMaxRate, show_number);
  } else if (r.has("phases")) {
    a.shape = Arrivals::Shape::phases;
    YAML::Node phases = r.at("phases");
    if (!phases.IsSequence() || phases.size() == 0)
      r.fail("phases", "expected a non-empty list of phases like {duration: 10m, rate: 50/s}");
    for (std::size_t i = 0; i < phases.size(); ++i)
      a.phases.push_back(read_phase(ctx, phases[i], fmt::format("{}.phases.{}", path, i)));
  } else if (r.has("diurnal")) {
    a.shape = Arrivals::Shape::diurnal;
    MapReader d(ctx, r.at("diurnal"), r.path_of("diurnal"), {"mean", "amplitude", "period", "peak_at"});
    a.diurnal.mean_per_s = d.quantity("mean", Quantity::rate);
    d.check_range("mean", a.diurnal.mean_per_s, 0, kMaxRate / 2, show_number);
    a.diurnal.amplitude = d.quantity_or("amplitude", Quantity::fraction, 0);
    a.diurnal.period_ns = d.quantity_or("period", Quantity::duration, 24 * 3600e9);
    if (a.diurnal.period_ns <= 0) d.fail("period", "the period must be longer than zero");
    a.diurnal.peak_at_ns = d.quantity_or("peak_at", Quantity::duration, 14 * 3600e9);
  } else {
    a.shape = Arrivals::Shape::trace;
    MapReader t(ctx, r.at("trace"), r.path_of("trace"), {"file", "format", "interval"});
    a.trace.file = t.string("file");
    std::string format = t.choice_or("format", {"timestamps", "counts"}, "timestamps");
    a.trace.format = format == "timestamps" ? Trace::Format::timestamps : Trace::Format::counts;
    if (a.trace.format == Trace::Format::counts) {
      a.trace.interval_ns = t.quantity("interval", Quantity::duration);
      if (a.trace.interval_ns <= 0) t.fail("interval", "the interval must be longer than zero");
    } else if (t.has("interval")) {
      t.fail("interval", "interval applies to format: counts only");
    }
    std::filesystem::path file(a.trace.file);
    std::string full =
        file.is_absolute() ? a.trace.file : (std::filesystem::path(ctx.base_dir) / file).lexically_normal().string();
    read_trace_file(a.trace, full, a.trace.file, t.path_of("file"), ctx.locate(t.at("file"), t.path_of("file")));
  }
  return a;
}

Payload read_payload(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  MapReader r(ctx, node, path, {"size", "key"});
  Payload p;
  p.size = r.distribution_or("size", Quantity::size, p.size);
  if (r.has("key")) {
    MapReader k(ctx, r.at("key"), r.path_of("key"), {"distribution", "keys", "exponent"});
    std::string kind = read_choice(ctx, k.at("distribution"), k.path_of("distribution"), {"uniform", "zipf"});
    p.key.kind = kind == "zipf" ? KeyDistribution::Kind::zipf : KeyDistribution::Kind::uniform;
    p.key.keys = k.integer("keys", 1, 1'000'000'000);
    if (p.key.kind == KeyDistribution::Kind::zipf) {
      p.key.exponent = read_number(ctx, k.at("exponent"), k.path_of("exponent"));
      k.check_range("exponent", p.key.exponent, 0.01, 10, show_number);
    } else if (k.has("exponent")) {
      k.fail("exponent", "exponent applies to distribution: zipf only");
    }
  }
  return p;
}

}  // namespace

SourceSpec read_source(const LoadContext& ctx, const std::string& name, const YAML::Node& node) {
  std::string path = "sources." + name;
  MapReader r(ctx, node, path, {"target", "invocation", "retries", "arrivals", "payload"});
  SourceSpec s;
  s.name = name;
  s.where = ctx.locate(node, path);
  s.target = r.string("target");
  // invocation: async is Lambda's asynchronous invocation (aws-facts §1.4); only a lambda target
  // takes it (checked with the other names, references.cpp).
  s.async = r.choice_or("invocation", {"sync", "async"}, "sync") == "async";
  if (r.has("retries")) s.retries = read_retry_policy(ctx, r.at("retries"), r.path_of("retries"));
  s.arrivals = read_arrivals(ctx, r.at("arrivals"), r.path_of("arrivals"));
  if (r.has("payload")) s.payload = read_payload(ctx, r.at("payload"), r.path_of("payload"));
  return s;
}

}  // namespace sluice::model
