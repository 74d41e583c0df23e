// Running a model. The GIL is released while the engine runs, so threads can run models in
// parallel, and Ctrl-C still stops a run (interrupt.hpp). Time-series columns reach numpy without
// copies: the arrays view the Results' own vectors and keep the Results alive.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>

#include "interrupt.hpp"
#include "register.hpp"
#include "sluice/run.hpp"

namespace py = pybind11;

namespace sluice::python {
namespace {

template <class T>
py::array_t<T> view(const std::vector<T>& v, py::handle owner) {
  return py::array_t<T>({static_cast<py::ssize_t>(v.size())}, {static_cast<py::ssize_t>(sizeof(T))}, v.data(), owner);
}

}  // namespace

void register_run(py::module_& m) {
  py::class_<Results, std::shared_ptr<Results>>(m, "Results", "The results of one run")
      .def_property_readonly("summary_json", [](const Results& r) { return summary_to_json(r); })
      .def_readonly("wall_s", &Results::wall_s)
      .def("timeseries_csv", [](const Results& r) { return timeseries_to_csv(r); })
      .def_property_readonly("component_names", [](const Results& r) { return r.timeseries.components; })
      .def_property_readonly("metric_names", [](const Results& r) { return r.timeseries.metrics; })
      .def_property_readonly("time_s",
                             [](py::object self) { return view(self.cast<const Results&>().timeseries.time_s, self); })
      .def_property_readonly(
          "component_codes",
          [](py::object self) { return view(self.cast<const Results&>().timeseries.component, self); })
      .def_property_readonly("metric_codes",
                             [](py::object self) { return view(self.cast<const Results&>().timeseries.metric, self); })
      .def_property_readonly("values",
                             [](py::object self) { return view(self.cast<const Results&>().timeseries.value, self); })
      .def_property_readonly("warnings", [](const Results& r) { return r.warnings; });

  // `cancel`: a threading.Event; once set, the run stops with KeyboardInterrupt (see interrupt.hpp).
  m.def(
      "run",
      [](const ModelSpec& model, std::optional<double> duration_s, std::optional<std::uint64_t> seed,
         const py::object& cancel) {
        RunOptions options;
        if (duration_s) options.duration_ns = *duration_s * 1e9;
        options.seed = seed;
        options.check_interrupt = interrupt_check(cancel.is_none() ? nullptr : cancel.ptr());
        auto results = std::make_shared<Results>();
        {
          py::gil_scoped_release release;
          *results = run(model, options);
        }
        return results;
      },
      py::arg("model"), py::arg("duration_s") = py::none(), py::arg("seed") = py::none(),
      py::arg("cancel") = py::none());

  m.def(
      "check_run_options",
      [](const ModelSpec& model, std::optional<double> duration_s) {
        RunOptions options;
        if (duration_s) options.duration_ns = *duration_s * 1e9;
        check_run_options(model, options);
      },
      py::arg("model"), py::arg("duration_s") = py::none(),
      "raises ModelError where run() would: a duration outside 1ms..366d or with too many buckets, a warm-up "
      "not shorter than the run");
}

}  // namespace sluice::python
