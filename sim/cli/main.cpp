// The sluice command: run, validate and graph a model. Exit codes: 0 ok, 2 bad input (a
// malformed model, or a run stopped by its budget), 1 internal error.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/analysis_commands.hpp"
#include "cli/calibrate_logs_command.hpp"
#include "cli/compare_command.hpp"
#include "cli/metrics_command.hpp"
#include "cli/output_directory.hpp"
#include "cli/progress_bar.hpp"
#include "cli/summary_table.hpp"
#include "cli/sweep_command.hpp"
#include "sluice/analysis.hpp"
#include "sluice/model.hpp"
#include "sluice/option_values.hpp"
#include "sluice/run.hpp"
#include "sluice/units.hpp"

namespace {

constexpr int kOk = 0, kInternal = 1, kBadInput = 2;

struct ModelArgs {
  std::string path;
  std::vector<std::string> sets;
  std::vector<sluice::Override> overrides() const {
    std::vector<sluice::Override> out;
    for (const auto& s : sets) out.push_back(sluice::parse_override(s));
    return out;
  }
};

void print_warnings(const sluice::ModelSpec& m) {
  for (const auto& w : m.warnings)
    fmt::print(stderr, "warning: {}\n", sluice::format_error(w.where, w.key_path, w.message));
}

int run_command(const ModelArgs& args, const std::string& duration, std::optional<std::uint64_t> seed,
                const std::string& out_dir, const std::string& format, bool quiet) {
  sluice::ModelSpec model = sluice::load_model(args.path, args.overrides());
  // Checked before the run: a bad --out is bad input, not a failure after a long simulation.
  std::optional<sluice::cli::OutputDirectory> out;
  if (!out_dir.empty()) out.emplace(out_dir, std::vector<std::string>{"summary.json", "timeseries.csv"});
  if (!quiet) print_warnings(model);
  sluice::RunOptions options;
  if (!duration.empty()) options.duration_ns = sluice::parse_duration_option_ns(duration, "--duration");
  options.seed = seed;
  sluice::cli::ProgressBar bar;
  if (!quiet && isatty(STDERR_FILENO)) options.on_progress = [&](const sluice::Progress& p) { bar.update(p); };
  sluice::Results results = sluice::run(model, options);
  bar.done();
  if (out)
    out->publish(
        {{"summary.json", sluice::summary_to_json(results)}, {"timeseries.csv", sluice::timeseries_to_csv(results)}});
  if (format == "json") std::cout << sluice::summary_to_json(results);
  else if (!quiet) std::cout << sluice::cli::summary_table(results);
  return results.summary.ledger.balanced ? kOk : kInternal;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sluice: a discrete-event simulator for serverless architectures"};
  app.require_subcommand(1);
  ModelArgs args;

  auto* run = app.add_subcommand("run", "simulate a model and print its summary");
  std::string duration, out_dir, format = "table";
  std::optional<std::uint64_t> seed;
  bool quiet = false;
  run->add_option("model", args.path, "the model's YAML file")->required();
  run->add_option("--duration", duration, "simulated time, overriding run.duration (e.g. 24h)");
  run->add_option("--seed", seed, "random seed, overriding run.seed");
  // One value per --set (repeat it), so that `sluice run --set k=v MODEL` leaves MODEL alone.
  run->add_option("--set", args.sets, "override a key: --set components.ingest.memory=1024MB")->allow_extra_args(false);
  run->add_option("--out", out_dir, "write summary.json and timeseries.csv into this directory");
  run->add_option("--format", format, "what to print on stdout")->check(CLI::IsMember({"table", "json"}));
  run->add_flag("--quiet", quiet, "print nothing but errors (and the JSON with --format json)");

  auto* validate = app.add_subcommand("validate", "check a model without running it");
  validate->add_option("model", args.path, "the model's YAML file")->required();
  validate->add_option("--set", args.sets, "override a key")->allow_extra_args(false);

  auto* graph = app.add_subcommand("graph", "print the architecture as Graphviz DOT");
  graph->add_option("model", args.path, "the model's YAML file")->required();
  graph->add_option("--set", args.sets, "override a key")->allow_extra_args(false);

  auto* tune = app.add_subcommand("tune", "memory sizing: run the model at each memory size of a function");
  sluice::cli::TuneArgs tune_args;
  tune->add_option("model", tune_args.model, "the model's YAML file")->required();
  tune->add_option("--function", tune_args.function, "the function to size")->required();
  tune->add_option(
          "--memories", tune_args.memories,
          "memory sizes, e.g. 512MB,1GB (bare numbers are MB; default 128MB,256MB,512MB,1GB,1536MB,1769MB,2GB,3008MB)")
      ->delimiter(',');
  tune->add_option("--slo-p99", tune_args.slo_p99, "end-to-end p99 the recommendation must meet (e.g. 300ms)");
  tune->add_option("--strategy", tune_args.strategy, "cost | speed | balanced (as AWS Lambda Power Tuning)")
      ->check(CLI::IsMember(sluice::tune_strategy_names()));
  tune->add_option("--balanced-weight", tune_args.balanced_weight, "0 = speed only, 1 = cost only")
      ->check(CLI::Range(0.0, 1.0));
  tune->add_option("--duration", tune_args.duration, "simulated time per memory size");
  tune->add_option("--seed", tune_args.seed, "random seed (the same for every memory size)");
  tune->add_option("--set", args.sets, "override a key")->allow_extra_args(false);
  tune->add_option("--format", tune_args.format, "table or json")->check(CLI::IsMember({"table", "json"}));

  auto* compare = app.add_subcommand("compare", "run several designs with one workload and compare them side by side");
  sluice::cli::CompareArgs compare_args;
  compare->add_option("models", compare_args.models, "the designs' YAML files")->required()->expected(1, -1);
  compare->add_option("--duration", compare_args.duration, "simulated time for every design");
  compare->add_option("--seed", compare_args.seed, "random seed for every design (default: the first design's)");
  compare->add_option("--set", args.sets, "override a key in every design, or in one: --set design:key=value")
      ->allow_extra_args(false);
  compare->add_option("--format", compare_args.format, "table or json")->check(CLI::IsMember({"table", "json"}));

  auto* sweep = app.add_subcommand("sweep", "run a grid of --set values, each point several times, with 95% intervals");
  sluice::cli::SweepArgs sweep_args;
  sweep->add_option("model", sweep_args.model, "the model's YAML file")->required();
  sweep
      ->add_option("--set", sweep_args.sets,
                   "a key and its values: key=512MB,1GB (a list), key=100/s..500/s:5 (5 values from 100/s to "
                   "500/s) or key=512MB..2GB:+512MB (a step); repeat for a grid of every combination")
      ->allow_extra_args(false);  // one value per --set: `sweep --set k=v MODEL` leaves MODEL alone
  sweep
      ->add_option("--metric", sweep_args.metrics,
                   "a dotted path into the summary, e.g. sources.s.latency_ms.p99 (repeatable; default: each "
                   "source's p99 latency and cost per million, and cost_usd.total)")
      ->allow_extra_args(false);
  sweep->add_option("--replications", sweep_args.replications, "runs per point; replication r runs with seed + r");
  sweep->add_option("--duration", sweep_args.duration, "simulated time of every run, overriding run.duration");
  sweep->add_option("--seed", sweep_args.seed, "the seed of replication 0 (default: the model's run.seed)");
  sweep->add_option("--workers", sweep_args.workers, "threads running replications (default: the CPU count)");
  sweep->add_option("--format", sweep_args.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  sweep->add_option("--out", sweep_args.out, "write the output to this file instead of stdout");
  sweep->add_flag("--quiet", sweep_args.quiet, "no progress bar and no warnings");

  auto* calibrate = app.add_subcommand(
      "calibrate",
      "fit cpu, threads and io from measured (memory, duration), a function from its REPORT lines (--logs), or "
      "traffic from a CloudWatch metric (--metrics)");
  std::string measurements, calibrate_format = "table";
  calibrate->add_option("measurements", measurements,
                        "CSV of memory,duration (e.g. a Power Tuning run), or a metric (told by its header)");
  calibrate->add_option("--format", calibrate_format, "table or json (with --logs also yaml or set)")
      ->check(CLI::IsMember({"table", "json", "yaml", "set"}));
  // Shared by --logs and a metric: the model to check against, and skipping malformed lines.
  std::string calibrate_model;
  bool skip_bad_lines = false;
  calibrate->add_option("--model", calibrate_model,
                        "--logs: subtract the function's modelled calls and check the calibration; a metric: check "
                        "it against the model's --source");
  calibrate->add_flag("--skip-bad-lines", skip_bad_lines, "skip and count malformed lines (REPORT lines, data points)");
  // --logs: the function's REPORT lines (sim/cli/calibrate_logs_command.cpp).
  sluice::cli::CalibrateLogsArgs logs_args;
  calibrate
      ->add_option("--logs", logs_args.logs,
                   "Lambda REPORT log exports (text, filter-log-events JSON, platform.report)")
      ->expected(1, -1);
  calibrate->add_option("--function", logs_args.function,
                        "the function the logs are of (needed where they name no log group)");
  calibrate->add_option("--set", args.sets, "override a key of --model (with --logs)")->allow_extra_args(false);
  calibrate->add_option("--duration", logs_args.duration,
                        "the check's simulated time (default: the model's run.duration)");
  calibrate->add_option("--seed", logs_args.seed, "the check's random seed");
  // A metric: traffic from a CloudWatch metric (Count, Invocations) as an arrival trace
  // (sim/cli/metrics_command.cpp).
  sluice::cli::MetricsArgs metrics_args;
  calibrate->add_option("--metrics", metrics_args.file, "get-metric-data JSON or timestamp,value CSV: a trace");
  calibrate->add_option("--source", metrics_args.source, "the source whose arrivals the metric is");
  calibrate->add_option("--component", metrics_args.component, "the component measured (default: the source's target)");
  calibrate->add_option("--metric", metrics_args.metric, "Count, Invocations or NumberOfMessagesSent (default: Label)");
  calibrate->add_option("--period", metrics_args.period, "the metric's period (default: the smallest spacing)");
  calibrate->add_option("--id", metrics_args.id, "which MetricDataResult (its Id), when there are several");
  calibrate->add_option("--out", metrics_args.out, "write the arrival trace (format: counts) to this file");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kBadInput;
  }
  try {
    if (run->parsed()) return run_command(args, duration, seed, out_dir, format, quiet);
    if (tune->parsed()) {
      tune_args.overrides = args.overrides();
      return sluice::cli::tune_command(tune_args);
    }
    if (compare->parsed()) {
      compare_args.overrides = args.overrides();
      return sluice::cli::compare_command(compare_args);
    }
    if (sweep->parsed()) return sluice::cli::sweep_command(sweep_args);
    if (calibrate->parsed()) {
      bool logs_options = !logs_args.function.empty() || !args.sets.empty() || !logs_args.duration.empty() ||
                          logs_args.seed.has_value();
      bool metric_options = !metrics_args.file.empty() || !metrics_args.source.empty() ||
                            !metrics_args.component.empty() || !metrics_args.metric.empty() ||
                            !metrics_args.period.empty() || !metrics_args.id.empty() || !metrics_args.out.empty();
      if (!logs_args.logs.empty()) {
        if (!measurements.empty() || metric_options)
          throw sluice::ModelError({"calibrate", 0, 0}, "",
                                   "give --logs, a measurements CSV or a metric, one at a time: --metrics, --source, "
                                   "--component, --metric, --period, --id and --out go with a metric");
        logs_args.model = calibrate_model;
        logs_args.skip_bad_lines = skip_bad_lines;
        logs_args.overrides = args.overrides();
        logs_args.format = calibrate_format;
        return sluice::cli::calibrate_logs_command(logs_args);
      }
      if (logs_options)
        throw sluice::ModelError({"calibrate", 0, 0}, "", "--function, --set, --duration and --seed go with --logs");
      if (calibrate_format != "table" && calibrate_format != "json")
        throw sluice::ModelError({"--format " + calibrate_format, 0, 0}, "",
                                 "yaml and set go with --logs; a measurements fit or a metric prints table or json");
      metrics_args.model = calibrate_model;
      metrics_args.skip_bad_lines = skip_bad_lines;
      metrics_args.format = calibrate_format;
      return sluice::cli::calibrate_or_metrics_command(measurements, metrics_args);
    }
    sluice::ModelSpec model = sluice::load_model(args.path, args.overrides());
    print_warnings(model);
    if (validate->parsed())
      fmt::print("{}: ok ({} sources, {} components)\n", args.path, model.sources.size(), model.components.size());
    else std::cout << sluice::to_dot(model);
    return kOk;
  } catch (const sluice::ModelError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kBadInput;
  } catch (const sluice::cli::OutputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kBadInput;
  } catch (const sluice::RunAborted& e) {
    fmt::print(stderr, "\nerror: {}\n", e.what());
    return kBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "internal error: {}\n", e.what());
    return kInternal;
  }
}
