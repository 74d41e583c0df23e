// Models: loading with overrides, validation, the architecture as DOT, and the effective YAML.
#include <pybind11/stl.h>

#include "register.hpp"
#include "sluice/model.hpp"

namespace py = pybind11;

namespace sluice::python {
namespace {

std::vector<Override> to_overrides(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::vector<Override> out;
  for (const auto& [k, v] : pairs) out.push_back(Override{k, v});
  return out;
}

}  // namespace

void register_model(py::module_& m) {
  py::class_<ModelSpec>(m, "ModelSpec", "A validated model (plain data)")
      .def_readonly("name", &ModelSpec::name)
      .def_readonly("file", &ModelSpec::file)
      .def_property_readonly("duration_s", [](const ModelSpec& s) { return s.run.duration_ns / 1e9; })
      .def_property_readonly("warmup_s", [](const ModelSpec& s) { return s.run.warmup_ns / 1e9; })
      .def_property_readonly("seed", [](const ModelSpec& s) { return s.run.seed; })
      .def_property_readonly("sources",
                             [](const ModelSpec& s) {
                               std::vector<std::string> names;
                               for (const auto& src : s.sources) names.push_back(src.name);
                               return names;
                             })
      .def_property_readonly("components",
                             [](const ModelSpec& s) {
                               std::vector<std::pair<std::string, std::string>> out;
                               for (const auto& c : s.components) out.emplace_back(c.name, c.type);
                               return out;
                             })
      .def_property_readonly("warnings",
                             [](const ModelSpec& s) {
                               std::vector<std::string> out;
                               for (const auto& w : s.warnings)
                                 out.push_back(format_error(w.where, w.key_path, w.message));
                               return out;
                             })
      .def("__eq__", [](const ModelSpec& a, const ModelSpec& b) { return a == b; })
      .def("__repr__", [](const ModelSpec& s) { return "<ModelSpec '" + s.name + "'>"; });

  m.def(
      "load_model",
      [](const std::string& path, const std::vector<std::pair<std::string, std::string>>& overrides) {
        return load_model(path, to_overrides(overrides));
      },
      py::arg("path"), py::arg("overrides"));
  m.def(
      "load_model_from_string",
      [](const std::string& text, const std::vector<std::pair<std::string, std::string>>& overrides,
         const std::string& display_name, const std::string& base_dir) {
        return load_model_from_string(text, to_overrides(overrides), display_name, base_dir);
      },
      py::arg("text"), py::arg("overrides"), py::arg("display_name"), py::arg("base_dir"));
  m.def(
      "effective_yaml",
      [](const std::string& text, const std::vector<std::pair<std::string, std::string>>& overrides,
         const std::string& display_name) { return effective_yaml(text, to_overrides(overrides), display_name); },
      py::arg("text"), py::arg("overrides"), py::arg("display_name"), "the model's YAML with the overrides applied");
  m.def(
      "effective_json",
      [](const std::string& text, const std::vector<std::pair<std::string, std::string>>& overrides,
         const std::string& display_name) { return effective_json(text, to_overrides(overrides), display_name); },
      py::arg("text"), py::arg("overrides"), py::arg("display_name"));
  m.def("to_dot", &to_dot, py::arg("model"));
  m.def("supported_component_types", &supported_component_types);
}

}  // namespace sluice::python
