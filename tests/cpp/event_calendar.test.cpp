// The event calendar pops in (time, seq) order: by time, and equal times in scheduling order.
#include "kernel/event_calendar.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <vector>

#include "catch.hpp"
#include "kernel/event.hpp"
#include "kernel/sim_time.hpp"

namespace sluice::kernel {

// Reaches the renumbering of tie ordinals, which otherwise needs ~4e9 schedules.
struct EventCalendarTestAccess {
  static constexpr std::uint64_t kMaxTie = EventCalendar::kMaxTie;
  // Moves the tie counter forward (never back: ties must keep growing) to kMaxTie - left.
  static void leave_ties(EventCalendar& calendar, std::uint64_t left) {
    calendar.next_tie_ = std::max(calendar.next_tie_, kMaxTie - left);
  }
};

}  // namespace sluice::kernel

namespace {

using sluice::kernel::Event;
using sluice::kernel::EventCalendar;
using sluice::kernel::EventCalendarTestAccess;
using sluice::kernel::SimTime;

// pop_deferred's event; the calendar must not be empty.
Event deferred(EventCalendar& calendar) {
  Event e;
  REQUIRE(calendar.pop_deferred(e));
  return e;
}

bool same_event(const Event& a, const Event& b) {
  return a.time == b.time && a.seq == b.seq && a.target == b.target && a.kind == b.kind && a.payload == b.payload;
}

std::vector<Event> drain(EventCalendar& calendar) {
  std::vector<Event> out;
  out.reserve(calendar.size());
  while (!calendar.empty()) out.push_back(calendar.pop());
  return out;
}

// Random schedules and pops, checked step by step against a std::set ordered by (time, seq).
// Times come from a narrow window so that many are equal. Every `renumber_every` operations the
// tie counter is pushed to the edge of its range, so renumbering happens with events pending.
// With reservations, some operations reserve a place in the order (it takes the next sequence
// number), and later use it (the event must come out at its reserved sequence number among the
// events of its time) or give it back.
// With `deferred`, half of the pops are pop_deferred: the next schedule takes the popped key's
// place in the heap. With `arrivals`, a third of the schedules go to the arrivals' heap
// (schedule_arrival): the order must be the one a single heap gives.
void check_against_reference(std::uint64_t seed, std::size_t operations, std::size_t renumber_every,
                             bool reservations = false, bool deferred = false, bool arrivals = false) {
  std::mt19937_64 rng(seed);
  EventCalendar calendar;
  std::set<Event> reference;
  std::vector<std::pair<EventCalendar::Ticket, std::uint64_t>> held;  // ticket, its sequence number
  std::uint64_t seq = 0;
  std::int64_t now = 0;
  for (std::size_t op = 0; op < operations; ++op) {
    if (renumber_every != 0 && op % renumber_every == 0) {
      EventCalendarTestAccess::leave_ties(calendar, rng() % 4);
    }
    if (reservations && rng() % 100 < 20) {
      const auto choice = rng() % 100;
      if (choice < 40 || held.empty()) {
        held.emplace_back(calendar.reserve(), seq++);
      } else {
        const std::size_t k = rng() % held.size();
        const auto [ticket, reserved_seq] = held[k];
        held.erase(held.begin() + static_cast<std::ptrdiff_t>(k));
        if (choice < 85) {
          const std::int64_t t = now + static_cast<std::int64_t>(rng() % 16);
          const std::uint64_t payload = rng();
          calendar.schedule_reserved(SimTime::from_ns(t), ticket, 3, 9, payload);
          reference.insert(Event{SimTime::from_ns(t), reserved_seq, 3, 9, payload});
        } else {
          calendar.cancel(ticket);
        }
      }
      REQUIRE(calendar.size() == reference.size());
      REQUIRE(calendar.scheduled() == seq);
      continue;
    }
    // 55% schedules: the number pending grows by ~0.1 per operation, to ~10k after 100k.
    const bool do_schedule = reference.empty() || rng() % 100 < 55;
    if (do_schedule) {
      const std::int64_t t = now + static_cast<std::int64_t>(rng() % 16);
      const auto target = static_cast<std::uint32_t>(rng() % 1000);
      const auto kind = static_cast<std::uint32_t>(rng() % 7);
      const std::uint64_t payload = rng();
      if (arrivals && rng() % 3 == 0) calendar.schedule_arrival(SimTime::from_ns(t), target, kind, payload);
      else calendar.schedule(SimTime::from_ns(t), target, kind, payload);
      reference.insert(Event{SimTime::from_ns(t), seq++, target, kind, payload});
    } else {
      const Event expected = *reference.begin();
      reference.erase(reference.begin());
      const bool defer = deferred && rng() % 2 == 0;
      REQUIRE(same_event(calendar.top(), expected));
      Event got;
      if (defer) REQUIRE(calendar.pop_deferred(got));
      else got = calendar.pop();
      REQUIRE(same_event(got, expected));
      now = got.time.ns;
    }
    REQUIRE(calendar.size() == reference.size());
    REQUIRE(calendar.scheduled() == seq);
  }
  while (!reference.empty()) {
    REQUIRE(same_event(calendar.pop(), *reference.begin()));
    reference.erase(reference.begin());
  }
  REQUIRE(calendar.empty());
  Event none;
  REQUIRE_FALSE(calendar.pop_deferred(none));
}

}  // namespace

TEST_CASE("event calendar pops events ordered by time", "[kernel][calendar]") {
  std::mt19937_64 rng(7);
  EventCalendar calendar;
  std::multiset<std::int64_t> times;
  for (std::uint32_t i = 0; i < 50'000; ++i) {
    const auto t = static_cast<std::int64_t>(rng() % 1'000'000'000);
    times.insert(t);
    calendar.schedule(SimTime::from_ns(t), i, 0, i);
  }
  const std::vector<Event> popped = drain(calendar);
  REQUIRE(popped.size() == times.size());
  auto expected = times.begin();
  for (const Event& e : popped) REQUIRE(e.time.ns == *expected++);
}

TEST_CASE("event calendar orders negative, zero and maximal times", "[kernel][calendar]") {
  const std::vector<std::int64_t> order = {
      std::numeric_limits<std::int64_t>::min(), -5, -1, 0, 1, std::int64_t{1} << 62,
      std::numeric_limits<std::int64_t>::max()};
  EventCalendar calendar;
  for (std::size_t i = order.size(); i-- > 0;) calendar.schedule(SimTime::from_ns(order[i]), 0, 0, i);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Event e = calendar.pop();
    CHECK(e.time.ns == order[i]);
    CHECK(e.payload == i);
  }
}

TEST_CASE("event calendar pops equal times in scheduling order", "[kernel][calendar]") {
  EventCalendar calendar;
  // Three instants, their events interleaved when scheduled, so that heap moves mix them up.
  for (std::uint64_t i = 0; i < 3'000; ++i) {
    calendar.schedule(SimTime::from_ns(static_cast<std::int64_t>(100 * (2 - i % 3))), 0, 0, i);
  }
  std::uint64_t last_seq = 0;
  std::int64_t last_time = -1;
  std::uint64_t last_payload = 0;
  for (std::size_t n = 0; n < 3'000; ++n) {
    const Event e = calendar.pop();
    REQUIRE(e.seq == e.payload);  // seq is the scheduling order
    if (e.time.ns == last_time) {
      REQUIRE(e.seq > last_seq);
      REQUIRE(e.payload == last_payload + 3);
    } else {
      REQUIRE(e.time.ns > last_time);
    }
    last_time = e.time.ns;
    last_seq = e.seq;
    last_payload = e.payload;
  }
}

TEST_CASE("event calendar matches an ordered reference over 100k random operations", "[kernel][calendar]") {
  check_against_reference(20240601, 100'000, 0);
}

TEST_CASE("event calendar pops the same with the popped key left for the next schedule", "[kernel][calendar]") {
  SECTION("random operations, reservations, renumbering") {
    check_against_reference(20241130, 100'000, 0, false, true);
    check_against_reference(4243, 50'000, 0, true, true);
    check_against_reference(98, 20'000, 97, true, true);
  }
  SECTION("a deferred pop followed by schedules, none, and the last event") {
    EventCalendar calendar;
    calendar.schedule(SimTime::from_ns(10), 0, 0, 1);
    calendar.schedule(SimTime::from_ns(20), 0, 0, 2);
    REQUIRE(deferred(calendar).payload == 1);
    CHECK(calendar.size() == 1);
    calendar.schedule(SimTime::from_ns(15), 0, 0, 3);  // takes the popped key's place
    calendar.schedule(SimTime::from_ns(30), 0, 0, 4);
    CHECK(calendar.size() == 3);
    REQUIRE(deferred(calendar).payload == 3);
    REQUIRE(deferred(calendar).payload == 2);  // nothing scheduled: the popped key goes first
    REQUIRE(deferred(calendar).payload == 4);
    CHECK(calendar.empty());
    calendar.schedule(SimTime::from_ns(40), 0, 0, 5);
    CHECK(calendar.size() == 1);
    REQUIRE(calendar.pop().payload == 5);
    CHECK(calendar.empty());
  }
}

TEST_CASE("event calendar pops arrivals kept in their own heap in the order of one heap", "[kernel][calendar]") {
  SECTION("random operations, deferred pops, reservations, renumbering") {
    check_against_reference(5150, 100'000, 0, false, false, true);
    check_against_reference(5151, 100'000, 0, false, true, true);
    check_against_reference(5152, 50'000, 0, true, true, true);
    check_against_reference(5153, 20'000, 97, true, true, true);
  }
  SECTION("an arrival and events of the same time, and a deferred pop of each heap") {
    EventCalendar calendar;
    calendar.schedule(SimTime::from_ns(10), 0, 0, 1);
    calendar.schedule_arrival(SimTime::from_ns(10), 0, 0, 2);  // same time, scheduled later: after 1
    calendar.schedule(SimTime::from_ns(10), 0, 0, 3);
    REQUIRE(calendar.size() == 3);
    REQUIRE(deferred(calendar).payload == 1);
    REQUIRE(calendar.top().payload == 2);
    REQUIRE(deferred(calendar).payload == 2);  // the main heap's taken root is removed first
    CHECK(calendar.size() == 1);
    calendar.schedule_arrival(SimTime::from_ns(20), 0, 0, 4);  // takes the popped arrival's place
    calendar.schedule(SimTime::from_ns(15), 0, 0, 5);
    CHECK(calendar.size() == 3);
    const std::vector<Event> rest = drain(calendar);
    REQUIRE(rest.size() == 3);
    CHECK(rest[0].payload == 3);
    CHECK(rest[1].payload == 5);
    CHECK(rest[2].payload == 4);
  }
}

TEST_CASE("event calendar schedules reserved places in the order they were reserved", "[kernel][calendar]") {
  SECTION("a reserved place among equal times") {
    EventCalendar calendar;
    calendar.schedule(SimTime::from_ns(5), 0, 0, 1);
    const auto ticket = calendar.reserve();
    calendar.schedule(SimTime::from_ns(5), 0, 0, 3);
    calendar.schedule(SimTime::from_ns(4), 0, 0, 0);
    calendar.schedule_reserved(SimTime::from_ns(5), ticket, 0, 0, 2);
    const std::vector<Event> popped = drain(calendar);
    REQUIRE(popped.size() == 4);
    for (std::uint64_t k = 0; k < 4; ++k) CHECK(popped[k].payload == k);
  }
  SECTION("against the reference, with reservations held across renumbering") {
    check_against_reference(4242, 100'000, 0, true);
    check_against_reference(99, 20'000, 97, true);
  }
}

TEST_CASE("event calendar keeps its order when tie ordinals are renumbered", "[kernel][calendar]") {
  SECTION("renumbering with pending equal times") {
    EventCalendar calendar;
    EventCalendarTestAccess::leave_ties(calendar, 10);
    for (std::uint64_t i = 0; i < 40; ++i) {  // crosses the end of the tie range once
      calendar.schedule(SimTime::from_ns(static_cast<std::int64_t>(i % 2)), 0, 0, i);
    }
    const std::vector<Event> popped = drain(calendar);
    REQUIRE(popped.size() == 40);
    for (std::size_t k = 0; k < 20; ++k) {
      CHECK(popped[k].payload == 2 * k);           // time 0, in scheduling order
      CHECK(popped[20 + k].payload == 2 * k + 1);  // then time 1, in scheduling order
    }
  }
  SECTION("renumbering again and again under random operations") { check_against_reference(99, 20'000, 97); }
}

TEST_CASE("event calendars fed the same operations pop identically", "[kernel][calendar]") {
  EventCalendar a;
  EventCalendar b;
  b.reserve(1'000);  // capacity must not change the order
  std::mt19937_64 rng(3);
  for (int round = 0; round < 200; ++round) {
    for (int k = 0; k < 10; ++k) {
      const auto t = static_cast<std::int64_t>(rng() % 50);
      const auto payload = static_cast<std::uint64_t>(round * 10 + k);
      a.schedule(SimTime::from_ns(t), 1, 2, payload);
      b.schedule(SimTime::from_ns(t), 1, 2, payload);
    }
    for (int k = 0; k < 7; ++k) REQUIRE(same_event(a.pop(), b.pop()));
  }
  const std::vector<Event> rest_a = drain(a);
  const std::vector<Event> rest_b = drain(b);
  REQUIRE(rest_a.size() == rest_b.size());
  for (std::size_t i = 0; i < rest_a.size(); ++i) REQUIRE(same_event(rest_a[i], rest_b[i]));
}

TEST_CASE("event calendar keeps size, emptiness and the scheduled count", "[kernel][calendar]") {
  EventCalendar calendar;
  CHECK(calendar.empty());
  CHECK(calendar.size() == 0);
  CHECK(calendar.scheduled() == 0);

  calendar.reserve(100);
  CHECK(calendar.empty());
  CHECK(calendar.scheduled() == 0);

  calendar.schedule(SimTime::from_ns(30), 7, 1, 70);
  calendar.schedule(SimTime::from_ns(10), 8, 2, 80);
  calendar.schedule(SimTime::from_ns(20), 9, 3, 90);
  CHECK_FALSE(calendar.empty());
  CHECK(calendar.size() == 3);
  CHECK(calendar.scheduled() == 3);

  const Event& top = calendar.top();
  CHECK(top.time.ns == 10);
  CHECK(top.seq == 1);
  CHECK(top.target == 8);
  CHECK(top.kind == 2);
  CHECK(top.payload == 80);

  const Event first = calendar.pop();
  CHECK(first.payload == 80);
  CHECK(calendar.size() == 2);
  CHECK(calendar.scheduled() == 3);  // popping does not change the count of scheduled events

  calendar.schedule(SimTime::from_ns(5), 1, 1, 50);  // reuses the freed slot
  CHECK(calendar.size() == 3);
  CHECK(calendar.scheduled() == 4);
  CHECK(calendar.top().payload == 50);
  CHECK(calendar.top().seq == 3);

  const std::vector<Event> rest = drain(calendar);
  REQUIRE(rest.size() == 3);
  CHECK(rest[0].payload == 50);
  CHECK(rest[1].payload == 90);
  CHECK(rest[2].payload == 70);
  CHECK(calendar.empty());
  CHECK(calendar.size() == 0);
  CHECK(calendar.scheduled() == 4);
}
