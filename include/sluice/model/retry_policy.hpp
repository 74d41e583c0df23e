#pragma once
// A client's (or SDK's) retry policy: a source's, a stream producer's, a table's callers'.
namespace sluice {

// A client's (or SDK's) retry policy: attempts in total, exponential backoff with jitter.
struct RetryPolicy {
  enum class Jitter { full, equal, none };
  int max_attempts = 1;    // 1 = no retries
  double base_ns = 100e6;  // first backoff before jitter
  double cap_ns = 20e9;    // largest backoff
  Jitter jitter = Jitter::full;
  bool operator==(const RetryPolicy&) const = default;
};

}  // namespace sluice
