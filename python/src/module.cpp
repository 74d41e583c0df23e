// sluice._core: the engine for Python. This file only wires the areas together; each area
// registers its own types and functions (register_*.cpp), as boost-histogram does.
#include <pybind11/pybind11.h>

#include "register.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "sluice's C++ engine (private: use the sluice package)";
  sluice::python::register_errors(m);
  sluice::python::register_model(m);
  sluice::python::register_run(m);
  sluice::python::register_analysis(m);
  sluice::python::register_units(m);
  sluice::python::register_stats(m);
  sluice::python::register_log_calibration(m);
  sluice::python::register_traffic(m);
  sluice::python::register_sweep(m);
}
