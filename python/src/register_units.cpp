// Quantities with units ("250ms", "512MB", "100/s", "0.5%") read by the engine's own parsers,
// so the Python package reads every value exactly as a model does.
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "register.hpp"
#include "sluice/option_values.hpp"
#include "sluice/units.hpp"

namespace py = pybind11;

namespace sluice::python {

void register_units(py::module_& m) {
  m.def(
      "parse_duration_s",
      [](const std::string& text) -> std::optional<double> {
        auto ns = units::parse_duration_ns(text);
        if (!ns) return std::nullopt;
        return *ns / units::kNsPerSecond;
      },
      py::arg("text"), "seconds from a duration like 250ms or 10m; None when the text is not a duration");
  m.def(
      "parse_size_mb",
      [](const std::string& text) -> std::optional<double> {
        auto bytes = units::parse_size_bytes(text);
        if (!bytes) return std::nullopt;
        return *bytes / (1024.0 * 1024.0);
      },
      py::arg("text"), "MB (1 MB = 1024 KB) from a size like 512MB or 1.5GB; None when the text is not a size");
  m.def(
      "parse_rate_per_s", [](const std::string& text) { return units::parse_rate_per_s(text); }, py::arg("text"),
      "events per second from a rate like 100/s or 6000/min; None when the text is not a rate");
  m.def(
      "parse_fraction", [](const std::string& text) { return units::parse_fraction(text); }, py::arg("text"),
      "a fraction in [0, 1] from 0.5% or 0.005; None when the text is not a fraction");
  m.attr("DURATION_UNITS") = units::duration_unit_names();

  // Memory sizes of options, by the command line's rules (Lambda's range included).
  m.def(
      "parse_memory_mb",
      [](const std::string& text, const std::string& option) { return parse_memory_option_mb(text, option, false); },
      py::arg("text"), py::arg("option"),
      "whole MB from a size with a unit like 512MB or 1GB, within Lambda's range; ModelError otherwise");
  m.def(
      "check_memory_mb", [](double mb, const std::string& option) { check_memory_mb(mb, option); }, py::arg("mb"),
      py::arg("option"), "ModelError when a memory size in MB is outside Lambda's range");
}

}  // namespace sluice::python
