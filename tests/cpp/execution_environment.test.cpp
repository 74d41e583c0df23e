// EnvironmentPool: the execution environments of one function, their idle lists and the order in
// which idle environments are reused.
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "catch.hpp"
#include "components/execution_environment.hpp"
#include "kernel/random_stream.hpp"

using sluice::LambdaSpec;
using sluice::components::EnvironmentPool;
using sluice::components::ExecutionEnvironment;
using sluice::kernel::RandomStream;
using State = ExecutionEnvironment::State;
using Reuse = LambdaSpec::Reuse;

namespace {
RandomStream rng() { return RandomStream(7, "execution_environment.test", "reuse"); }
}  // namespace

TEST_CASE("a new execution environment is initializing and counted alive", "[execution_environment]") {
  EnvironmentPool pool;
  CHECK(pool.alive() == 0);
  std::uint32_t a = pool.create(false);
  std::uint32_t b = pool.create(true);
  CHECK(a != b);
  CHECK(pool[a].state == State::initializing);
  CHECK(pool[a].needs_init);
  CHECK_FALSE(pool[a].provisioned);
  CHECK(pool[b].provisioned);
  CHECK(pool[b].created > pool[a].created);
  CHECK(pool.alive() == 2);
}

TEST_CASE("an idle environment is taken once, and then the idle list is empty", "[execution_environment]") {
  EnvironmentPool pool;
  auto r = rng();
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == -1);  // nothing idle yet
  std::uint32_t a = pool.create(false);
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == -1);  // initializing is not idle
  pool.make_idle(a);
  CHECK(pool[a].state == State::idle);
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == static_cast<std::int32_t>(a));
  CHECK(pool[a].state == State::busy);
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == -1);
  CHECK(pool.alive() == 1);  // taking does not destroy
}

TEST_CASE("most_recent reuse takes the environment that became idle last", "[execution_environment]") {
  EnvironmentPool pool;
  auto r = rng();
  std::uint32_t a = pool.create(false), b = pool.create(false), c = pool.create(false);
  pool.make_idle(a);
  pool.make_idle(c);
  pool.make_idle(b);  // b idled last, though c is the newest
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == static_cast<std::int32_t>(b));
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == static_cast<std::int32_t>(c));
  pool.make_idle(b);
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == static_cast<std::int32_t>(b));
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == static_cast<std::int32_t>(a));
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == -1);
}

TEST_CASE("newest reuse takes the most recently created idle environment", "[execution_environment]") {
  EnvironmentPool pool;
  auto r = rng();
  std::uint32_t a = pool.create(false), b = pool.create(false), c = pool.create(false), d = pool.create(false);
  pool.make_idle(c);
  pool.make_idle(d);
  pool.make_idle(a);
  pool.make_idle(b);  // idle order (most recent first): b a d c; creation order: a b c d
  CHECK(pool.take_idle(false, Reuse::newest, r) == static_cast<std::int32_t>(d));
  CHECK(pool.take_idle(false, Reuse::newest, r) == static_cast<std::int32_t>(c));
  CHECK(pool.take_idle(false, Reuse::newest, r) == static_cast<std::int32_t>(b));
  CHECK(pool.take_idle(false, Reuse::newest, r) == static_cast<std::int32_t>(a));
  CHECK(pool.take_idle(false, Reuse::newest, r) == -1);
}

TEST_CASE("random reuse takes each idle environment with equal frequency", "[execution_environment]") {
  EnvironmentPool pool;
  auto r = rng();
  constexpr int kEnvs = 4;
  constexpr int kDraws = 40'000;
  std::array<std::uint32_t, kEnvs> ids{};
  for (auto& id : ids) {
    id = pool.create(false);
    pool.make_idle(id);
  }
  std::array<int, kEnvs> hits{};
  for (int i = 0; i < kDraws; ++i) {
    std::int32_t got = pool.take_idle(false, Reuse::random, r);
    REQUIRE(got >= 0);
    for (int k = 0; k < kEnvs; ++k)
      if (ids[static_cast<std::size_t>(k)] == static_cast<std::uint32_t>(got)) ++hits[static_cast<std::size_t>(k)];
    pool.make_idle(static_cast<std::uint32_t>(got));  // goes to the front: most_recent would pick it every time
  }
  const double p = 1.0 / kEnvs;
  const double expected = kDraws * p;
  const double se = std::sqrt(kDraws * p * (1 - p));
  for (int k = 0; k < kEnvs; ++k) {
    INFO("environment " << k << ": " << hits[static_cast<std::size_t>(k)] << " of " << kDraws << " draws");
    CHECK(std::fabs(hits[static_cast<std::size_t>(k)] - expected) < 4 * se);
  }
}

TEST_CASE("provisioned and on-demand environments idle in separate lists", "[execution_environment]") {
  EnvironmentPool pool;
  auto r = rng();
  std::uint32_t p = pool.create(true), o = pool.create(false);
  pool.make_idle(o);
  CHECK(pool.take_idle(true, Reuse::most_recent, r) == -1);  // an on-demand env does not serve as provisioned
  pool.make_idle(p);
  CHECK(pool.take_idle(true, Reuse::most_recent, r) == static_cast<std::int32_t>(p));
  CHECK(pool.take_idle(true, Reuse::most_recent, r) == -1);
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == static_cast<std::int32_t>(o));
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == -1);
  for (Reuse reuse : {Reuse::newest, Reuse::random}) {
    pool.make_idle(p);
    CHECK(pool.take_idle(false, reuse, r) == -1);
    CHECK(pool.take_idle(true, reuse, r) == static_cast<std::int32_t>(p));
  }
}

TEST_CASE("destroying an idle environment removes it from the idle list and frees its slot",
          "[execution_environment]") {
  EnvironmentPool pool;
  auto r = rng();
  std::uint32_t a = pool.create(false), b = pool.create(false), c = pool.create(false);
  pool.make_idle(a);
  pool.make_idle(b);
  pool.make_idle(c);  // idle list: c b a
  pool.destroy(b);    // from the middle of the list
  CHECK(pool[b].state == State::gone);
  CHECK(pool.alive() == 2);
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == static_cast<std::int32_t>(c));
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == static_cast<std::int32_t>(a));
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == -1);
  // The slot is reused by the next environment, which starts cold.
  std::uint32_t d = pool.create(false);
  CHECK(d == b);
  CHECK(pool[d].state == State::initializing);
  CHECK(pool[d].needs_init);
  CHECK(pool.alive() == 3);
}

TEST_CASE("destroying the head or the only idle environment leaves a consistent list", "[execution_environment]") {
  EnvironmentPool pool;
  auto r = rng();
  std::uint32_t a = pool.create(false), b = pool.create(false);
  pool.make_idle(a);
  pool.make_idle(b);  // head is b
  pool.destroy(b);
  CHECK(pool.take_idle(false, Reuse::random, r) == static_cast<std::int32_t>(a));  // size 1: random must find it
  pool.make_idle(a);
  pool.destroy(a);
  CHECK(pool.take_idle(false, Reuse::most_recent, r) == -1);
  CHECK(pool.take_idle(false, Reuse::random, r) == -1);
  CHECK(pool.alive() == 0);
}

TEST_CASE("alive() follows creations and destructions, not idleness", "[execution_environment]") {
  EnvironmentPool pool;
  auto r = rng();
  std::vector<std::uint32_t> envs;
  for (int i = 0; i < 5; ++i) envs.push_back(pool.create(i % 2 == 0));
  CHECK(pool.alive() == 5);
  for (auto e : envs) pool.make_idle(e);
  CHECK(pool.alive() == 5);
  pool.take_idle(true, Reuse::most_recent, r);
  pool.take_idle(false, Reuse::most_recent, r);
  CHECK(pool.alive() == 5);
  pool.destroy(envs[0]);
  pool.destroy(envs[1]);
  CHECK(pool.alive() == 3);
}
