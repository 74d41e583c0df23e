#pragma once
// A pool of records (requests, invocations, API calls) addressed by handles. A handle is a slot
// index and a generation: once a record is freed its old handles go stale, which is how events
// for finished work are recognised and dropped (lazy cancellation). Freed slots are reused, so
// memory follows the work in flight, not the total number of requests.
#include <cassert>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace sluice::kernel {

struct Handle {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;  // 0 is never live: a default Handle is always stale

  std::uint64_t pack() const { return (std::uint64_t{generation} << 32) | slot; }
  static Handle unpack(std::uint64_t v) {
    return Handle{static_cast<std::uint32_t>(v & 0xffffffffu), static_cast<std::uint32_t>(v >> 32)};
  }
  bool operator==(const Handle&) const = default;
};

template <class T>
class Pool {
 public:
  Handle allocate() { return emplace(); }
  // A new record built in its slot from `args` (T's constructor, or T{} with none): a reused slot
  // is not value-initialised first and then overwritten field by field.
  template <class... Args>
  Handle emplace(Args&&... args) {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
      T* item = &items_[slot];
      std::destroy_at(item);
      if constexpr (sizeof...(Args) == 0) ::new (static_cast<void*>(item)) T{};
      else std::construct_at(item, std::forward<Args>(args)...);
    } else {
      slot = static_cast<std::uint32_t>(items_.size());
      if constexpr (sizeof...(Args) == 0) items_.emplace_back();
      else items_.emplace_back(std::forward<Args>(args)...);
      generations_.push_back(0);
    }
    ++generations_[slot];  // odd generations are live
    ++live_;
    return Handle{slot, generations_[slot]};
  }
  void release(Handle h) {
    assert(alive(h));
    ++generations_[h.slot];
    free_.push_back(h.slot);
    --live_;
  }
  bool alive(Handle h) const {
    return h.slot < generations_.size() && generations_[h.slot] == h.generation && (h.generation & 1u);
  }
  T& operator[](Handle h) {
    assert(alive(h));
    return items_[h.slot];
  }
  const T& operator[](Handle h) const {
    assert(alive(h));
    return items_[h.slot];
  }
  std::size_t live() const { return live_; }
  std::size_t capacity() const { return items_.size(); }
  // Visits every live record (for the ledger's count of work in flight).
  template <class F>
  void for_each_live(F&& f) const {
    for (std::size_t i = 0; i < items_.size(); ++i)
      if (generations_[i] & 1u) f(items_[i]);
  }

 private:
  std::vector<T> items_;
  std::vector<std::uint32_t> generations_;
  std::vector<std::uint32_t> free_;
  std::size_t live_ = 0;
};

}  // namespace sluice::kernel
