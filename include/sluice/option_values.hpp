#pragma once
// Values given outside a model: command-line options (`sluice tune --memories 512MB,1GB`,
// `--duration 10m`) and the Python package's arguments (`power_tune(memories=["512MB"])`). One
// set of rules, so that both accept the same things and say the same when they do not.
#include <string_view>

namespace sluice {

// Lambda's memory range, in 1 MB steps (aws-facts §1.1). The model reader checks `memory` against
// it, power tuning its memory sizes.
inline constexpr int kMinMemoryMb = 128;
inline constexpr int kMaxMemoryMb = 10240;

// A duration option such as --duration or --slo-p99: text with a unit ("300ms", "10m"), above
// zero. Throws ModelError "<option> <text>: expected a duration with a unit (us, ms, s, m, h, d),
// like 300ms or 10m". Whether it suits the run (1ms..366d, longer than the warm-up) is
// check_run_options()'s question.
double parse_duration_option_ns(std::string_view text, std::string_view option);

// A memory size: text with a unit ("512MB", "1GB"), or, when `bare_number_is_mb`, a whole number
// of MB without one ("1769": the command line's --memories took bare MB before sizes had units).
// Whole MB within Lambda's range. Throws ModelError naming the option.
int parse_memory_option_mb(std::string_view text, std::string_view option, bool bare_number_is_mb);
// Lambda's range for a memory size in MB. Throws ModelError "<option>: <mb> MB is outside Lambda's
// range of 128 MB to 10240 MB".
void check_memory_mb(double mb, std::string_view option);

}  // namespace sluice
