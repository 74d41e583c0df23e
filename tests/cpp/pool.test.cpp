// kernel::Pool: records addressed by (slot, generation) handles; stale handles are how events for
// finished work are recognised and dropped.
#include <set>
#include <vector>

#include "catch.hpp"
#include "kernel/pool.hpp"

using sluice::kernel::Handle;
using sluice::kernel::Pool;

namespace {
struct Item {
  int value = 0;
};
}  // namespace

TEST_CASE("a default handle is never alive", "[pool]") {
  Pool<Item> pool;
  CHECK_FALSE(pool.alive(Handle{}));
  Handle h = pool.allocate();
  CHECK(h.slot == 0);
  CHECK_FALSE(pool.alive(Handle{}));  // slot 0 is live now, but generation 0 never is
}

TEST_CASE("a handle goes stale when its record is released", "[pool]") {
  Pool<Item> pool;
  Handle h = pool.allocate();
  REQUIRE(pool.alive(h));
  pool[h].value = 42;
  CHECK(pool[h].value == 42);
  pool.release(h);
  CHECK_FALSE(pool.alive(h));
  CHECK(pool.live() == 0);
}

TEST_CASE("a reused slot gets a new generation, so old handles to it stay stale", "[pool]") {
  Pool<Item> pool;
  Handle first = pool.allocate();
  pool[first].value = 7;
  pool.release(first);
  Handle second = pool.allocate();
  CHECK(second.slot == first.slot);  // the freed slot is reused: memory follows the work in flight
  CHECK(second.generation != first.generation);
  CHECK_FALSE(second == first);
  CHECK(pool.alive(second));
  CHECK_FALSE(pool.alive(first));
  CHECK(pool[second].value == 0);  // a reused record starts fresh
  CHECK(pool.capacity() == 1);
}

TEST_CASE("a handle survives packing into an event payload", "[pool]") {
  Pool<Item> pool;
  for (int i = 0; i < 5; ++i) pool.release(pool.allocate());  // push the generation up
  pool.allocate();
  Handle h = pool.allocate();
  Handle back = Handle::unpack(h.pack());
  CHECK(back == h);
  CHECK(pool.alive(back));
  pool.release(h);
  CHECK_FALSE(pool.alive(Handle::unpack(h.pack())));
}

TEST_CASE("live() counts allocated records and for_each_live visits exactly them", "[pool]") {
  Pool<Item> pool;
  std::vector<Handle> hs;
  for (int i = 0; i < 6; ++i) {
    hs.push_back(pool.allocate());
    pool[hs.back()].value = i;
  }
  CHECK(pool.live() == 6);
  pool.release(hs[1]);
  pool.release(hs[4]);
  CHECK(pool.live() == 4);
  std::multiset<int> seen;
  pool.for_each_live([&](const Item& it) { seen.insert(it.value); });
  CHECK(seen == std::multiset<int>{0, 2, 3, 5});
  // Reallocating reuses the two freed slots without growing the pool.
  Handle a = pool.allocate();
  Handle b = pool.allocate();
  pool[a].value = 10;
  pool[b].value = 11;
  CHECK(pool.capacity() == 6);
  CHECK(pool.live() == 6);
  seen.clear();
  pool.for_each_live([&](const Item& it) { seen.insert(it.value); });
  CHECK(seen == std::multiset<int>{0, 2, 3, 5, 10, 11});
  CHECK_FALSE(pool.alive(hs[1]));
  CHECK_FALSE(pool.alive(hs[4]));
}
