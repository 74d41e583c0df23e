// Running a sweep: every replication of every point on a few threads, checked as a whole before
// the first run. Tasks are taken in order (point by point, replication by replication) and each
// result lands in its own slot, so the results do not depend on the number of threads.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "sluice/run.hpp"
#include "sluice/sweep.hpp"

namespace sluice {
namespace {

// Thrown into the runs in flight once the sweep stops (Ctrl-C, or another run failed).
struct Stopped {};

}  // namespace

std::uint64_t replication_seed(std::uint64_t seed, int replication) {
  auto r = static_cast<std::uint64_t>(replication);
  if (replication < 0 || seed > std::numeric_limits<std::uint64_t>::max() - r)
    throw ModelError(SourceLocation{"--seed", 0, 0}, "",
                     fmt::format("seed + replications - 1 must be at most 2^64 - 1 (replication r runs with seed + r); "
                                 "got seed {} and replication {}",
                                 seed, replication));
  return seed + r;
}

std::vector<MetricValue> run_replication(const ModelSpec& point, const SweepSettings& settings, int replication,
                                         const std::function<void()>& check_interrupt) {
  RunOptions options;
  options.duration_ns = settings.duration_ns;
  options.seed = replication_seed(settings.seed, replication);
  options.check_interrupt = check_interrupt;
  return read_metrics(run(point, options), settings.metrics);
}

void check_sweep(const std::vector<ModelSpec>& points, const std::vector<std::string>& labels,
                 const SweepSettings& settings) {
  if (settings.replications < 1 || settings.replications > kMaxReplications)
    throw ModelError(SourceLocation{"--replications", 0, 0}, "",
                     fmt::format("expected 1 to {} replications, got {}", kMaxReplications, settings.replications));
  replication_seed(settings.seed, settings.replications - 1);
  if (points.empty()) throw ModelError(SourceLocation{"--set", 0, 0}, "", "the sweep has no points");
  if (points.size() > kMaxSweepRuns / static_cast<std::size_t>(settings.replications))
    throw ModelError(SourceLocation{"--replications", 0, 0}, "",
                     fmt::format("{} points x {} replications is more than {} runs", points.size(),
                                 settings.replications, kMaxSweepRuns));
  if (settings.metrics.empty()) throw ModelError(SourceLocation{"--metric", 0, 0}, "", "no metrics to sweep");
  RunOptions options;
  options.duration_ns = settings.duration_ns;
  for (std::size_t i = 0; i < points.size(); ++i) {
    check_run_options(points[i], options);
    if (auto problem = unknown_metric(points[i], settings.metrics)) {
      std::string at = points.size() > 1 && i < labels.size() ? fmt::format(" (at {})", labels[i]) : "";
      throw ModelError(SourceLocation{"--metric", 0, 0}, "", *problem + at);
    }
  }
}

std::vector<SweepPointResult> sweep(const std::vector<ModelSpec>& points, const SweepSettings& settings,
                                    const SweepExecution& execution) {
  const auto replications = static_cast<std::size_t>(std::max(settings.replications, 0));
  const std::size_t total = points.size() * replications;
  std::vector<std::vector<MetricValue>> outcome(total);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t done = 0;
  std::exception_ptr failure;

  auto stop_check = [&stop] {
    if (stop.load(std::memory_order_relaxed)) throw Stopped{};
  };
  auto work = [&] {
    while (!stop.load()) {
      std::size_t task = next.fetch_add(1);
      if (task >= total) break;
      try {
        outcome[task] =
            run_replication(points[task / replications], settings, static_cast<int>(task % replications), stop_check);
      } catch (const Stopped&) {
        break;
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
        changed.notify_all();
        break;
      }
      std::lock_guard lock(mutex);
      ++done;
      changed.notify_all();
    }
  };

  std::size_t n = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(execution.workers, 1)), 1,
                                          std::max<std::size_t>(total, 1));
  std::vector<std::thread> threads;
  auto join = [&] {
    stop = true;
    for (auto& t : threads)
      if (t.joinable()) t.join();
  };
  // The calling thread reports progress and polls for interrupts (Ctrl-C reaches only the main
  // thread in Python) while the workers run.
  try {
    for (std::size_t i = 0; i < n; ++i) threads.emplace_back(work);
    std::size_t reported = 0;
    std::unique_lock lock(mutex);
    while (!failure && reported < total) {
      changed.wait_for(lock, std::chrono::milliseconds(100), [&] { return failure || done != reported; });
      std::size_t now = done;
      lock.unlock();
      if (now != reported && execution.on_progress) execution.on_progress(now, total);
      reported = now;
      if (execution.check_interrupt) execution.check_interrupt();
      lock.lock();
    }
  } catch (...) {
    join();
    throw;
  }
  join();
  if (failure) std::rethrow_exception(failure);

  std::vector<SweepPointResult> results(points.size());
  for (std::size_t p = 0; p < points.size(); ++p) {
    auto& r = results[p];
    for (std::size_t rep = 0; rep < replications; ++rep) r.runs.push_back(std::move(outcome[p * replications + rep]));
    for (std::size_t m = 0; m < settings.metrics.size(); ++m) {
      std::vector<MetricValue> values;
      for (const auto& run : r.runs) values.push_back(run[m]);
      r.intervals.push_back(metric_interval(values));
    }
  }
  return results;
}

}  // namespace sluice
