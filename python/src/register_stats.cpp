// Special functions the Python package's confidence intervals need, from Boost.Math (so the
// package needs no SciPy).
#include <boost/math/special_functions/gamma.hpp>

#include "register.hpp"

namespace py = pybind11;

namespace sluice::python {

void register_stats(py::module_& m) {
  m.def(
      "gamma_quantile",
      [](double shape, double p) {
        if (!(shape > 0) || !(p > 0 && p < 1)) throw py::value_error("gamma_quantile needs shape > 0 and 0 < p < 1");
        return boost::math::gamma_p_inv(shape, p);
      },
      py::arg("shape"), py::arg("p"),
      "the p-quantile of the Gamma(shape, scale 1) distribution (the inverse of the regularized lower "
      "incomplete gamma function)");
}

}  // namespace sluice::python
