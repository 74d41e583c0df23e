// ConcurrencyPool: Lambda's reserved concurrency or the account's unreserved pool.
#include "components/concurrency_pool.hpp"
#include "catch.hpp"

using sluice::components::ConcurrencyPool;

TEST_CASE("a concurrency pool admits exactly its limit", "[concurrency_pool]") {
  ConcurrencyPool pool(3);
  CHECK(pool.limit() == 3);
  CHECK(pool.try_acquire());
  CHECK(pool.try_acquire());
  CHECK(pool.try_acquire());
  CHECK(pool.in_use() == 3);
  CHECK_FALSE(pool.try_acquire());
  CHECK_FALSE(pool.try_acquire());
  CHECK(pool.in_use() == 3);  // a refused acquire takes nothing
}

TEST_CASE("releasing a concurrency slot lets exactly one more in", "[concurrency_pool]") {
  ConcurrencyPool pool(2);
  REQUIRE(pool.try_acquire());
  REQUIRE(pool.try_acquire());
  REQUIRE_FALSE(pool.try_acquire());
  pool.release();
  CHECK(pool.in_use() == 1);
  CHECK(pool.try_acquire());
  CHECK_FALSE(pool.try_acquire());
  pool.release();
  pool.release();
  CHECK(pool.in_use() == 0);
  CHECK(pool.try_acquire());
  CHECK(pool.try_acquire());
  CHECK_FALSE(pool.try_acquire());
}

TEST_CASE("a concurrency pool with a limit of zero admits nothing", "[concurrency_pool]") {
  ConcurrencyPool pool(0);
  CHECK_FALSE(pool.try_acquire());
  CHECK(pool.in_use() == 0);
  ConcurrencyPool defaulted;
  CHECK_FALSE(defaulted.try_acquire());
}
