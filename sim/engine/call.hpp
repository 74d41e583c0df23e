#pragma once
// Who is waiting for a synchronous call, and which request (lineage) the work belongs to.
#include <cstdint>

#include "kernel/pool.hpp"
#include "kernel/sim_time.hpp"

namespace sluice::engine {

struct Caller {
  enum class Kind : std::uint8_t { source, api, invocation };
  Kind kind = Kind::source;
  std::uint32_t component = 0;  // index among sources, APIs or functions
  kernel::Handle handle;        // the request, API call or invocation waiting for the reply
};

// The source request a unit of work descends from: costs and end-to-end latency follow it.
// Carried by value, so work that outlives its request (after a client gave up) stays safe.
struct Lineage {
  std::uint32_t source = 0;
  kernel::Handle request;
  double payload_bytes = 0;
};

// A source request: one client call, retried by the client's policy until it ends.
struct Request {
  std::uint32_t source = 0;
  std::uint32_t attempt = 1;
  kernel::SimTime first_arrival;
  double payload_bytes = 0;
  bool measured = false;  // arrived after the warm-up: counts in the source's metrics
};

}  // namespace sluice::engine
