#pragma once
// `sluice tune` and `sluice calibrate`: memory sizing and fitting a function from measurements.
#include <string>
#include <vector>

#include "sluice/model.hpp"

namespace sluice::cli {

struct TuneArgs {
  std::string model;
  std::vector<Override> overrides;
  std::string function;
  std::vector<std::string> memories;  // sizes with units (512MB, 1GB) or bare MB
  std::string slo_p99;                // a duration, or empty
  std::string strategy = "cost";
  double balanced_weight = 0.5;
  std::string duration;  // a duration, or empty
  std::optional<std::uint64_t> seed;
  std::string format = "table";
};

int tune_command(const TuneArgs& args);
int calibrate_command(const std::string& csv_path, const std::string& format);

}  // namespace sluice::cli
