// Sweeps, run by the engine (sluice/sweep.hpp): seeds per replication, metric checks and the 95%
// intervals are the command line's, so sluice.sweep and `sluice sweep` agree. The GIL is released
// while models run; Ctrl-C stops them (interrupt.hpp).
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <optional>

#include "interrupt.hpp"
#include "register.hpp"
#include "sluice/sweep.hpp"

namespace py = pybind11;

namespace sluice::python {
namespace {

// A count as a Python int (the summary's whole numbers), anything else as a float.
py::object to_python(const MetricValue& v) {
  if (v.count) return py::int_(static_cast<long long>(v.value));
  return py::float_(v.value);
}

py::list to_python(const std::vector<MetricValue>& values) {
  py::list out;
  for (const auto& v : values) out.append(to_python(v));
  return out;
}

py::tuple to_python(const Interval& i) { return py::make_tuple(i.mean, i.low, i.high, i.n); }

// Values from Python: a count when it is an int (not a bool), as the engine wrote it.
std::vector<MetricValue> from_python(const py::sequence& values) {
  std::vector<MetricValue> out;
  for (const auto& v : values) {
    bool count = py::isinstance<py::int_>(v) && !py::isinstance<py::bool_>(v);
    out.push_back(MetricValue{v.cast<double>(), count});
  }
  return out;
}

SweepSettings settings_of(const std::vector<std::string>& metrics, int replications, std::uint64_t seed,
                          std::optional<double> duration_s) {
  SweepSettings s;
  s.metrics = metrics;
  s.replications = replications;
  s.seed = seed;
  if (duration_s) s.duration_ns = *duration_s * 1e9;
  return s;
}

}  // namespace

void register_sweep(py::module_& m) {
  m.attr("MAX_REPLICATIONS") = kMaxReplications;
  m.attr("MAX_SWEEP_RUNS") = kMaxSweepRuns;
  m.attr("MAX_SWEEP_WORKERS") = kMaxSweepWorkers;

  m.def("default_sweep_metrics", &default_sweep_metrics, py::arg("model"),
        "each source's p99 latency and cost per million requests, and the total cost");
  m.def(
      "summary_metrics",
      [](const ModelSpec& model) {
        py::gil_scoped_release release;
        return summary_metrics(model);
      },
      py::arg("model"), "every metric of the model's summary by dotted path, from a 1 ms run without warm-up");
  m.def(
      "unknown_metric",
      [](const ModelSpec& model, const std::vector<std::string>& metrics) {
        py::gil_scoped_release release;
        return unknown_metric(model, metrics);
      },
      py::arg("model"), py::arg("metrics"),
      "what is wrong with the first metric not in the model's summary (with the closest names), or None");
  m.def("replication_seed", &replication_seed, py::arg("seed"), py::arg("replication"),
        "the seed of a replication: seed + replication");

  // One replication of one point: a Dask task. `cancel` as in run().
  m.def(
      "run_replication",
      [](const ModelSpec& point, const std::vector<std::string>& metrics, std::uint64_t seed, int replication,
         std::optional<double> duration_s, const py::object& cancel) {
        auto settings = settings_of(metrics, replication + 1, seed, duration_s);
        auto check = interrupt_check(cancel.is_none() ? nullptr : cancel.ptr());
        std::vector<MetricValue> values;
        {
          py::gil_scoped_release release;
          values = run_replication(point, settings, replication, check);
        }
        return to_python(values);
      },
      py::arg("model"), py::arg("metrics"), py::arg("seed"), py::arg("replication"), py::arg("duration_s"),
      py::arg("cancel") = py::none());

  // Every replication of every point on `workers` threads. Returns, per point, (runs, intervals):
  // runs[replication][metric] and intervals[metric] = (mean, low, high, n). `progress(done, total)`
  // is called on this thread as runs finish.
  m.def(
      "sweep",
      [](const std::vector<ModelSpec>& points, const std::vector<std::string>& metrics, int replications,
         std::uint64_t seed, std::optional<double> duration_s, int workers,
         std::optional<std::function<void(std::size_t, std::size_t)>> progress) {
        SweepExecution e;
        e.workers = workers;
        e.check_interrupt = interrupt_check();
        if (progress)
          e.on_progress = [&progress](std::size_t done, std::size_t total) {
            py::gil_scoped_acquire gil;
            (*progress)(done, total);
          };
        std::vector<SweepPointResult> results;
        {
          py::gil_scoped_release release;
          results = sweep(points, settings_of(metrics, replications, seed, duration_s), e);
        }
        py::list out;
        for (const auto& r : results) {
          py::list runs, intervals;
          for (const auto& run : r.runs) runs.append(to_python(run));
          for (const auto& i : r.intervals) intervals.append(to_python(i));
          out.append(py::make_tuple(runs, intervals));
        }
        return out;
      },
      py::arg("points"), py::arg("metrics"), py::arg("replications"), py::arg("seed"), py::arg("duration_s"),
      py::arg("workers"), py::arg("progress") = py::none());

  // The intervals, for replications gathered elsewhere (a Dask cluster) and for sluice._stats.
  m.def(
      "metric_interval", [](const py::sequence& values) { return to_python(metric_interval(from_python(values))); },
      py::arg("values"), "(mean, low, high, n): Garwood and t for counts (ints), Student's t otherwise");
  m.def(
      "mean_interval", [](const std::vector<double>& values) { return to_python(mean_interval(values)); },
      py::arg("values"), "(mean, low, high, n): Student's t 95% interval of a quantity");
  m.def(
      "count_interval", [](const std::vector<double>& values) { return to_python(count_interval(values)); },
      py::arg("values"), "(mean, low, high, n): the 95% interval of a count, never below zero");
  m.def("poisson_interval", &poisson_interval, py::arg("total"),
        "Garwood's exact 95% interval for the mean of a Poisson count observed as `total`");
}

}  // namespace sluice::python
