#include "model_target.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <memory>
#include <typeinfo>

#include <cxxabi.h>

#include "sluice/errors.hpp"
#include "sluice/model.hpp"
#include "sluice/results.hpp"
#include "sluice/run.hpp"

namespace sluice::fuzz {
namespace {

// The dynamic type of an exception, demangled ("std::out_of_range"), for the finding's message.
std::string type_name(const std::exception& e) {
  const char* mangled = typeid(e).name();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? demangled.get() : mangled;
}

Outcome finding(std::string what) { return {Outcome::Kind::finding, std::move(what)}; }

// Every figure of a summary is a count, a time, a size, a share or money: finite and never
// negative (the rule tests/cpp/ledger.test.cpp checks for the shipped models).
std::string first_bad_figure(const nlohmann::ordered_json& j, const std::string& path) {
  if (j.is_number()) {
    double v = j.get<double>();
    if (!std::isfinite(v) || v < 0) return path + " = " + j.dump();
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items())
      if (auto bad = first_bad_figure(value, path + "." + key); !bad.empty()) return bad;
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      if (auto bad = first_bad_figure(j[i], path + "[" + std::to_string(i) + "]"); !bad.empty()) return bad;
  }
  return {};
}

Outcome run_checks(ModelSpec model, const TargetLimits& limits) {
  RunOptions options;
  options.duration_ns = std::min(model.run.duration_ns, model.run.warmup_ns + limits.measured_ns);
  model.run.budget.max_events = std::min(model.run.budget.max_events, limits.max_events);
  model.run.budget.max_in_flight = std::min(model.run.budget.max_in_flight, limits.max_in_flight);
  model.run.budget.max_wall_s = 0;
  Results results;
  try {
    results = run(model, options);
  } catch (const ModelError& e) {  // a check only the engine can make (a warm-up past the end)
    return {Outcome::Kind::model_error, e.what()};
  } catch (const RunAborted& e) {
    return {Outcome::Kind::run_aborted, e.what()};
  } catch (const std::exception& e) {
    return finding("run threw " + type_name(e) + ": " + e.what());
  } catch (...) {
    return finding("run threw something that is not a std::exception");
  }
  try {  // what `sluice run` writes: names from the model reach JSON (which wants valid UTF-8)
    const auto summary = summary_document(results.summary);
    if (!results.summary.ledger.balanced) return finding("the ledger does not balance: " + summary["ledger"].dump());
    if (auto bad = first_bad_figure(summary, "summary"); !bad.empty())
      return finding("a summary figure is negative or not finite: " + bad);
    summary_to_json(results);
    timeseries_to_csv(results);
  } catch (const std::exception& e) {
    return finding("writing the results threw " + type_name(e) + ": " + e.what());
  }
  return {};
}

// The model's text written back (what the Python package's dict and `--save` use): a string or a
// ModelError, like the loader.
Outcome check_effective_text(const std::string& text, const std::string& display_name) {
  for (auto* write : {&effective_yaml, &effective_json}) {
    const char* name = write == &effective_yaml ? "effective_yaml" : "effective_json";
    try {
      write(text, {}, display_name);
    } catch (const ModelError&) {
      // the loader below gives the same kind of answer; its message is the one reported
    } catch (const std::exception& e) {
      return finding(std::string(name) + " threw " + type_name(e) + ": " + e.what());
    } catch (...) {
      return finding(std::string(name) + " threw something that is not a std::exception");
    }
  }
  return {};
}

}  // namespace

Outcome check_model_text(const std::string& text, const std::string& base_dir, const TargetLimits& limits,
                         const std::string& display_name) {
  if (Outcome o = check_effective_text(text, display_name); o.kind == Outcome::Kind::finding) return o;
  ModelSpec model;
  try {
    model = load_model_from_string(text, {}, display_name, base_dir);
  } catch (const ModelError& e) {
    return {Outcome::Kind::model_error, e.what()};
  } catch (const std::exception& e) {
    return finding("load_model_from_string threw " + type_name(e) + ": " + e.what());
  } catch (...) {
    return finding("load_model_from_string threw something that is not a std::exception");
  }
  try {  // the architecture as Graphviz (`sluice graph`)
    to_dot(model);
  } catch (const std::exception& e) {
    return finding("to_dot threw " + type_name(e) + ": " + e.what());
  }
  return run_checks(std::move(model), limits);
}

}  // namespace sluice::fuzz
