#include "cli/sweep_command.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/output_directory.hpp"
#include "cli/progress_bar.hpp"
#include "sluice/option_values.hpp"
#include "sluice/sweep.hpp"

namespace sluice::cli {
namespace {

namespace fs = std::filesystem;

// --out FILE: checked before the first run (bad input, not a failure after hours of runs), and
// written whole at the end through a file beside it and a rename, so a reader never sees half.
class OutputFile {
 public:
  explicit OutputFile(const std::string& path) : path_(path) {
    if (path_.empty()) return;
    std::error_code ec;
    if (fs::is_directory(path_, ec)) throw OutputError(fmt::format("--out {}: is a directory", path));
    staging_ = path_;
    staging_ += fmt::format(".tmp-{}", ::getpid());
    std::ofstream probe(staging_);
    if (!probe) throw OutputError(fmt::format("--out {}: cannot write there", path));
    probe.close();
    fs::remove(staging_, ec);
  }
  bool to_stdout() const { return path_.empty(); }
  void publish(const std::string& text) const {
    {
      std::ofstream out(staging_, std::ios::binary);
      out << text;
      if (!out) throw OutputError(fmt::format("--out {}: cannot write", path_.string()));
    }
    std::error_code ec;
    fs::rename(staging_, path_, ec);
    if (ec) {
      fs::remove(staging_, ec);
      throw OutputError(fmt::format("--out {}: cannot write: {}", path_.string(), ec.message()));
    }
  }

 private:
  fs::path path_, staging_;
};

std::string label(const std::vector<Override>& point) {
  std::string out;
  for (const auto& o : point) out += fmt::format("{}{}={}", out.empty() ? "" : ", ", o.key_path, o.value);
  return out;
}

// Numbers as summary.json writes them (shortest round trip); nothing for NaN.
std::string number(double v) { return std::isnan(v) ? "" : fmt::format("{}", v); }
nlohmann::ordered_json json_number(double v) {
  return std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v);
}

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

struct Table {
  std::vector<SweepParameter> parameters;
  std::vector<std::vector<Override>> points;
  SweepSettings settings;
  std::vector<SweepPointResult> results;
};

// One row per point: the parameters as given, then each metric's mean and interval bounds
// (the columns of Python's sluice.sweep), and the replications.
std::string to_csv(const Table& t) {
  std::string out;
  std::vector<std::string> header;
  for (const auto& p : t.parameters) header.push_back(csv_cell(p.key_path));
  for (const auto& m : t.settings.metrics)
    for (const char* suffix : {"", "_ci95_low", "_ci95_high"}) header.push_back(csv_cell(m + suffix));
  header.emplace_back("replications");
  out += fmt::format("{}\n", fmt::join(header, ","));
  for (std::size_t i = 0; i < t.points.size(); ++i) {
    std::vector<std::string> row;
    for (const auto& o : t.points[i]) row.push_back(csv_cell(o.value));
    for (const auto& iv : t.results[i].intervals) {
      row.push_back(number(iv.mean));
      row.push_back(number(iv.low));
      row.push_back(number(iv.high));
    }
    row.push_back(std::to_string(t.settings.replications));
    out += fmt::format("{}\n", fmt::join(row, ","));
  }
  return out;
}

std::string to_json(const Table& t) {
  nlohmann::ordered_json j;
  j["seed"] = t.settings.seed;
  j["replications"] = t.settings.replications;
  j["duration_s"] = t.settings.duration_ns ? nlohmann::ordered_json(*t.settings.duration_ns / 1e9) : nullptr;
  j["parameters"] = nlohmann::ordered_json::array();
  for (const auto& p : t.parameters) j["parameters"].push_back(p.key_path);
  j["metrics"] = t.settings.metrics;
  j["points"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < t.points.size(); ++i) {
    nlohmann::ordered_json point;
    point["parameters"] = nlohmann::ordered_json::object();
    for (const auto& o : t.points[i]) point["parameters"][o.key_path] = o.value;
    point["metrics"] = nlohmann::ordered_json::object();
    for (std::size_t m = 0; m < t.settings.metrics.size(); ++m) {
      const auto& iv = t.results[i].intervals[m];
      bool count = !t.results[i].runs.empty() && t.results[i].runs.front()[m].count;
      point["metrics"][t.settings.metrics[m]] = {{"mean", json_number(iv.mean)},
                                                 {"ci95_low", json_number(iv.low)},
                                                 {"ci95_high", json_number(iv.high)},
                                                 {"n", iv.n},
                                                 {"count", count}};
    }
    j["points"].push_back(point);
  }
  return j.dump(2) + "\n";
}

// One line per point and metric: the parameters, the metric, its mean and 95% interval.
std::string to_table(const Table& t) {
  std::vector<std::size_t> widths;
  for (std::size_t k = 0; k < t.parameters.size(); ++k) {
    std::size_t w = t.parameters[k].key_path.size();
    for (const auto& p : t.points) w = std::max(w, p[k].value.size());
    widths.push_back(w);
  }
  std::size_t metric_width = 6;
  for (const auto& m : t.settings.metrics) metric_width = std::max(metric_width, m.size());
  auto shown = [](double v) { return std::isnan(v) ? std::string("-") : fmt::format("{:.6g}", v); };
  std::string out;
  for (std::size_t k = 0; k < t.parameters.size(); ++k)
    out += fmt::format("{:<{}}  ", t.parameters[k].key_path, widths[k]);
  out += fmt::format("{:<{}}  {:>12}  {:>12}  {:>12}  {:>5}\n", "metric", metric_width, "mean", "ci95 low", "ci95 high",
                     "n");
  for (std::size_t i = 0; i < t.points.size(); ++i)
    for (std::size_t m = 0; m < t.settings.metrics.size(); ++m) {
      for (std::size_t k = 0; k < t.parameters.size(); ++k)
        out += fmt::format("{:<{}}  ", m == 0 ? t.points[i][k].value : "", widths[k]);
      const auto& iv = t.results[i].intervals[m];
      out += fmt::format("{:<{}}  {:>12}  {:>12}  {:>12}  {:>5}\n", t.settings.metrics[m], metric_width, shown(iv.mean),
                         shown(iv.low), shown(iv.high), iv.n);
    }
  out += fmt::format(
      "\nreplication r of every point ran with seed {} + r (common random numbers). 95% interval: Student's t for a "
      "quantity;\nfor a count, Garwood's exact Poisson interval together with t, never below zero. One replication "
      "gives none (-).\n",
      t.settings.seed);
  return out;
}

}  // namespace

int sweep_command(const SweepArgs& args) {
  Table t;
  for (const auto& s : args.sets) {
    t.parameters.push_back(parse_sweep_parameter(s));
    const std::string& key = t.parameters.back().key_path;
    for (std::size_t i = 0; i + 1 < t.parameters.size(); ++i)
      if (t.parameters[i].key_path == key)
        throw ModelError(SourceLocation{"--set " + key, 0, 0}, "",
                         "the key is given twice; give its values once: key=a,b,c");
    // The sweep gives every run its seed (and, with --duration, its duration): sweeping these
    // would silently run the same thing at every point.
    if (key == "run.seed")
      throw ModelError(SourceLocation{"--set run.seed", 0, 0}, "",
                       "the sweep sets each run's seed (--seed + replication): use --seed and --replications instead");
    if (key == "run.duration" && !args.duration.empty())
      throw ModelError(SourceLocation{"--set run.duration", 0, 0}, "",
                       "--duration overrides every run's duration: leave it out to sweep run.duration");
  }
  if (args.replications < 1 || args.replications > kMaxReplications)
    throw ModelError(SourceLocation{"--replications", 0, 0}, "",
                     fmt::format("expected 1 to {} replications, got {}", kMaxReplications, args.replications));
  int workers = args.workers.value_or(
      std::min(kMaxSweepWorkers, static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))));
  if (workers < 1 || workers > kMaxSweepWorkers)
    throw ModelError(SourceLocation{"--workers", 0, 0}, "",
                     fmt::format("expected 1 to {} threads, got {}", kMaxSweepWorkers, workers));
  if (!args.duration.empty()) t.settings.duration_ns = parse_duration_option_ns(args.duration, "--duration");
  t.settings.replications = args.replications;
  // The grid's size before it is built: a typo must not allocate a billion points.
  std::size_t size = 1;
  for (const auto& p : t.parameters) {
    size *= p.values.size();
    if (size > kMaxSweepRuns / static_cast<std::size_t>(args.replications))
      throw ModelError(
          SourceLocation{"--set", 0, 0}, "",
          fmt::format("the grid times {} replications is more than {} runs", args.replications, kMaxSweepRuns));
  }
  t.points = sweep_grid(t.parameters);
  OutputFile out(args.out);

  // Every point is loaded (and so validated) before anything runs: a bad value fails fast.
  std::vector<ModelSpec> models;
  std::vector<std::string> labels;
  for (const auto& point : t.points) {
    models.push_back(load_model(args.model, point));
    labels.push_back(label(point));
  }
  if (!args.quiet)
    for (const auto& w : models.front().warnings)
      fmt::print(stderr, "warning: {}\n", format_error(w.where, w.key_path, w.message));
  t.settings.seed = args.seed.value_or(models.front().run.seed);
  t.settings.metrics = args.metrics.empty() ? default_sweep_metrics(models.front()) : args.metrics;
  for (std::size_t i = 0; i < t.settings.metrics.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (t.settings.metrics[i] == t.settings.metrics[j])
        throw ModelError(SourceLocation{"--metric " + t.settings.metrics[i], 0, 0}, "", "the metric is given twice");
  check_sweep(models, labels, t.settings);

  SweepExecution execution;
  execution.workers = workers;
  ProgressBar bar;
  auto started = std::chrono::steady_clock::now();
  if (!args.quiet && isatty(STDERR_FILENO))
    execution.on_progress = [&](std::size_t done, std::size_t total) {
      bar.update_runs(done, total, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    };
  t.results = sweep(models, t.settings, execution);
  bar.done();

  std::string text = args.format == "json" ? to_json(t) : args.format == "csv" ? to_csv(t) : to_table(t);
  if (out.to_stdout()) std::cout << text;
  else out.publish(text);
  return 0;
}

}  // namespace sluice::cli
