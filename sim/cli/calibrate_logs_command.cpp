#include "cli/calibrate_logs_command.hpp"

#include <iostream>

#include <fmt/format.h>

#include "sluice/log_calibration.hpp"
#include "sluice/units.hpp"

namespace sluice::cli {
namespace {

using ojson = nlohmann::ordered_json;

std::string ms(double v) { return fmt::format("{:.2f} ms", v); }
std::string percent(double v) { return fmt::format("{:.2f}%", 100 * v); }

std::string fit_line(const ojson& f, const char* key_unit) {
  std::string u = key_unit;
  const char* unit = u == "mb" ? "MB" : "ms";
  std::string shape = f["kind"] == "lognormal"
                          ? fmt::format("lognormal, median {:.2f} {}, p99 {:.2f} {}", f["median_" + u].get<double>(),
                                        unit, f["p99_" + u].get<double>(), unit)
                          : fmt::format("empirical, {} values", f["values_" + u].size());
  return shape + " — " + f["reason"].get<std::string>();
}

void print_group(const ojson& g) {
  std::string files;
  for (const auto& f : g["files"]) files += (files.empty() ? "" : ", ") + f.get<std::string>();
  fmt::print("{} at {} MB: {} invocations ({})\n", g["function"].get<std::string>(), g["memory_mb"].get<int>(),
             g["invocations"].get<std::size_t>(), files);
  const bool checked = !g["check"].is_null();
  fmt::print("  {:<18} {:>12}  {:<25}{}\n", "", "measured", "95% interval", checked ? "  simulated    agrees" : "");
  auto row = [&](const std::string& name, const std::string& value, const std::string& interval) {
    std::string sim;
    if (checked)
      for (const auto& r : g["check"]["rows"])
        if (r["quantity"] == name) {
          bool share = name == "cold-start share";
          sim = fmt::format("  {:>10}   {}",
                            r["simulated"].is_null() ? "-"
                            : share                  ? percent(r["simulated"].get<double>())
                                                     : ms(r["simulated"].get<double>()),
                            r["within"].is_null()     ? "too few to say"
                            : r["within"].get<bool>() ? "yes"
                                                      : "NO");
        }
    fmt::print("  {:<18} {:>12}  {:<25}{}\n", name, value, interval, sim);
  };
  const char* dk[] = {"p50", "p90", "p99"};
  for (std::size_t i = 0; i < g["duration_ms"].size(); ++i) {
    const auto& p = g["duration_ms"][i];
    row(fmt::format("duration {}", dk[i]), ms(p["value"].get<double>()),
        ms(p["low"].get<double>()) + " - " + ms(p["high"].get<double>()));
  }
  const char* ik[] = {"p50", "p99"};
  for (std::size_t i = 0; i < g["init_ms"].size(); ++i) {
    const auto& p = g["init_ms"][i];
    row(fmt::format("init {}", ik[i]), ms(p["value"].get<double>()),
        ms(p["low"].get<double>()) + " - " + ms(p["high"].get<double>()));
  }
  const auto& c = g["cold_starts"];
  row("cold-start share", percent(c["share"].get<double>()),
      percent(c["low"].get<double>()) + " - " + percent(c["high"].get<double>()) +
          fmt::format(" ({} cold)", c["count"].get<std::size_t>()));
  if (checked)
    fmt::print("  (simulated: {} invocations of the calibrated model)\n",
               g["check"]["simulated_invocations"].get<std::uint64_t>());
  fmt::print("  handler:     {}\n", fit_line(g["handler"], "ms"));
  if (!g["cold_start"].is_null()) fmt::print("  cold_start:  {}\n", fit_line(g["cold_start"], "ms"));
  fmt::print("  memory_used: {}\n", fit_line(g["memory_used"], "mb"));
  for (const auto& n : g["notes"]) fmt::print("  note: {}\n", n.get<std::string>());
  fmt::print("\n");
}

}  // namespace

int calibrate_logs_command(const CalibrateLogsArgs& args) {
  LogCalibrationRequest request;
  request.paths = args.logs;
  request.skip_bad_lines = args.skip_bad_lines;
  request.function = args.function;
  if (!args.model.empty()) {
    request.model = check_model_from_file(args.model, args.overrides);
    if (!args.duration.empty()) {
      auto ns = units::parse_duration_ns(args.duration);
      if (!ns || *ns <= 0)
        throw ModelError(SourceLocation{"--duration " + args.duration, 0, 0}, "",
                         "expected a duration with a unit, like 1h or 30m");
      request.model->duration_ns = *ns;
    }
    request.model->seed = args.seed;
  } else if (!args.duration.empty() || args.seed || !args.overrides.empty()) {
    throw ModelError(SourceLocation{"--logs", 0, 0}, "",
                     "--duration, --seed and --set apply to --model, which is missing");
  }
  ojson j = calibrate_logs(request);
  if (args.format == "json") {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  if (args.format == "yaml") {
    for (const auto& g : j["groups"]) std::cout << g["fragment"].get<std::string>() << "\n";
    return 0;
  }
  if (args.format == "set") {
    for (const auto& g : j["groups"])
      for (const auto& o : g["overrides"]) fmt::print("--set '{}'\n", o.get<std::string>());
    return 0;
  }
  for (const auto& f : j["files"])
    fmt::print("{}: {} REPORT lines ({}){}\n", f["path"].get<std::string>(), f["reports"].get<std::size_t>(),
               f["format"].get<std::string>(),
               f["bad_lines"].get<std::size_t>()
                   ? fmt::format(", {} malformed lines skipped", f["bad_lines"].get<std::size_t>())
                   : "");
  const auto& bad = j["bad_lines"];
  for (std::size_t i = 0; i < bad.size() && i < 10; ++i)
    fmt::print("  skipped {}:{}:{}: {}\n", bad[i]["file"].get<std::string>(), bad[i]["line"].get<int>(),
               bad[i]["column"].get<int>(), bad[i]["problem"].get<std::string>());
  if (bad.size() > 10) fmt::print("  ... and {} more\n", bad.size() - 10);
  for (const auto& s : j["skipped_groups"]) fmt::print("not fitted: {}\n", s.get<std::string>());
  fmt::print("\n");
  for (const auto& g : j["groups"]) print_group(g);
  for (const auto& [function, fit] : j["across_memory"].items())
    fmt::print(
        "{} across memory sizes: cpu {:.2f}ms, threads {}, io {:.2f}ms (R^2 = {:.4f}): steps [{{cpu: {:.1f}ms, "
        "threads: {}}}, {{io: {:.1f}ms}}]\n\n",
        function, fit["cpu_ms"].get<double>(), fit["threads"].get<int>(), fit["io_ms"].get<double>(),
        fit["r_squared"].get<double>(), fit["cpu_ms"].get<double>(), fit["threads"].get<int>(),
        fit["io_ms"].get<double>());
  fmt::print("model fragment:\n\n");
  for (const auto& g : j["groups"]) std::cout << g["fragment"].get<std::string>() << "\n";
  fmt::print("or as overrides:\n\n");
  for (const auto& g : j["groups"])
    for (const auto& o : g["overrides"]) fmt::print("--set '{}'\n", o.get<std::string>());
  return 0;
}

}  // namespace sluice::cli
