// ModelError is a ValueError carrying the same file:line:column message as the command line;
// RunAborted (a run over its budget) is a RuntimeError. No C++ exception reaches Python raw.
#include "register.hpp"
#include "sluice/errors.hpp"

namespace py = pybind11;

namespace sluice::python {

void register_errors(py::module_& m) {
  static py::exception<ModelError> model_error(m, "ModelError", PyExc_ValueError);
  static py::exception<RunAborted> run_aborted(m, "RunAborted", PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ModelError& e) {
      py::set_error(model_error, e.what());
    } catch (const RunAborted& e) {
      py::set_error(run_aborted, e.what());
    }
  });
}

}  // namespace sluice::python
