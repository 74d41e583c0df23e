#pragma once
// Lambda's recursive-loop detection (aws-facts §1.5 S-L16) stops a function invoked more than 16
// times in one chain of requests. A function can recur only on its loop: the strongly connected
// component of the architecture graph it sits on (model::function_loops). A chain that has left a
// loop never comes back to it, so a lineage carries the counts of one loop at a time: which loop,
// and how many times each function of that loop has been invoked in this chain. Functions on no
// loop are not counted: a pipeline of any length runs to its end.
#include <algorithm>
#include <array>
#include <cstdint>

namespace sluice::engine {

// Where a function sits for the detection: its loop and its counter there.
struct LoopSeat {
  static constexpr std::uint16_t kNone = 0xffff;
  std::uint16_t loop = kNone;  // kNone: on no loop, never counted
  std::uint8_t slot = 0;
};

struct LoopCounts {
  // Counters per lineage (the lineage is copied into every queued message, so they are few). The
  // functions of a loop take slots in model order; a loop of more functions shares slots (slot =
  // position mod kSlots), and a shared counter counts the invocations of all its functions: a
  // chain is then stopped no later than AWS would stop it, possibly earlier (never later).
  static constexpr std::size_t kSlots = 14;
  // AWS stops the invocation that would be the 17th of the same function in the chain.
  static constexpr std::uint8_t kMaxInvocations = 16;

  std::uint16_t loop = LoopSeat::kNone;
  std::array<std::uint8_t, kSlots> invocations{};

  // How many times the function of this seat has been invoked in this chain.
  std::uint8_t of(LoopSeat seat) const {
    return seat.loop != LoopSeat::kNone && seat.loop == loop ? invocations[seat.slot] : 0;
  }
  // The function of this seat is being invoked: one more. A new loop starts from zero.
  void count(LoopSeat seat) {
    if (seat.loop == LoopSeat::kNone) return;
    if (seat.loop != loop) {
      loop = seat.loop;
      invocations.fill(0);
    }
    invocations[seat.slot] = static_cast<std::uint8_t>(std::min(255, invocations[seat.slot] + 1));
  }
  // A chain AWS's detection cannot follow (through Kinesis or DynamoDB Streams) starts afresh.
  void clear() { *this = LoopCounts{}; }
};

}  // namespace sluice::engine
