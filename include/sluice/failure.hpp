#pragma once
// The closed set of reasons a unit of work fails, each counted where it happens (the "failed"
// sections of summary.json).
#include <array>
#include <cstdint>
#include <string_view>

namespace sluice {

enum class Failure : std::uint8_t {
  none,               // success
  throttled,          // 429: API Gateway's throttle, Lambda concurrency or scaling rate
  rejected,           // refused outright, e.g. a payload above the service's limit
  timeout,            // API Gateway's integration timeout (504) or the function's timeout
  out_of_memory,      // memory used above the function's size
  function_error,     // an error raised by the function's code
  dependency_failed,  // a call the function made failed
  expired,
  dead_lettered,
  retention_expired,
};
inline constexpr std::size_t kFailureCount = 10;

inline constexpr std::array<std::string_view, kFailureCount> kFailureNames{
    "none",           "throttled",         "rejected", "timeout",       "out_of_memory",
    "function_error", "dependency_failed", "expired",  "dead_lettered", "retention_expired"};

inline std::string_view failure_name(Failure f) { return kFailureNames[static_cast<std::size_t>(f)]; }

using FailureCounts = std::array<std::uint64_t, kFailureCount>;

}  // namespace sluice
