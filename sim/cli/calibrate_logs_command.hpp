#pragma once
// `sluice calibrate --logs`: a function calibrated from its REPORT log lines.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sluice/model.hpp"

namespace sluice::cli {

struct CalibrateLogsArgs {
  std::vector<std::string> logs;
  std::string function;
  std::string model;  // empty: no calls subtracted, no check
  std::vector<Override> overrides;
  std::string duration;  // the check's run; empty: the model's run.duration
  std::optional<std::uint64_t> seed;
  bool skip_bad_lines = false;
  std::string format = "table";  // table, json, yaml (the fragments), set (the overrides)
};

int calibrate_logs_command(const CalibrateLogsArgs& args);

}  // namespace sluice::cli
