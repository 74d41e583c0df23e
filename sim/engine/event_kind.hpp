#pragma once
// Everything that can happen in a run; the engine dispatches on it to the owning component.
#include <cstdint>

namespace sluice::engine {

enum class EventKind : std::uint32_t {
  source_arrival,       // target: source; a new request arrives
  source_retry,         // target: source; payload: request; the client tries again
  api_respond,          // target: api; payload: API call; the response leaves the gateway
  api_timeout,          // target: api; payload: API call; the integration timeout expires
  lambda_init_done,     // target: function; payload: invocation; the cold start is over
  lambda_steps_done,    // target: function; payload: invocation; a run of cpu/io steps is over
  lambda_timeout,       // target: function; payload: invocation; the function's timeout expires
  environment_expire,   // target: function; payload: environment and generation; idle too long
};

}  // namespace sluice::engine
