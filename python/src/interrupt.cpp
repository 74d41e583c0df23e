#include "interrupt.hpp"

#include <chrono>

namespace py = pybind11;

namespace sluice::python {

std::function<void()> interrupt_check(PyObject* cancel) {
  using clock = std::chrono::steady_clock;
  // The first call checks at once; later ones at most every 100 ms, so that runs on many
  // threads do not contend for the GIL.
  return [cancel, last = clock::time_point{}]() mutable {
    auto now = clock::now();
    if (now - last < std::chrono::milliseconds(100)) return;
    last = now;
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (cancel != nullptr && py::handle(cancel).attr("is_set")().cast<bool>()) {
      PyErr_SetString(PyExc_KeyboardInterrupt, "the run was cancelled");
      throw py::error_already_set();
    }
  };
}

}  // namespace sluice::python
