#pragma once
// A 4-ary min-heap of 16-byte keys, the event calendar's order (kernel/event_calendar.hpp):
//
//   key = (time with its sign bit flipped, tie << 32 | slot), compared as one 128-bit integer
//
// The slot names the event in the calendar's pool; the heap orders keys and knows nothing else.
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
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace sluice::kernel {

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
  friend constexpr bool operator==(CalendarKey a, CalendarKey b) = default;
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

class KeyHeap {
 public:
  using Key = detail::CalendarKey;
  static constexpr Key kVacant = detail::make_calendar_key(~std::uint64_t{0}, ~std::uint64_t{0});
  static constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;  // signed order -> unsigned

  KeyHeap() : keys_(kRootOffset + kSlack, kVacant) {}

  static Key key(std::int64_t time_ns, std::uint64_t tie, std::uint32_t slot) {
    return detail::make_calendar_key(static_cast<std::uint64_t>(time_ns) ^ kSignBit, (tie << 32) | slot);
  }
  static std::uint32_t slot_of(Key k) noexcept { return static_cast<std::uint32_t>(detail::calendar_key_lo(k)); }
  static std::uint64_t tie_of(Key k) noexcept { return detail::calendar_key_lo(k) >> 32; }

  std::size_t size() const noexcept { return size_; }
  // The least key; kVacant (greater than any key) when the heap is empty.
  Key root() const noexcept { return heap()[0]; }
  // The least key below the root (the next root once the root goes); kVacant if none.
  Key least_below_root() const noexcept { return heap()[least_child(heap(), 1)]; }
  std::size_t bytes() const noexcept { return keys_.size() * sizeof(Key); }

  // Inlined into the calendar's schedule (the hot path); the rare growth is out of line.
  [[gnu::always_inline]] inline void push(Key key) {
    if (kRootOffset + size_ + 1 + kSlack > keys_.size()) grow();
    sift_up(heap(), size_, key);
    ++size_;
  }
  // Removes the root (its slot is the caller's to free).
  void pop_root() noexcept {
    Key* h = heap();
    const std::size_t n = --size_;
    const Key last = h[n];
    h[n] = kVacant;
    if (n > 0) sift_down(h, n, last);
  }
  // The root goes and `key` comes in: one sift down from the root.
  void replace_root(Key key) noexcept { sift_down(heap(), size_, key); }
  void reserve(std::size_t n) {
    if (kRootOffset + n + kSlack > keys_.size()) keys_.resize(kRootOffset + n + kSlack, kVacant);
  }
  // f(key&) for every key, in heap order: for rewriting ties in an order-preserving way.
  template <class F>
  void for_each_key(F&& f) {
    for (std::size_t i = 0; i < size_; ++i) f(heap()[i]);
  }

 private:
  static constexpr std::size_t kArity = 4;
  static_assert(kArity * sizeof(Key) == 64, "a group of siblings is one cache line");
  // Heap index i lives at keys_[kRootOffset + i]: the children of i, kArity*i+1 .. kArity*i+kArity,
  // then start at byte 64*(i+1) of the aligned storage.
  static constexpr std::size_t kRootOffset = kArity - 1;
  // Vacant keys kept past the last element: a full group of children for every parent, and the
  // kArity*kArity grandchildren that are prefetched, are always inside the storage.
  static constexpr std::size_t kSlack = kArity * kArity;
  // Below this many keys they (16 KB) sit in L1 and prefetching only costs instructions: a model
  // with a few dozen pending events (an M/M/c/c system) skips it.
  static constexpr std::size_t kPrefetchFrom = 1024;

  Key* heap() noexcept { return keys_.data() + kRootOffset; }
  const Key* heap() const noexcept { return keys_.data() + kRootOffset; }
  [[gnu::noinline]] void grow() { keys_.resize(std::max(2 * keys_.size(), kRootOffset + size_ + 1 + kSlack), kVacant); }

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

  std::vector<Key, detail::CacheLineAllocator<Key>> keys_;  // the heap, with kVacant padding
  std::size_t size_ = 0;
};

}  // namespace sluice::kernel
