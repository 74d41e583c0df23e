#include "components/execution_environment.hpp"

namespace sluice::components {

std::uint32_t EnvironmentPool::create(bool provisioned) {
  std::uint32_t env;
  if (!free_.empty()) {
    env = free_.back();
    free_.pop_back();
  } else {
    env = static_cast<std::uint32_t>(envs_.size());
    envs_.emplace_back();
  }
  ExecutionEnvironment& e = envs_[env];
  std::uint32_t timer = e.timer;
  e = ExecutionEnvironment{};
  e.timer = timer;
  e.state = ExecutionEnvironment::State::initializing;
  e.provisioned = provisioned;
  e.created = created_++;
  ++alive_;
  return env;
}

void EnvironmentPool::destroy(std::uint32_t env) {
  unlink(env);
  envs_[env].state = ExecutionEnvironment::State::gone;
  free_.push_back(env);
  --alive_;
}

void EnvironmentPool::make_idle(std::uint32_t env) {
  ExecutionEnvironment& e = envs_[env];
  e.state = ExecutionEnvironment::State::idle;
  IdleList& list = list_of(e);
  e.prev = -1;
  e.next = list.head;
  if (list.head >= 0) envs_[static_cast<std::size_t>(list.head)].prev = static_cast<std::int32_t>(env);
  list.head = static_cast<std::int32_t>(env);
  ++list.size;
}

void EnvironmentPool::unlink(std::uint32_t env) {
  ExecutionEnvironment& e = envs_[env];
  if (e.state != ExecutionEnvironment::State::idle) return;
  IdleList& list = list_of(e);
  if (e.prev >= 0) envs_[static_cast<std::size_t>(e.prev)].next = e.next;
  else list.head = e.next;
  if (e.next >= 0) envs_[static_cast<std::size_t>(e.next)].prev = e.prev;
  e.prev = e.next = -1;
  --list.size;
}

std::int32_t EnvironmentPool::take_idle(bool provisioned, LambdaSpec::Reuse reuse, kernel::RandomStream& rng) {
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

}  // namespace sluice::components
