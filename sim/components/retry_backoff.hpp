#pragma once
// The AWS SDKs' retry backoff, used wherever a client retries on its own: a source's client,
// a Kinesis producer, a DynamoDB caller's SDK. One function, so that the three cannot drift
// apart; each caller passes its own policy and its own random stream, so a run's draws (none,
// or one uniform01() per backoff) are the same as when each wrote it out.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernel/random_stream.hpp"
#include "sluice/model.hpp"

namespace sluice::components {

// The wait after `attempt` failed tries (attempt >= 1): exponential from `base`, doubling per
// attempt up to `cap`, with jitter (the SDKs' "full jitter" by default: a uniform draw between
// zero and the backoff; "equal": half fixed, half drawn; "none": the backoff itself).
inline double retry_backoff_ns(const RetryPolicy& p, std::uint32_t attempt, kernel::RandomStream& rng) {
  double ceiling = std::min(p.cap_ns, p.base_ns * std::ldexp(1.0, static_cast<int>(std::min(attempt, 60u)) - 1));
  switch (p.jitter) {
    case RetryPolicy::Jitter::full:
      return rng.uniform01() * ceiling;
    case RetryPolicy::Jitter::equal:
      return ceiling / 2 + rng.uniform01() * ceiling / 2;
    case RetryPolicy::Jitter::none:
      return ceiling;
  }
  return ceiling;
}

}  // namespace sluice::components
