#pragma once
// Small helpers for tests that run whole models through the public API.
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "sluice/errors.hpp"
#include "sluice/model.hpp"
#include "sluice/run.hpp"

namespace sluice::test {

inline Results run_yaml(const std::string& yaml, std::uint64_t seed = 1, std::vector<Override> overrides = {}) {
  ModelSpec m = load_model_from_string(yaml, overrides, "<test>", SLUICE_SOURCE_DIR);
  RunOptions o;
  o.seed = seed;
  return run(m, o);
}

// The message `f` is refused with ("" when it is accepted).
inline std::string refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const ModelError& e) {
    return e.what();
  }
  return "";
}

// Mean and standard error of the mean over independent replications.
struct Estimate {
  double mean = 0, se = 0;
};
inline Estimate estimate(const std::vector<double>& xs) {
  double n = static_cast<double>(xs.size()), sum = 0, sq = 0;
  for (double x : xs) sum += x;
  double mean = sum / n;
  for (double x : xs) sq += (x - mean) * (x - mean);
  return Estimate{mean, std::sqrt(sq / (n - 1) / n)};
}

// Two-sided 99.9% Student t quantile for 9 degrees of freedom (10 replications): the tests'
// tolerance is this many standard errors, so a correct engine fails about once in 1000 seeds
// (and, with fixed seeds, never), while a wrong formula is caught.
inline constexpr double kT999_9df = 4.781;

}  // namespace sluice::test
