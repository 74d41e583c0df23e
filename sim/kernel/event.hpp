#pragma once
// An event is a small trivially-copyable record: when, in which order among equal times, which
// component, what kind of thing happens, and a handle to the work it concerns. No callbacks and
// no heap memory: the engine dispatches on (kind, target).
#include <cstdint>
#include <type_traits>

#include "kernel/sim_time.hpp"

namespace sluice::kernel {

struct Event {
  SimTime time;
  std::uint64_t seq = 0;      // scheduling order: ties in time run in the order they were scheduled
  std::uint32_t target = 0;   // index of the component instance (resolved before the run)
  std::uint32_t kind = 0;     // what happens: its owner and the owner's event (the engine's EventRoute)
  std::uint64_t payload = 0;  // a pool handle (request, invocation, environment), or a value

  // Strict weak order of the calendar: (time, seq).
  friend constexpr bool operator<(const Event& a, const Event& b) {
    return a.time.ns < b.time.ns || (a.time.ns == b.time.ns && a.seq < b.seq);
  }
};
static_assert(std::is_trivially_copyable_v<Event>);
static_assert(sizeof(Event) == 32);

}  // namespace sluice::kernel
