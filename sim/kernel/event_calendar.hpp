#pragma once
// The future event list: heaps of 16-byte keys (kernel/key_heap.hpp) over a pool of events.
//
//   key  = (time with its sign bit flipped, tie << 32 | slot), compared as one 128-bit integer
//   pool = events_[slot], the full Event; freed slots are reused last-in first-out
//
// Events pop in (time, seq) order, so equal times run in the order they were scheduled (ns-3's
// (timestamp, uid) key). `tie` is a 32-bit scheduling ordinal that orders like seq; when it runs
// out (every ~4e9 schedules) the pending keys are renumbered by rank, which keeps their order and
// so the heaps. Cancellation is lazy: handlers check a generation number carried in the payload.
//
// Two heaps. A source's arrivals are a chain: each arrival schedules the next, so a source has
// exactly one pending at any time. They are kept in a heap of their own (schedule_arrival), as
// small as the number of sources, and every other event in the main one; a pop takes the lesser
// of the two roots. Keys are unique, so the order of events is the one a single heap gives; an
// arrival then costs a sift in a heap of one (one source) instead of one among every pending
// completion and timer, which it would cross on its way down (its time is usually the latest).
//
// A place in the order can be reserved now and used later (reserve, schedule_reserved): the
// event then runs where it would have run had it been scheduled at the reservation, among the
// events of its time. A component that would schedule many timers of which only the last
// matters (a keep-alive expiry per finished invocation) keeps one pending and re-arms it from
// a reservation, with the same order of events as if it had scheduled every one.
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "kernel/event.hpp"
#include "kernel/key_heap.hpp"
#include "kernel/sim_time.hpp"

namespace sluice::kernel {

struct EventCalendarTestAccess;  // defined by the tests, to reach the tie-renumbering path

class EventCalendar {
 public:
  // Adds an event; it gets the next sequence number, so equal times pop in scheduling order.
  void schedule(SimTime t, std::uint32_t target, std::uint32_t kind, std::uint64_t payload) {
    if (next_tie_ > kMaxTie) renumber_ties();
    insert(main_, t, next_seq_++, next_tie_++, target, kind, payload);
  }
  // As schedule, for an event of a chain that keeps one pending per target, each scheduling the
  // next (a source's arrivals): kept in the arrivals' heap. The order of events is the same.
  void schedule_arrival(SimTime t, std::uint32_t target, std::uint32_t kind, std::uint64_t payload) {
    if (next_tie_ > kMaxTie) renumber_ties();
    insert(arrivals_, t, next_seq_++, next_tie_++, target, kind, payload);
  }

  // A reservation: the place in the order an event scheduled now would take. It holds until it
  // is used by schedule_reserved or given back by cancel; a handful are held at a time.
  using Ticket = std::uint32_t;
  Ticket reserve() {
    if (next_tie_ > kMaxTie) renumber_ties();
    Ticket ticket;
    if (!free_tickets_.empty()) {
      ticket = free_tickets_.back();
      free_tickets_.pop_back();
    } else {
      ticket = static_cast<Ticket>(tickets_.size());
      tickets_.emplace_back();
    }
    tickets_[ticket] = Reservation{next_seq_++, next_tie_++, true};
    return ticket;
  }
  // Schedules an event in the reserved place (t must not be earlier than the event being run:
  // the reservation orders it only among events of the same time). The ticket is used up.
  void schedule_reserved(SimTime t, Ticket ticket, std::uint32_t target, std::uint32_t kind, std::uint64_t payload) {
    assert(ticket < tickets_.size() && tickets_[ticket].held);
    const Reservation r = tickets_[ticket];
    cancel(ticket);
    insert(main_, t, r.seq, r.tie, target, kind, payload);
  }
  void cancel(Ticket ticket) {
    assert(ticket < tickets_.size() && tickets_[ticket].held);
    tickets_[ticket].held = false;
    free_tickets_.push_back(ticket);
  }

  bool empty() const noexcept { return size() == 0; }
  std::size_t size() const noexcept {
    return main_.size() + arrivals_.size() - static_cast<std::size_t>(taken_ != nullptr);
  }
  // Bytes held by the heaps and the event pool (by their sizes, not the allocator's capacities).
  std::size_t bytes() const noexcept {
    return main_.bytes() + arrivals_.bytes() + events_.size() * sizeof(Event) +
           free_slots_.size() * sizeof(std::uint32_t) + tickets_.size() * sizeof(Reservation) +
           free_tickets_.size() * sizeof(Ticket);
  }

  // The earliest (time, seq). Precondition: !empty().
  const Event& top() const {
    assert(!empty());
    // After pop_deferred a root is taken: that heap's next earliest is the least below it.
    auto first = [&](const KeyHeap& h) { return &h == taken_ ? h.least_below_root() : h.root(); };
    const Key a = first(main_), b = first(arrivals_);
    return events_[KeyHeap::slot_of(b < a ? b : a)];
  }

  // Removes and returns the earliest (time, seq). Precondition: !empty().
  Event pop() {
    settle();
    assert(!empty());
    KeyHeap& h = earliest();
    const std::uint32_t slot = KeyHeap::slot_of(h.root());
    h.pop_root();
    free_slots_.push_back(slot);
    return events_[slot];
  }

  // As pop() into `event`, or false when nothing is pending (the run loop's one check per event);
  // but the event's key stays at its heap's root until the next schedule into that heap, which
  // puts its own key there and sifts it down: one sift instead of a sift down (of the last key)
  // and a sift up, and the event's slot reused (an event handler usually schedules one: the next
  // arrival, the end of a service). Without one, the next pop removes it. Same order of events.
  bool pop_deferred(Event& event) {
    settle();
    KeyHeap& h = earliest();
    const Key root = h.root();
    if (root == KeyHeap::kVacant) return false;  // both heaps are empty
    taken_ = &h;
    event = events_[KeyHeap::slot_of(root)];
    return true;
  }

  // Makes room for n pending events, so that scheduling up to n allocates nothing.
  void reserve(std::size_t n) {
    main_.reserve(n);
    events_.reserve(n);
    free_slots_.reserve(n);
  }

  // Total number of events ever scheduled, reservations included (the next sequence number).
  std::uint64_t scheduled() const noexcept { return next_seq_; }

 private:
  friend struct EventCalendarTestAccess;
  using Key = KeyHeap::Key;

  static constexpr std::uint64_t kMaxTie = 0xFFFF'FFFFu;
  static constexpr std::size_t kMaxSlots = 0xFFFF'FFFFu;  // slots < 2^32-1: no key equals kVacant

  // The heap whose root is the earliest event (both roots are kVacant only when both are empty).
  KeyHeap& earliest() noexcept { return arrivals_.root() < main_.root() ? arrivals_ : main_; }

  // Inlined into schedule (the hot path); the rare growth of the pool is out of line.
  [[gnu::always_inline]] inline void insert(KeyHeap& heap, SimTime t, std::uint64_t seq, std::uint64_t tie,
                                            std::uint32_t target, std::uint32_t kind, std::uint64_t payload) {
    if (taken_ == &heap) {  // the root's event has been handed out: the new one takes its key's place
      taken_ = nullptr;
      const std::uint32_t slot = KeyHeap::slot_of(heap.root());
      events_[slot] = Event{t, seq, target, kind, payload};
      heap.replace_root(KeyHeap::key(t.ns, tie, slot));
      return;
    }
    const std::uint32_t slot = acquire_slot();
    events_[slot] = Event{t, seq, target, kind, payload};
    heap.push(KeyHeap::key(t.ns, tie, slot));
  }
  // The event pop_deferred handed out is removed, if no schedule has taken its place.
  void settle() {
    if (!taken_) return;
    free_slots_.push_back(KeyHeap::slot_of(taken_->root()));
    taken_->pop_root();
    taken_ = nullptr;
  }

  std::uint32_t acquire_slot() {
    if (!free_slots_.empty()) [[likely]] {
      const std::uint32_t slot = free_slots_.back();
      free_slots_.pop_back();
      return slot;
    }
    return new_slot();
  }
  [[gnu::noinline]] std::uint32_t new_slot() {
    if (events_.size() >= kMaxSlots) throw std::length_error("EventCalendar: too many pending events");
    events_.emplace_back();
    return static_cast<std::uint32_t>(events_.size() - 1);
  }

  // Gives the pending keys (of both heaps) and the held reservations ties 0..n-1 in the order of
  // their ties; the heaps stay valid because the map is monotone (keys compare by time, then
  // tie), and a reservation keeps its place among them. Runs once per ~4e9 schedules.
  void renumber_ties() {
    std::vector<Key*> keys;
    keys.reserve(main_.size() + arrivals_.size());
    main_.for_each_key([&](Key& k) { keys.push_back(&k); });
    arrivals_.for_each_key([&](Key& k) { keys.push_back(&k); });
    std::vector<std::size_t> order;  // positions in keys, then keys.size() + ticket for the reservations
    order.reserve(keys.size() + tickets_.size());
    for (std::size_t i = 0; i < keys.size(); ++i) order.push_back(i);
    for (std::size_t t = 0; t < tickets_.size(); ++t)
      if (tickets_[t].held) order.push_back(keys.size() + t);
    auto tie = [&](std::size_t i) {
      return i < keys.size() ? KeyHeap::tie_of(*keys[i]) : tickets_[i - keys.size()].tie;
    };
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return tie(a) < tie(b); });
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
      const std::size_t i = order[rank];
      if (i >= keys.size()) {
        tickets_[i - keys.size()].tie = rank;
        continue;
      }
      Key& k = *keys[i];
      k = detail::make_calendar_key(detail::calendar_key_hi(k),
                                    (static_cast<std::uint64_t>(rank) << 32) | KeyHeap::slot_of(k));
    }
    next_tie_ = order.size();
  }

  KeyHeap main_;               // every event but the arrivals
  KeyHeap arrivals_;           // the sources' next arrivals (schedule_arrival)
  std::vector<Event> events_;  // the pool, indexed by slot
  std::vector<std::uint32_t> free_slots_;
  struct Reservation {
    std::uint64_t seq = 0, tie = 0;
    bool held = false;
  };
  std::vector<Reservation> tickets_;
  std::vector<Ticket> free_tickets_;
  KeyHeap* taken_ = nullptr;  // the heap whose root's event pop_deferred handed out
  std::uint64_t next_seq_ = 0;
  std::uint64_t next_tie_ = 0;
};

}  // namespace sluice::kernel
