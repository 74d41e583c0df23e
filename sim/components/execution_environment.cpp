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

}  // namespace sluice::components
