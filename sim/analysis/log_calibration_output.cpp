// What a log calibration gives the user: the model fragment (YAML and --set overrides), the check
// of the calibrated model against the measurements, and the whole study as JSON.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

#include <fmt/format.h>

#include "sluice/log_calibration.hpp"
#include "sluice/run.hpp"

namespace sluice {
namespace {

using ojson = nlohmann::ordered_json;

std::string number_text(double v) {
  std::string s = fmt::format("{:.3f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// A fit as a model value: a constant, a lognormal by median and p99, or an empirical list.
std::string distribution_text(const PositiveFit& f, const char* unit) {
  if (f.kind == PositiveFit::Kind::lognormal)
    return fmt::format("{{distribution: lognormal, median: {}{}, p99: {}{}}}", number_text(f.median), unit,
                       number_text(f.p99), unit);
  if (f.values.size() == 1) return number_text(f.values.front()) + unit;
  std::string list;
  for (double v : f.values) list += (list.empty() ? "" : ", ") + number_text(v) + unit;
  return fmt::format("{{distribution: empirical, values: [{}]}}", list);
}

// A value of the model's JSON (scalars as strings) as YAML flow text.
std::string flow_yaml(const nlohmann::json& v) {
  if (v.is_object()) {
    std::string out;
    for (const auto& [k, x] : v.items()) out += (out.empty() ? "" : ", ") + k + ": " + flow_yaml(x);
    return "{" + out + "}";
  }
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + flow_yaml(x);
    return "[" + out + "]";
  }
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  bool plain =
      !s.empty() &&
      s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./%+-") == std::string::npos;
  return plain ? s : nlohmann::json(s).dump();  // a JSON string is a YAML double-quoted scalar
}

std::string fit_summary(const PositiveFit& f) {
  return fmt::format("{} (KS D = {:.4f}, 1% critical value {:.4f}, n = {})",
                     f.kind == PositiveFit::Kind::lognormal ? "lognormal" : "empirical", f.ks_statistic, f.ks_critical,
                     f.samples);
}

ojson fit_json(const PositiveFit& f, const char* unit) {
  ojson j{{"kind", f.kind == PositiveFit::Kind::lognormal ? "lognormal" : "empirical"},
          {"samples", f.samples},
          {fmt::format("median_{}", unit), f.median},
          {fmt::format("p99_{}", unit), f.p99},
          {"ks_statistic", f.ks_statistic},
          {"ks_critical", f.ks_critical},
          {"reason", f.reason}};
  j[fmt::format("values_{}", unit)] = f.values;
  return j;
}

ojson percentiles_json(const std::vector<MeasuredPercentile>& ps) {
  ojson out = ojson::array();
  for (const auto& p : ps) out.push_back({{"p", p.p}, {"value", p.value}, {"low", p.low}, {"high", p.high}});
  return out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelError(SourceLocation{path, 0, 0}, "", "cannot read the model file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::vector<Override> calibration_overrides(const FunctionCalibration& g, const std::string& model_json) {
  const std::string key = "components." + g.function;
  std::vector<Override> out{{key + ".memory", fmt::format("{}MB", g.memory_mb)},
                            {key + ".memory_used", distribution_text(g.memory_used, "MB")}};
  if (g.cold_start) out.push_back({key + ".cold_start", distribution_text(*g.cold_start, "ms")});
  std::string steps = "{io: " + distribution_text(g.handler, "ms") + "}";
  if (!model_json.empty()) {
    auto model = nlohmann::json::parse(model_json);
    for (const auto& step : model["components"][g.function]["steps"])
      if (!step.contains("cpu") && !step.contains("io")) steps += ", " + flow_yaml(step);
  }
  out.push_back({key + ".steps", "[" + steps + "]"});
  return out;
}

std::string calibration_fragment(const FunctionCalibration& g, const std::vector<Override>& overrides) {
  std::string files;
  for (const auto& f : g.files) files += (files.empty() ? "" : ", ") + f;
  std::string out = fmt::format("# sluice calibrate --logs: {} at {} MB from {}\n", g.function, g.memory_mb, files);
  out += fmt::format(
      "# {} REPORT lines, {} cold starts ({:.2f}%, 95% CI {:.2f}-{:.2f}%: set by the traffic and "
      "keep_alive, not by a key)\n",
      g.invocations, g.cold_starts.successes, 100 * g.cold_starts.share, 100 * g.cold_starts.low,
      100 * g.cold_starts.high);
  out += "# handler duration: " + fit_summary(g.handler) + (g.calls.empty() ? "" : ", modelled calls taken out") + "\n";
  out +=
      "# cold_start: " + (g.cold_start ? fit_summary(*g.cold_start) : std::string("not fitted (too few cold starts)")) +
      "\n";
  out += "# memory_used: " + fit_summary(g.memory_used) + "\n";
  out += fmt::format("components:\n  {}:\n", g.function);
  const std::string prefix = "components." + g.function + ".";
  for (const auto& o : overrides) {
    std::string key = o.key_path.substr(prefix.size());
    if (key != "steps") {
      out += fmt::format("    {}: {}\n", key, o.value);
      continue;
    }
    // One step per line, as models write them.
    out += "    steps:\n";
    std::string list = o.value.substr(1, o.value.size() - 2);
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= list.size(); ++i) {
      if (i == list.size() || (list[i] == ',' && depth == 0)) {
        std::string step = list.substr(start, i - start);
        step.erase(0, step.find_first_not_of(' '));
        out += "      - " + step + "\n";
        start = i + 1;
      } else if (list[i] == '{' || list[i] == '[') {
        ++depth;
      } else if (list[i] == '}' || list[i] == ']') {
        --depth;
      }
    }
  }
  return out;
}

CalibrationCheck check_calibration(const FunctionCalibration& g, const std::vector<Override>& calibrated,
                                   const CheckModel& m) {
  std::vector<Override> all = m.overrides;
  all.insert(all.end(), calibrated.begin(), calibrated.end());
  ModelSpec model = load_model_from_string(m.yaml_text, all, m.display_name, m.base_dir);
  RunOptions options;
  options.duration_ns = m.duration_ns;
  options.seed = m.seed;
  options.check_interrupt = m.check_interrupt;
  Results results = run(model, options);
  const auto* function = std::get_if<summary::Lambda>(summary::find(results.summary.components, g.function));
  if (!function)
    throw ModelError(SourceLocation{m.display_name, 0, 0}, "components." + g.function, "not a lambda of the model");
  const summary::LambdaMetrics& metrics = function->metrics;
  CalibrationCheck out;
  out.function = g.function;
  out.memory_mb = g.memory_mb;
  out.simulated_invocations = metrics.invocations;
  if (out.simulated_invocations == 0)
    throw ModelError(SourceLocation{m.display_name, 0, 0}, "components." + g.function,
                     "the calibrated model never invoked the function in its run: the check needs invocations");
  const std::uint64_t cold = metrics.cold_starts;
  // A percentile's tolerance: its measured 95% interval, widened by the run's own sampling error
  // (the same interval scaled by sqrt(n / m) for m simulated samples), plus the histograms' 1%.
  auto percentile_row = [&](const std::string& name, const MeasuredPercentile& p, std::size_t n, std::uint64_t sim_n,
                            std::optional<double> sim) {
    CheckRow r{name, p.value, p.low, p.high, std::nullopt, 0, 0, std::nullopt};
    double below = p.value - p.low, above = p.high - p.value;
    double ratio = sim_n > 0 ? static_cast<double>(n) / static_cast<double>(sim_n) : 0.0;
    r.tolerance_low = std::sqrt(below * below + above * above * ratio) + 0.01 * p.value;
    r.tolerance_high = std::sqrt(above * above + below * below * ratio) + 0.01 * p.value;
    if (sim_n > 0 && sim) {
      r.simulated = *sim;
      if (p.bounded && sim_n >= bounded_sample_size(p.p))
        r.within = *r.simulated >= p.value - r.tolerance_low && *r.simulated <= p.value + r.tolerance_high;
    }
    out.rows.push_back(r);
  };
  const char* keys[] = {"p50", "p90", "p99"};
  const std::optional<double> durations[] = {metrics.duration_ms.p50, metrics.duration_ms.p90, metrics.duration_ms.p99};
  for (std::size_t i = 0; i < g.duration.size(); ++i)
    percentile_row(fmt::format("duration {}", keys[i]), g.duration[i], g.invocations, out.simulated_invocations,
                   durations[i]);
  const char* init_keys[] = {"p50", "p99"};
  const double inits[] = {metrics.init_duration_ms.p50, metrics.init_duration_ms.p99};
  for (std::size_t i = 0; i < g.init.size(); ++i)
    percentile_row(fmt::format("init {}", init_keys[i]), g.init[i], g.cold_starts.successes, cold, inits[i]);
  // The cold-start share: two proportions, equal within 1.96 pooled standard errors.
  const double n1 = static_cast<double>(g.invocations), n2 = static_cast<double>(out.simulated_invocations);
  const double p2 = static_cast<double>(cold) / n2;
  const double pooled = (static_cast<double>(g.cold_starts.successes) + static_cast<double>(cold)) / (n1 + n2);
  const double tol = 1.959963984540054 * std::sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  out.rows.push_back(CheckRow{"cold-start share", g.cold_starts.share, g.cold_starts.low, g.cold_starts.high, p2, tol,
                              tol, std::abs(p2 - g.cold_starts.share) <= tol});
  return out;
}

ojson log_calibration_to_json(const ReportReading& reading, const LogCalibration& c,
                              const std::vector<std::vector<Override>>& overrides,
                              const std::vector<std::string>& fragments, const std::vector<CalibrationCheck>& checks) {
  ojson j;
  j["files"] = ojson::array();
  for (const auto& f : reading.files)
    j["files"].push_back({{"path", f.path}, {"format", f.format}, {"reports", f.reports}, {"bad_lines", f.bad_lines}});
  j["bad_lines"] = ojson::array();
  for (const auto& b : reading.bad_lines)
    j["bad_lines"].push_back(
        {{"file", b.where.file}, {"line", b.where.line}, {"column", b.where.column}, {"problem", b.problem}});
  j["skipped_groups"] = c.skipped_groups;
  j["groups"] = ojson::array();
  for (std::size_t i = 0; i < c.groups.size(); ++i) {
    const auto& g = c.groups[i];
    ojson calls = ojson::array();
    for (const auto& call : g.calls) calls.push_back({{"step", call.step}, {"where", call.where}});
    ojson group{{"function", g.function},
                {"memory_mb", g.memory_mb},
                {"invocations", g.invocations},
                {"files", g.files},
                {"cold_starts",
                 {{"count", g.cold_starts.successes},
                  {"share", g.cold_starts.share},
                  {"low", g.cold_starts.low},
                  {"high", g.cold_starts.high}}},
                {"duration_ms", percentiles_json(g.duration)},
                {"init_ms", percentiles_json(g.init)},
                {"calls", calls},
                {"handler", fit_json(g.handler, "ms")},
                {"cold_start", g.cold_start ? fit_json(*g.cold_start, "ms") : ojson(nullptr)},
                {"cold_start_from_restore", g.cold_start_from_restore},
                {"memory_used", fit_json(g.memory_used, "mb")},
                {"notes", g.notes}};
    ojson sets = ojson::array();
    for (const auto& o : overrides[i]) sets.push_back(o.key_path + "=" + o.value);
    group["overrides"] = sets;
    group["fragment"] = fragments[i];
    group["check"] = nullptr;
    for (const auto& chk : checks) {
      if (chk.function != g.function || chk.memory_mb != g.memory_mb) continue;
      ojson rows = ojson::array();
      for (const auto& r : chk.rows)
        rows.push_back({{"quantity", r.quantity},
                        {"measured", r.measured},
                        {"measured_low", r.measured_low},
                        {"measured_high", r.measured_high},
                        {"simulated", r.simulated ? ojson(*r.simulated) : ojson(nullptr)},
                        {"tolerance_low", r.tolerance_low},
                        {"tolerance_high", r.tolerance_high},
                        {"within", r.within ? ojson(*r.within) : ojson(nullptr)}});
      group["check"] = {{"simulated_invocations", chk.simulated_invocations}, {"rows", rows}};
    }
    j["groups"].push_back(group);
  }
  j["across_memory"] = ojson::object();
  for (const auto& [function, fit] : c.across_memory)
    j["across_memory"][function] = {{"cpu_ms", fit.cpu_ms},   {"threads", fit.threads},
                                    {"io_ms", fit.io_ms},     {"r_squared", fit.r_squared},
                                    {"rmse_ms", fit.rmse_ms}, {"measurements", fit.measurements}};
  return j;
}

ojson calibrate_logs(const LogCalibrationRequest& request) {
  ReportReading reading = read_lambda_reports(request.paths, request.skip_bad_lines);
  LogCalibrationOptions options;
  options.function = request.function;
  options.seed = request.seed;
  std::string model_json;
  if (request.model) {
    const auto& m = *request.model;
    options.model = load_model_from_string(m.yaml_text, m.overrides, m.display_name, m.base_dir);
    model_json = effective_json(m.yaml_text, m.overrides, m.display_name);
  }
  LogCalibration c = calibrate_reports(reading.reports, options);
  std::vector<std::vector<Override>> overrides;
  std::vector<std::string> fragments;
  std::vector<CalibrationCheck> checks;
  for (const auto& g : c.groups) {
    overrides.push_back(calibration_overrides(g, model_json));
    fragments.push_back(calibration_fragment(g, overrides.back()));
    if (request.model) checks.push_back(check_calibration(g, overrides.back(), *request.model));
  }
  return log_calibration_to_json(reading, c, overrides, fragments, checks);
}

CheckModel check_model_from_file(const std::string& path, const std::vector<Override>& overrides) {
  load_model(path, overrides);  // a missing, oversized or malformed model fails here, as `sluice run` says it
  CheckModel m;
  m.yaml_text = read_text(path);
  m.display_name = path;
  std::string dir = std::filesystem::path(path).parent_path().string();
  m.base_dir = dir.empty() ? "." : dir;
  m.overrides = overrides;
  return m;
}

}  // namespace sluice
