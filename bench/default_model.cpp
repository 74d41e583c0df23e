// The engine's speed and memory on a real model: runs a model file (models/default.yaml) for a
// given simulated duration and reports events, wall time, events per second, simulated seconds
// per wall second and the peak resident set size of the process. Run it once per duration, as
// separate processes, so that each peak RSS belongs to one run: the memory of a run must not grow
// with its length (DESIGN.md §3), so the peak of 24 h should match the peak of 1 h.
//
// While it runs it also samples the current RSS (from /proc/self/statm) at every tenth of the
// simulated time, which shows where memory grows if it does.
//
//   default_model MODEL DURATION      e.g. default_model models/default.yaml 24h
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "sluice/errors.hpp"
#include "sluice/model.hpp"
#include "sluice/run.hpp"
#include "sluice/units.hpp"

namespace {

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports kilobytes
}

double current_rss_mb() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0;
  long pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return 0;
  return static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: default_model MODEL DURATION   (e.g. models/default.yaml 24h)\n");
    return 2;
  }
  const std::string path = argv[1];
  const auto duration_ns = sluice::units::parse_duration_ns(argv[2]);
  if (!duration_ns || *duration_ns <= 0) {
    fmt::print(stderr, "error: '{}' is not a duration (write it like 1h, 24h or 90m)\n", argv[2]);
    return 2;
  }

  sluice::ModelSpec model;
  try {
    model = sluice::load_model(path);
  } catch (const sluice::ModelError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
  const double rss_loaded_mb = current_rss_mb();

  // RSS at every tenth of the simulated time (progress arrives about every 65,536 events).
  std::vector<std::pair<double, double>> rss_samples;  // (simulated fraction, MB)
  sluice::RunOptions options;
  options.duration_ns = *duration_ns;
  options.on_progress = [&rss_samples](const sluice::Progress& p) {
    const double fraction = p.total_s > 0 ? p.simulated_s / p.total_s : 0;
    if (rss_samples.empty() || fraction >= rss_samples.back().first + 0.1)
      rss_samples.emplace_back(fraction, current_rss_mb());
  };

  sluice::Results results;
  const auto start = std::chrono::steady_clock::now();
  try {
    results = sluice::run(model, options);
  } catch (const sluice::RunAborted& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
  const auto stop = std::chrono::steady_clock::now();
  const double wall_s = std::chrono::duration<double>(stop - start).count();

  const auto events = results.summary.run.events;
  const double loop_wall_s = results.wall_s;
  const double simulated_s = *duration_ns / 1e9;
  std::uint64_t requests = 0;
  for (const auto& [name, source] : results.summary.sources) requests += source.requests;

  fmt::print("model {} ({}), {} simulated\n", model.name, path, argv[2]);
  fmt::print("  events                      {}\n", events);
  fmt::print("  source requests             {}\n", requests);
  fmt::print("  wall s (sluice::run)        {:.3f}\n", wall_s);
  fmt::print("  wall s (event loop)         {:.3f}\n", loop_wall_s);
  fmt::print("  events/s                    {:.0f}\n", static_cast<double>(events) / wall_s);
  fmt::print("  simulated s per wall s      {:.0f}\n", simulated_s / wall_s);
  fmt::print("  time-series rows            {}\n", results.timeseries.rows());
  fmt::print("  ledger balanced             {}\n", results.summary.ledger.balanced ? "yes" : "NO");
  fmt::print("  RSS after loading (MB)      {:.1f}\n", rss_loaded_mb);
  fmt::print("  RSS during the run (MB)    ");
  for (const auto& [fraction, mb] : rss_samples) fmt::print(" {:.0f}%:{:.1f}", fraction * 100, mb);
  fmt::print("\n  RSS at the end (MB)         {:.1f}\n", current_rss_mb());
  fmt::print("  peak RSS (MB)               {:.1f}\n", peak_rss_mb());
  return results.summary.ledger.balanced ? 0 : 1;
}
