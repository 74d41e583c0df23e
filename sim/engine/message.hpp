#pragma once
// A unit of asynchronous work: an SQS message, an SNS delivery on its way, a Kinesis record, an
// event in a function's asynchronous-invocation queue. It ends exactly once (completed, or
// failed with a reason) and until then keeps its source request open (DESIGN.md §4).
#include <cstdint>

#include "engine/call.hpp"
#include "kernel/sim_time.hpp"

namespace sluice::engine {

struct Message {
  Lineage lineage;
  kernel::SimTime created;     // first sent: ages and the maximum event age count from here
  std::uint8_t processed = 0;  // successful processings so far; more than one is a duplicate
  bool poison = false;         // its consumer always fails on it (a poison_message fault)
  bool wrote = false;          // a consumer's table write for it has succeeded (a retry writes again)
  bool attached = true;        // keeps its source request open (a dead-letter copy does not)
  bool measured = false;       // created after the warm-up
};

}  // namespace sluice::engine
