// Traffic from CloudWatch metrics (sluice/metric_traffic.hpp): the reading and the model check,
// for sluice.traffic_from_metrics.
#include <pybind11/stl.h>

#include "register.hpp"
#include "sluice/metric_traffic.hpp"

namespace py = pybind11;

namespace sluice::python {

void register_traffic(py::module_& m) {
  py::class_<MetricTraffic>(m, "MetricTraffic")
      .def_readonly("file", &MetricTraffic::file)
      .def_readonly("format", &MetricTraffic::format)
      .def_readonly("id", &MetricTraffic::id)
      .def_readonly("label", &MetricTraffic::label)
      .def_readonly("metric", &MetricTraffic::metric)
      .def_readonly("period_s", &MetricTraffic::period_s)
      .def_readonly("period_inferred", &MetricTraffic::period_inferred)
      .def_readonly("start_epoch_s", &MetricTraffic::start_epoch_s)
      .def_readonly("counts", &MetricTraffic::counts)
      .def_readonly("data_points", &MetricTraffic::data_points)
      .def_readonly("missing_periods", &MetricTraffic::missing_periods)
      .def_readonly("skipped_lines", &MetricTraffic::skipped_lines)
      .def_readonly("skipped", &MetricTraffic::skipped)
      .def_readonly("warnings", &MetricTraffic::warnings);

  m.def(
      "read_metric_traffic",
      [](const std::string& path, bool skip_bad_lines, std::optional<std::int64_t> period_s, const std::string& id) {
        MetricReadOptions o;
        o.skip_bad_lines = skip_bad_lines;
        o.period_s = period_s;
        o.id = id;
        return read_metric_traffic(path, o);
      },
      py::arg("path"), py::arg("skip_bad_lines"), py::arg("period_s"), py::arg("id"));
  m.def(
      "check_metric_source",
      [](MetricTraffic traffic, const ModelSpec& model, const std::string& source, const std::string& component,
         const std::string& metric) {
        check_metric_source(traffic, model, source, component, metric);
        return traffic;
      },
      py::arg("traffic"), py::arg("model"), py::arg("source"), py::arg("component"), py::arg("metric"));
  m.def("metric_trace_csv", &metric_trace_csv, py::arg("traffic"));
  m.def(
      "classify_calibration_file",
      [](const std::string& path) {
        switch (classify_calibration_file(path)) {
          case CalibrationFile::measurements:
            return "measurements";
          case CalibrationFile::metrics_csv:
            return "metrics_csv";
          case CalibrationFile::metrics_json:
            return "metrics_json";
        }
        return "";
      },
      py::arg("path"));
  m.attr("METRIC_COUNTS_CAVEAT") = kMetricCountsCaveat;
}

}  // namespace sluice::python
