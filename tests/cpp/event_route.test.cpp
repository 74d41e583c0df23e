// An event's route: the owner in the kind's high bits, the owner's event in the low 8, and a
// part's events shifted to its host's forwarding event (engine/event_route.hpp).
#include "engine/event_route.hpp"

#include "catch.hpp"

using sluice::engine::EngineEvent;
using sluice::engine::EventRoute;

namespace {
enum class HostEvent : std::uint8_t { own, other, part };
enum class PartEvent : std::uint8_t { first, second };
}  // namespace

TEST_CASE("An event's kind names its owner and the owner's event", "[engine][events]") {
  EventRoute route = EventRoute::of(3, 41);
  std::uint32_t kind = route.kind(HostEvent::other);
  CHECK(EventRoute::owner_of(kind) == 3);
  CHECK(EventRoute::event_of(kind) == static_cast<std::uint8_t>(HostEvent::other));
  // The engine's own events have owner 0, which no service takes (services are 1, 2, ...).
  std::uint32_t engine_kind = EventRoute::of(EventRoute::kEngine, 0).kind(EngineEvent::fault_end);
  CHECK(EventRoute::owner_of(engine_kind) == EventRoute::kEngine);
  CHECK(EventRoute::event_of(engine_kind) == static_cast<std::uint8_t>(EngineEvent::fault_end));
}

TEST_CASE("A part's events arrive as its host's forwarding event and those after it", "[engine][events]") {
  EventRoute host = EventRoute::of(2, 7);
  EventRoute part = host.part(HostEvent::part);
  CHECK(EventRoute::owner_of(part.base) == 2);
  CHECK(part.target == host.target);  // the host, which forwards
  CHECK(EventRoute::event_of(part.kind(PartEvent::first)) == static_cast<std::uint8_t>(HostEvent::part));
  CHECK(EventRoute::event_of(part.kind(PartEvent::second)) == static_cast<std::uint8_t>(HostEvent::part) + 1);
  // A part of a part shifts again.
  EventRoute nested = part.part(PartEvent::second);
  CHECK(EventRoute::event_of(nested.kind(PartEvent::first)) == static_cast<std::uint8_t>(HostEvent::part) + 1);
}
