#pragma once
// What the fuzzers check for one input: the model loader (load_model_from_string, and
// effective_yaml / effective_json, which write the text back) either answers or throws ModelError,
// and what loads runs for a short simulation that ends normally (or stops at its event budget)
// with a balanced ledger and a summary that serialises. Anything else is a finding; a crash, a
// sanitizer report or a hang shows up outside this function (see crash_guard.hpp).
#include <cstdint>
#include <string>

namespace sluice::fuzz {

struct Outcome {
  enum class Kind {
    ran,          // loaded and ran, every check held
    model_error,  // rejected with a ModelError: the expected answer to bad input
    run_aborted,  // loaded, and the run stopped at its budget (RunAborted)
    finding,      // anything else: message says what
  };
  Kind kind = Kind::ran;
  std::string message;  // model_error, run_aborted: the error's text; finding: what went wrong
};

struct TargetLimits {
  // The run covers the model's warm-up plus this much simulated time (or the model's own
  // duration, if shorter): enough to reach every component, short enough for thousands of runs.
  double measured_ns = 30e9;
  // Tighter than the defaults, so a mutant asking for 1e308 requests per second stops at its
  // budget (RunAborted, which is fine) instead of running for hours. The model's wall-clock
  // budget is dropped: an outcome that depended on the machine's speed would break determinism
  // (the runner's watchdog catches hangs instead).
  std::uint64_t max_events = 300'000;
  std::uint64_t max_in_flight = 100'000;
};

// display_name is the file name errors carry; base_dir resolves trace files.
Outcome check_model_text(const std::string& text, const std::string& base_dir, const TargetLimits& limits = {},
                         const std::string& display_name = "<fuzz>");

}  // namespace sluice::fuzz
