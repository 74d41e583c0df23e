// Calibration from Lambda REPORT log lines: the whole study runs in the engine and comes back as
// the JSON of `sluice calibrate --logs --format json`, so Python and the command line agree.
#include <pybind11/stl.h>

#include <optional>

#include "interrupt.hpp"
#include "register.hpp"
#include "sluice/log_calibration.hpp"

namespace py = pybind11;

namespace sluice::python {

void register_log_calibration(py::module_& m) {
  m.def(
      "calibrate_logs",
      [](const std::vector<std::string>& paths, bool skip_bad_lines, const std::string& function,
         std::optional<std::string> model_text, const std::string& model_name, const std::string& base_dir,
         const std::vector<std::pair<std::string, std::string>>& overrides, std::optional<double> duration_s,
         std::optional<std::uint64_t> seed) {
        LogCalibrationRequest request;
        request.paths = paths;
        request.skip_bad_lines = skip_bad_lines;
        request.function = function;
        if (model_text) {
          CheckModel model;
          model.yaml_text = *model_text;
          model.display_name = model_name;
          model.base_dir = base_dir;
          for (const auto& [key, value] : overrides) model.overrides.push_back({key, value});
          if (duration_s) model.duration_ns = *duration_s * 1e9;
          model.seed = seed;
          model.check_interrupt = interrupt_check();
          request.model = model;
        }
        std::string out;
        {
          py::gil_scoped_release release;
          out = calibrate_logs(request).dump();
        }
        return out;
      },
      py::arg("paths"), py::arg("skip_bad_lines"), py::arg("function"), py::arg("model_text"), py::arg("model_name"),
      py::arg("base_dir"), py::arg("overrides"), py::arg("duration_s"), py::arg("seed"),
      "the JSON of `sluice calibrate --logs --format json`");
}

}  // namespace sluice::python
