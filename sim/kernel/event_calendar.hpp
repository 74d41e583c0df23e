#pragma once
// The future event list: a 4-ary min-heap of 16-byte keys over a pool of events.
//
//   key  = (time with its sign bit flipped, tie << 32 | slot), compared as one 128-bit integer
//   pool = events_[slot], the full Event; freed slots are reused last-in first-out
//
// Events pop in (time, seq) order, so equal times run in the order they were scheduled (ns-3's
// (timestamp, uid) key). `tie` is a 32-bit scheduling ordinal that orders like seq; when it runs
// out (every ~4e9 schedules) the pending keys are renumbered by rank, which keeps their order and
// so the heap. Cancellation is lazy: handlers check a generation number carried in the payload.
//
// A place in the order can be reserved now and used later (reserve, schedule_reserved): the
// event then runs where it would have run had it been scheduled at the reservation, among the
// events of its time. A component that would schedule many timers of which only the last
// matters (a keep-alive expiry per finished invocation) keeps one pending and re-arms it from
// a reservation, with the same order of events as if it had scheduled every one.
//
// Why this structure. bench/calendar_hold (bench/results/calendar_hold.txt, BENCHMARKS.md; a
// 2-vCPU Xeon VM) has it at 9.95 Mholds/s against 5.33 for std::priority_queue at 1e5 pending
// events: 1.8x (1.6x at 1e3; 1.4x at 1e6, memory-bound). On this shared machine a speed-up moves
// by ~0.2 from run to run (1.56x-1.81x at 1e5 over four runs). Variants of the same hold loop at
// 1e5 pending, thread CPU time, median of 5, in Mholds/s (taken while the machine was busy:
// compare them with each other, not with the figures above):
//   std::priority_queue: binary heap of 32-byte Events, branchy compares          3.9
//   4-ary / 8-ary heap of Events, branch-free choice of the least child           5.1 / 5.5
//   8-ary heap of 16-byte keys                                                    5.0
//   binary heap of keys, prefetching                                              6.0
//   4-ary heap of keys: without prefetching / with (this one)                     5.5 / 6.3
//     (at 1e6 pending: 1.9 / 3.0; std::priority_queue 1.6)
//   4-ary heap of keys, Floyd's bottom-up pop leaving the hole for the next schedule   6.0
// What each part buys: 16-byte keys halve the memory a heap level reads, and at 1e5 pending the
// keys (1.6 MB) fit in L2 where the Events (3.2 MB) do not; arity 4 with the root offset by 3 puts
// each group of siblings on one 64-byte line; the branch-free choice avoids mispredicting on
// random keys; prefetching the grandchildren's 4 lines hides the latency that branch-free code
// would otherwise wait for at every level.
// There is no same-time FIFO (OMNeT++'s fast path): the hold benchmark has no ties, so it could not
// show a gain; revisit with an engine benchmark.
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <new>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "kernel/event.hpp"
#include "kernel/sim_time.hpp"

namespace sluice::kernel {

struct EventCalendarTestAccess;  // defined by the tests, to reach the tie-renumbering path

namespace detail {

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 CalendarKey;  // NOLINT(modernize-use-using)
constexpr CalendarKey make_calendar_key(std::uint64_t hi, std::uint64_t lo) {
  return (static_cast<CalendarKey>(hi) << 64) | lo;
}
constexpr std::uint64_t calendar_key_hi(CalendarKey k) { return static_cast<std::uint64_t>(k >> 64); }
constexpr std::uint64_t calendar_key_lo(CalendarKey k) { return static_cast<std::uint64_t>(k); }
#else
struct CalendarKey {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
  friend constexpr bool operator<(CalendarKey a, CalendarKey b) { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo); }
};
constexpr CalendarKey make_calendar_key(std::uint64_t hi, std::uint64_t lo) { return CalendarKey{lo, hi}; }
constexpr std::uint64_t calendar_key_hi(CalendarKey k) { return k.hi; }
constexpr std::uint64_t calendar_key_lo(CalendarKey k) { return k.lo; }
#endif

// Hands out cache-line-aligned storage, so the heap's sibling groups sit on line boundaries.
template <class T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlign{64};
  CacheLineAllocator() = default;
  template <class U>
  CacheLineAllocator(const CacheLineAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, kAlign); }
  template <class U>
  bool operator==(const CacheLineAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace detail

class EventCalendar {
 public:
  EventCalendar() : keys_(kRootOffset + kSlack, kVacant) {}

  // Adds an event; it gets the next sequence number, so equal times pop in scheduling order.
  void schedule(SimTime t, std::uint32_t target, std::uint32_t kind, std::uint64_t payload) {
    if (next_tie_ > kMaxTie) renumber_ties();
    insert(t, next_seq_++, next_tie_++, target, kind, payload);
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
    insert(t, r.seq, r.tie, target, kind, payload);
  }
  void cancel(Ticket ticket) {
    assert(ticket < tickets_.size() && tickets_[ticket].held);
    tickets_[ticket].held = false;
    free_tickets_.push_back(ticket);
  }

  bool empty() const noexcept { return size() == 0; }
  std::size_t size() const noexcept { return size_ - static_cast<std::size_t>(root_taken_); }
  // Bytes held by the heap and the event pool (by their sizes, not the allocator's capacities).
  std::size_t bytes() const noexcept {
    return keys_.size() * sizeof(Key) + events_.size() * sizeof(Event) + free_slots_.size() * sizeof(std::uint32_t) +
           tickets_.size() * sizeof(Reservation) + free_tickets_.size() * sizeof(Ticket);
  }

  // The earliest (time, seq). Precondition: !empty().
  const Event& top() const {
    assert(!empty());
    const Key* h = heap();
    // After pop_deferred the root is taken: the next earliest is the least of its children.
    return events_[slot_of(root_taken_ ? h[least_child(h, 1)] : h[0])];
  }

  // Removes and returns the earliest (time, seq). Precondition: !empty().
  Event pop() {
    settle();
    assert(!empty());
    Key* h = heap();
    const std::uint32_t slot = slot_of(h[0]);
    remove_root(h);
    free_slots_.push_back(slot);
    return events_[slot];
  }

  // As pop(), but the event's key stays at the root until the next schedule, which puts its own
  // key there and sifts it down: one sift instead of a sift down (of the last key) and a sift up,
  // and the event's slot reused (an event handler usually schedules one: the next arrival, the
  // end of a service). Without a schedule, the next pop removes it. Same order of events.
  Event pop_deferred() {
    settle();
    assert(!empty());
    root_taken_ = true;
    return events_[slot_of(heap()[0])];
  }

  // Makes room for n pending events, so that scheduling up to n allocates nothing.
  void reserve(std::size_t n) {
    if (kRootOffset + n + kSlack > keys_.size()) keys_.resize(kRootOffset + n + kSlack, kVacant);
    events_.reserve(n);
    free_slots_.reserve(n);
  }

  // Total number of events ever scheduled, reservations included (the next sequence number).
  std::uint64_t scheduled() const noexcept { return next_seq_; }

 private:
  friend struct EventCalendarTestAccess;
  using Key = detail::CalendarKey;

  static constexpr std::size_t kArity = 4;
  static_assert(kArity * sizeof(Key) == 64, "a group of siblings is one cache line");
  // Heap index i lives at keys_[kRootOffset + i]: the children of i, kArity*i+1 .. kArity*i+kArity,
  // then start at byte 64*(i+1) of the aligned storage.
  static constexpr std::size_t kRootOffset = kArity - 1;
  // Vacant keys kept past the last element: a full group of children for every parent, and the
  // kArity*kArity grandchildren that are prefetched, are always inside the storage.
  static constexpr std::size_t kSlack = kArity * kArity;
  // Below this many pending events the keys (16 KB) sit in L1 and prefetching only costs
  // instructions: a model with a few dozen pending events (an M/M/c/c system) skips it.
  static constexpr std::size_t kPrefetchFrom = 1024;
  static constexpr Key kVacant = detail::make_calendar_key(~std::uint64_t{0}, ~std::uint64_t{0});
  static constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;  // signed order -> unsigned
  static constexpr std::uint64_t kMaxTie = 0xFFFF'FFFFu;
  static constexpr std::size_t kMaxSlots = 0xFFFF'FFFFu;  // slots < 2^32-1: no key equals kVacant

  Key* heap() noexcept { return keys_.data() + kRootOffset; }
  const Key* heap() const noexcept { return keys_.data() + kRootOffset; }
  static std::uint32_t slot_of(Key k) noexcept { return static_cast<std::uint32_t>(detail::calendar_key_lo(k)); }
  static std::uint64_t tie_of(Key k) noexcept { return detail::calendar_key_lo(k) >> 32; }

  // Inlined into schedule (the hot path); the rare growth of the heap's storage is out of line.
  [[gnu::always_inline]] inline void insert(SimTime t, std::uint64_t seq, std::uint64_t tie, std::uint32_t target,
                                            std::uint32_t kind, std::uint64_t payload) {
    if (root_taken_) {  // the root's event has been handed out: the new one takes its key's place
      root_taken_ = false;
      Key* h = heap();
      const std::uint32_t slot = slot_of(h[0]);
      events_[slot] = Event{t, seq, target, kind, payload};
      sift_down(h, size_, detail::make_calendar_key(static_cast<std::uint64_t>(t.ns) ^ kSignBit, (tie << 32) | slot));
      return;
    }
    const std::uint32_t slot = acquire_slot();
    events_[slot] = Event{t, seq, target, kind, payload};
    const Key key = detail::make_calendar_key(static_cast<std::uint64_t>(t.ns) ^ kSignBit, (tie << 32) | slot);
    if (kRootOffset + size_ + 1 + kSlack > keys_.size()) grow();
    sift_up(heap(), size_, key);
    ++size_;
  }
  // Removes the key at the root (its slot is the caller's to free).
  void remove_root(Key* h) noexcept {
    const std::size_t n = --size_;
    const Key last = h[n];
    h[n] = kVacant;
    if (n > 0) sift_down(h, n, last);
  }
  // The event pop_deferred handed out is removed, if no schedule has taken its place.
  void settle() {
    if (!root_taken_) return;
    root_taken_ = false;
    Key* h = heap();
    free_slots_.push_back(slot_of(h[0]));
    remove_root(h);
  }
  [[gnu::noinline]] void grow() { keys_.resize(std::max(2 * keys_.size(), kRootOffset + size_ + 1 + kSlack), kVacant); }

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

  static void sift_up(Key* h, std::size_t i, Key key) noexcept {
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!(key < h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = key;
  }

  // Moves `last` down from the root, which is vacant; n is the number of keys in the heap.
  static void sift_down(Key* h, std::size_t n, Key last) noexcept {
    std::size_t i = 0;
    for (;;) {
      const std::size_t c = kArity * i + 1;
      if (c >= n) break;
      if (n >= kPrefetchFrom) prefetch_grandchildren(h, c, n);
      const std::size_t b = least_child(h, c);
      if (!(h[b] < last)) break;
      h[i] = h[b];
      i = b;
    }
    h[i] = last;
  }

  // The least of h[c .. c+3] as a two-round tournament the compiler turns into conditional moves.
  // Positions past the last element hold kVacant, which never wins.
  static std::size_t least_child(const Key* h, std::size_t c) noexcept {
    const std::size_t a = c + static_cast<std::size_t>(h[c + 1] < h[c]);
    const std::size_t b = c + 2 + static_cast<std::size_t>(h[c + 3] < h[c + 2]);
    return h[b] < h[a] ? b : a;
  }

  // Asks for the children of h[c .. c+3] (contiguous, kArity lines) while those are compared.
  // Past the end of the heap it prefetches the root instead: no branch, no access outside storage.
  static void prefetch_grandchildren(const Key* h, std::size_t c, std::size_t n) noexcept {
#if defined(__GNUC__)
    std::size_t g = kArity * c + 1;
    g = g < n ? g : 0;
    for (std::size_t line = 0; line < kArity; ++line) __builtin_prefetch(h + g + line * kArity);
#else
    (void)h, (void)c, (void)n;
#endif
  }

  // Gives the pending keys and the held reservations ties 0..n-1 in the order of their ties; the
  // heap stays valid because the map is monotone (keys compare by time, then tie), and a
  // reservation keeps its place among them. Runs once per ~4e9 schedules.
  void renumber_ties() {
    Key* h = heap();
    std::vector<std::size_t> order;  // heap positions, then size_ + ticket for the reservations
    order.reserve(size_ + tickets_.size());
    for (std::size_t i = 0; i < size_; ++i) order.push_back(i);
    for (std::size_t t = 0; t < tickets_.size(); ++t)
      if (tickets_[t].held) order.push_back(size_ + t);
    auto tie = [&](std::size_t i) { return i < size_ ? tie_of(h[i]) : tickets_[i - size_].tie; };
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return tie(a) < tie(b); });
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
      const std::size_t i = order[rank];
      if (i >= size_) {
        tickets_[i - size_].tie = rank;
        continue;
      }
      Key& k = h[i];
      k = detail::make_calendar_key(detail::calendar_key_hi(k), (static_cast<std::uint64_t>(rank) << 32) | slot_of(k));
    }
    next_tie_ = order.size();
  }

  std::vector<Key, detail::CacheLineAllocator<Key>> keys_;  // the heap, with kVacant padding
  std::vector<Event> events_;                               // the pool, indexed by slot
  std::vector<std::uint32_t> free_slots_;
  struct Reservation {
    std::uint64_t seq = 0, tie = 0;
    bool held = false;
  };
  std::vector<Reservation> tickets_;
  std::vector<Ticket> free_tickets_;
  std::size_t size_ = 0;     // keys in the heap, the root included when root_taken_
  bool root_taken_ = false;  // the root's event was handed out by pop_deferred
  std::uint64_t next_seq_ = 0;
  std::uint64_t next_tie_ = 0;
};

}  // namespace sluice::kernel
