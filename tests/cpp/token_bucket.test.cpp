// TokenBucket: API Gateway's throttle and Lambda's scaling rate. The arithmetic is deterministic,
// so every expected value here is computed by hand.
#include "components/token_bucket.hpp"
#include "catch.hpp"
#include "kernel/sim_time.hpp"

using sluice::components::TokenBucket;
using sluice::kernel::SimTime;

namespace {
SimTime ms(std::int64_t v) { return SimTime::from_ns(v * 1'000'000); }
}  // namespace

TEST_CASE("a new token bucket starts full, with its whole burst available at once", "[token_bucket]") {
  TokenBucket bucket(10, 5);  // 10/s, burst 5
  CHECK(bucket.capacity() == 5);
  CHECK(bucket.tokens(ms(0)) == 5);
  for (int i = 0; i < 5; ++i) CHECK(bucket.try_take(ms(0)));
  CHECK_FALSE(bucket.try_take(ms(0)));
  CHECK(bucket.tokens(ms(0)) == 0);
}

TEST_CASE("a token bucket refills continuously at its rate", "[token_bucket]") {
  TokenBucket bucket(10, 5);
  for (int i = 0; i < 5; ++i) REQUIRE(bucket.try_take(ms(0)));
  // 10/s is one token per 100 ms; after 50 ms half a token is there, not zero and not one.
  CHECK(bucket.tokens(ms(50)) == Approx(0.5).margin(1e-12));
  CHECK_FALSE(bucket.try_take(ms(99)));
  CHECK(bucket.try_take(ms(101)));
  CHECK(bucket.tokens(ms(101)) == Approx(0.01).margin(1e-12));
  // 349 ms later: 3.5 tokens, so three takes succeed and the fourth does not.
  CHECK(bucket.try_take(ms(450)));
  CHECK(bucket.try_take(ms(450)));
  CHECK(bucket.try_take(ms(450)));
  CHECK_FALSE(bucket.try_take(ms(450)));
  CHECK(bucket.tokens(ms(450)) == Approx(0.5).margin(1e-12));
}

TEST_CASE("a token bucket never holds more than its capacity", "[token_bucket]") {
  TokenBucket bucket(1000, 3);
  REQUIRE(bucket.try_take(ms(0)));
  // An hour at 1000/s would be 3.6 million tokens; the bucket holds 3.
  CHECK(bucket.tokens(SimTime::seconds(3600)) == 3);
  for (int i = 0; i < 3; ++i) CHECK(bucket.try_take(SimTime::seconds(3600)));
  CHECK_FALSE(bucket.try_take(SimTime::seconds(3600)));
}

TEST_CASE("a token bucket refills fractional tokens at a fractional rate", "[token_bucket]") {
  TokenBucket bucket(0.25, 2);  // one token every 4 s
  REQUIRE(bucket.try_take(ms(0), 2));
  CHECK(bucket.tokens(ms(1000)) == Approx(0.25).margin(1e-12));
  CHECK(bucket.tokens(ms(3000)) == Approx(0.75).margin(1e-12));
  CHECK_FALSE(bucket.try_take(ms(3999)));
  CHECK(bucket.try_take(ms(4001)));
  // Taking a fractional amount leaves the exact remainder.
  CHECK(bucket.try_take(ms(6000), 0.3));
  CHECK(bucket.tokens(ms(6000)) == Approx(0.2).margin(1e-12));
}

TEST_CASE("a refused try_take leaves the tokens unchanged", "[token_bucket]") {
  TokenBucket bucket(2, 4);
  REQUIRE(bucket.try_take(ms(0), 3.5));
  CHECK(bucket.tokens(ms(0)) == Approx(0.5).margin(1e-12));
  CHECK_FALSE(bucket.try_take(ms(0), 1));
  CHECK(bucket.tokens(ms(0)) == Approx(0.5).margin(1e-12));
  // After 100 ms: 0.7 tokens; asking for 2 fails and takes nothing, so 1 can still be taken later.
  CHECK_FALSE(bucket.try_take(ms(100), 2));
  CHECK(bucket.tokens(ms(100)) == Approx(0.7).margin(1e-12));
  CHECK(bucket.try_take(ms(260), 1));
  CHECK(bucket.tokens(ms(260)) == Approx(0.02).margin(1e-12));
}

TEST_CASE("a token bucket with a zero rate never refills", "[token_bucket]") {
  TokenBucket bucket(0, 1);
  CHECK(bucket.try_take(ms(0)));
  CHECK_FALSE(bucket.try_take(SimTime::seconds(1e6)));
}
