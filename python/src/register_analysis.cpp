// Memory sizing, design comparison and calibration, run by the engine (the GIL released while
// models run; Ctrl-C stops them, see interrupt.hpp).
#include <pybind11/stl.h>

#include <optional>

#include "interrupt.hpp"
#include "register.hpp"
#include "sluice/analysis.hpp"

namespace py = pybind11;

namespace sluice::python {

void register_analysis(py::module_& m) {
  py::class_<PowerTunePoint>(m, "PowerTunePoint")
      .def_readonly("memory_mb", &PowerTunePoint::memory_mb)
      .def_readonly("invocations", &PowerTunePoint::invocations)
      .def_readonly("throttles", &PowerTunePoint::throttles)
      .def_readonly("errors", &PowerTunePoint::errors)
      .def_readonly("crashes", &PowerTunePoint::crashes)
      .def_readonly("duration_mean_ms", &PowerTunePoint::duration_mean_ms)
      .def_readonly("duration_p50_ms", &PowerTunePoint::duration_p50_ms)
      .def_readonly("duration_p99_ms", &PowerTunePoint::duration_p99_ms)
      .def_readonly("end_to_end_p99_ms", &PowerTunePoint::end_to_end_p99_ms)
      .def_readonly("cold_start_share", &PowerTunePoint::cold_start_share)
      .def_readonly("cost_per_million_usd", &PowerTunePoint::cost_per_million_usd)
      .def_readonly("meets_slo", &PowerTunePoint::meets_slo);

  py::class_<PowerTuneResult>(m, "PowerTuneResult")
      .def_readonly("points", &PowerTuneResult::points)
      .def_readonly("recommended_memory_mb", &PowerTuneResult::recommended_memory_mb)
      .def_readonly("explanation", &PowerTuneResult::explanation);

  m.def(
      "power_tune",
      [](const ModelSpec& model, const std::string& function, const std::vector<int>& memories_mb,
         std::optional<double> slo_p99_ms, const std::string& strategy, double balanced_weight,
         std::optional<double> duration_s, std::optional<std::uint64_t> seed) {
        PowerTuneOptions o;
        o.function = function;
        o.memories_mb = memories_mb;
        o.slo_p99_ms = slo_p99_ms;
        // An unknown name is an error here too, never silently "cost".
        auto parsed = parse_tune_strategy(strategy);
        if (!parsed) {
          std::string names;
          for (const auto& n : tune_strategy_names()) names += (names.empty() ? "'" : ", '") + n + "'";
          throw py::value_error("strategy must be one of " + names + ", got '" + strategy + "'");
        }
        o.strategy = *parsed;
        o.balanced_weight = balanced_weight;
        if (duration_s) o.run.duration_ns = *duration_s * 1e9;
        o.run.seed = seed;
        o.run.check_interrupt = interrupt_check();
        py::gil_scoped_release release;
        return power_tune(model, o);
      },
      py::arg("model"), py::arg("function"), py::arg("memories_mb"), py::arg("slo_p99_ms"), py::arg("strategy"),
      py::arg("balanced_weight"), py::arg("duration_s"), py::arg("seed"));

  m.def("tune_strategies", &tune_strategy_names, "the strategies power_tune() takes, by name");
  m.def(
      "default_memories_mb", [] { return PowerTuneOptions{}.memories_mb; },
      "the memory sizes power tuning tries when given none (MB)");

  // Rows as JSON text: the Python side turns them into a DataFrame.
  m.def(
      "compare",
      [](const std::vector<ModelSpec>& designs, std::optional<double> duration_s, std::optional<std::uint64_t> seed) {
        RunOptions o;
        if (duration_s) o.duration_ns = *duration_s * 1e9;
        o.seed = seed;
        o.check_interrupt = interrupt_check();
        std::vector<DesignComparison> rows;
        {
          py::gil_scoped_release release;
          rows = compare(designs, o);
        }
        return comparison_to_json(rows).dump();
      },
      py::arg("designs"), py::arg("duration_s"), py::arg("seed"));

  // "design:key" overrides go to one design, plain keys to every design (the CLI's rule).
  m.def(
      "overrides_per_design",
      [](const std::vector<std::pair<std::string, std::string>>& designs,
         const std::vector<std::pair<std::string, std::string>>& overrides) {
        std::vector<DesignIdentity> ids;
        for (const auto& [name, file] : designs) ids.push_back({name, file});
        std::vector<Override> os;
        for (const auto& [key, value] : overrides) os.push_back({key, value});
        std::vector<std::vector<std::pair<std::string, std::string>>> out;
        for (const auto& list : overrides_per_design(ids, os)) {
          out.emplace_back();
          for (const auto& o : list) out.back().emplace_back(o.key_path, o.value);
        }
        return out;
      },
      py::arg("designs"), py::arg("overrides"));
  m.def("same_workload", &same_workload, py::arg("designs"));

  py::class_<Calibration>(m, "Calibration")
      .def_readonly("cpu_ms", &Calibration::cpu_ms)
      .def_readonly("threads", &Calibration::threads)
      .def_readonly("io_ms", &Calibration::io_ms)
      .def_readonly("r_squared", &Calibration::r_squared)
      .def_readonly("rmse_ms", &Calibration::rmse_ms)
      .def_readonly("measurements", &Calibration::measurements)
      .def_readonly("fitted_ms", &Calibration::fitted_ms);

  m.def(
      "read_measurements_csv",
      [](const std::string& path) {
        std::vector<double> memory, duration;
        for (const auto& ms : read_measurements_csv(path)) {
          memory.push_back(ms.memory_mb);
          duration.push_back(ms.duration_ms);
        }
        return std::make_pair(memory, duration);
      },
      py::arg("path"), "memory (MB) and duration (ms) columns of a measurements CSV, as `sluice calibrate` reads it");
  m.def(
      "calibrate",
      [](const std::vector<double>& memory_mb, const std::vector<double>& duration_ms) {
        if (memory_mb.size() != duration_ms.size()) throw py::value_error("memory and duration have different lengths");
        std::vector<Measurement> ms;
        for (std::size_t i = 0; i < memory_mb.size(); ++i) ms.push_back(Measurement{memory_mb[i], duration_ms[i]});
        try {
          return calibrate(ms);
        } catch (const std::invalid_argument& e) {
          throw py::value_error(e.what());
        }
      },
      py::arg("memory_mb"), py::arg("duration_ms"));
}

}  // namespace sluice::python
