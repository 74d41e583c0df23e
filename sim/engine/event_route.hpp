#pragma once
// Where an event goes. A component declares its own events (`enum class Event : std::uint8_t`)
// and handles them in `on_event(Event, payload)`; the engine gives it, when it builds it, the
// route its events take back to it: its owner (its service's position in engine/services.hpp)
// and its index among that service's components. A part a component holds (a function's event
// source mapping or asynchronous queue, a table's stream) gets its host's route shifted to the
// host's event that forwards to it (`part`). So a new service adds events without touching the
// engine, and the engine dispatches them without a virtual call.
#include <cstdint>
#include <type_traits>

namespace sluice::engine {

// The engine's own events: the sources', the replies it delays, the faults'.
enum class EngineEvent : std::uint8_t {
  source_arrival,  // target: source; a new request arrives
  source_retry,    // target: source; payload: request; the client tries again
  deferred_reply,  // payload: a pending reply held by the engine; a service's API call answers
  fault_start,     // target: fault; the fault begins
  fault_end,       // target: fault; the fault's window is over
};

struct EventRoute {
  static constexpr std::uint8_t kEngine = 0;  // owner of EngineEvent; services are 1, 2, ...

  // The calendar's kind of the route's event 0: the owner in the high bits, the owner's event
  // in the low 8 (one addition per scheduled event).
  std::uint32_t base = 0;
  std::uint32_t target = 0;  // the owner's index among its service's components

  static constexpr EventRoute of(std::uint8_t owner, std::uint32_t target) {
    return EventRoute{std::uint32_t{owner} << 8, target};
  }
  constexpr std::uint8_t owner() const { return static_cast<std::uint8_t>(base >> 8); }
  template <class E>
  requires std::is_enum_v<E>
  constexpr std::uint32_t kind(E event) const { return base + static_cast<std::uint8_t>(event); }
  // The route of a part whose events the host receives as its event `host_event` onwards.
  template <class E>
  requires std::is_enum_v<E>
  constexpr EventRoute part(E host_event) const { return EventRoute{kind(host_event), target}; }

  static constexpr std::uint32_t owner_of(std::uint32_t kind) { return kind >> 8; }
  static constexpr std::uint8_t event_of(std::uint32_t kind) { return static_cast<std::uint8_t>(kind & 0xffu); }
};

}  // namespace sluice::engine
