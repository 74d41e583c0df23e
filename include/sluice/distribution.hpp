#pragma once
// Quantities that vary (a handler's duration, a payload's size) and how partition keys are drawn:
// the vocabulary the kernel samples from, below the model.
#include <cstdint>
#include <vector>

namespace sluice {

// A quantity that may vary: a constant or one of the distributions of docs/model-reference.md.
// Parameters are stored in the quantity's base unit (ns for durations, bytes for sizes).
struct Distribution {
  enum class Kind { constant, exponential, lognormal, normal, uniform, empirical };
  Kind kind = Kind::constant;
  double a = 0;                // constant: value; exponential: mean; lognormal: mu of log; normal: mean; uniform: min
  double b = 0;                // lognormal: sigma of log; normal: sd; uniform: max
  std::vector<double> values;  // empirical: the observations, sampled with equal weight

  static Distribution constant(double v) { return {Kind::constant, v, 0, {}}; }
  double mean() const;  // the analytic mean (for checks and documentation)
  bool operator==(const Distribution&) const = default;
};

// Partition keys of a source's payload: how hot keys are drawn (used by streams and tables).
struct KeyDistribution {
  enum class Kind { none, uniform, zipf };
  Kind kind = Kind::none;
  std::int64_t keys = 1;
  double exponent = 1.0;
  bool operator==(const KeyDistribution&) const = default;
};

}  // namespace sluice
