#pragma once
// Execution environments of one function: created cold, reused warm, expired when idle too
// long. Idle environments sit in an intrusive list, most recently idle first, so the default
// reuse order (most_recent) and expiry are O(1) with no allocation.
#include <cstdint>
#include <vector>

#include "kernel/random_stream.hpp"
#include "kernel/sim_time.hpp"
#include "sluice/model.hpp"

namespace sluice::components {

struct ExecutionEnvironment {
  enum class State : std::uint8_t { initializing, busy, idle, gone };
  State state = State::gone;
  bool provisioned = false;           // pre-initialised by provisioned concurrency; never expires
  bool needs_init = true;             // new, or reset after a timeout or out-of-memory crash
  std::uint64_t created = 0;          // creation order, for reuse: newest
  std::int32_t prev = -1, next = -1;  // idle list links
  // Keep-alive (LambdaFunction::arm_expiry): at most one timer pending, re-armed when it fires
  // before the idle period's end. `timer` numbers the timers of this slot (it survives the slot's
  // reuse), so a superseded one is recognised when it fires.
  std::uint32_t timer = 0;
  bool timer_pending = false;
  bool timer_final = false;  // the pending timer is the current idle period's own expiry
  bool has_ticket = false;   // the expiry's place in the order, reserved when it was drawn
  std::uint32_t ticket = 0;
  kernel::SimTime timer_at, expires;
};

class EnvironmentPool {
 public:
  std::uint32_t create(bool provisioned);
  void destroy(std::uint32_t env);  // must be idle
  // Inline, with take_idle and unlink: one of each per invocation.
  void make_idle(std::uint32_t env) {
    ExecutionEnvironment& e = envs_[env];
    e.state = ExecutionEnvironment::State::idle;
    IdleList& list = list_of(e);
    e.prev = -1;
    e.next = list.head;
    if (list.head >= 0) envs_[static_cast<std::size_t>(list.head)].prev = static_cast<std::int32_t>(env);
    list.head = static_cast<std::int32_t>(env);
    ++list.size;
  }
  // An idle environment to run the next request, or -1; it leaves the idle list.
  std::int32_t take_idle(bool provisioned, LambdaSpec::Reuse reuse, kernel::RandomStream& rng) {
    IdleList& list = provisioned ? idle_provisioned_ : idle_on_demand_;
    if (list.head < 0) return -1;
    std::int32_t chosen = list.head;  // most_recent: the front of the list
    if (reuse == LambdaSpec::Reuse::newest) {
      for (std::int32_t i = list.head; i >= 0; i = envs_[static_cast<std::size_t>(i)].next)
        if (envs_[static_cast<std::size_t>(i)].created > envs_[static_cast<std::size_t>(chosen)].created) chosen = i;
    } else if (reuse == LambdaSpec::Reuse::random) {
      std::uint64_t k = rng.below(list.size);
      for (chosen = list.head; k > 0; --k) chosen = envs_[static_cast<std::size_t>(chosen)].next;
    }
    auto env = static_cast<std::uint32_t>(chosen);
    unlink(env);
    envs_[env].state = ExecutionEnvironment::State::busy;
    return chosen;
  }
  bool has_idle(bool provisioned) const { return (provisioned ? idle_provisioned_ : idle_on_demand_).head >= 0; }
  ExecutionEnvironment& operator[](std::uint32_t env) { return envs_[env]; }
  // A deployment: every on-demand environment initialises again before its next request
  // (provisioned ones are prepared for the new version before it takes traffic).
  void require_init_on_demand() {
    for (auto& e : envs_)
      if (e.state != ExecutionEnvironment::State::gone && !e.provisioned) e.needs_init = true;
  }
  std::size_t alive() const { return alive_; }

 private:
  struct IdleList {
    std::int32_t head = -1;
    std::size_t size = 0;
  };
  IdleList& list_of(const ExecutionEnvironment& e) { return e.provisioned ? idle_provisioned_ : idle_on_demand_; }
  void unlink(std::uint32_t env) {
    ExecutionEnvironment& e = envs_[env];
    if (e.state != ExecutionEnvironment::State::idle) return;
    IdleList& list = list_of(e);
    if (e.prev >= 0) envs_[static_cast<std::size_t>(e.prev)].next = e.next;
    else list.head = e.next;
    if (e.next >= 0) envs_[static_cast<std::size_t>(e.next)].prev = e.prev;
    e.prev = e.next = -1;
    --list.size;
  }

  std::vector<ExecutionEnvironment> envs_;
  std::vector<std::uint32_t> free_;
  IdleList idle_provisioned_, idle_on_demand_;
  std::uint64_t created_ = 0;
  std::size_t alive_ = 0;
};

}  // namespace sluice::components
