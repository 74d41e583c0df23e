#pragma once
#include <pybind11/pybind11.h>

namespace sluice::python {

void register_errors(pybind11::module_& m);
void register_model(pybind11::module_& m);
void register_run(pybind11::module_& m);
void register_analysis(pybind11::module_& m);
void register_units(pybind11::module_& m);
void register_stats(pybind11::module_& m);
void register_log_calibration(pybind11::module_& m);
void register_traffic(pybind11::module_& m);
void register_sweep(pybind11::module_& m);

}  // namespace sluice::python
