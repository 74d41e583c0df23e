#pragma once
// What the faults of the model (docs/model-reference.md, faults:) currently do to one component. The engine
// switches them on and off at the faults' times; components read them where they act.
#include <cstdint>

namespace sluice::engine {

struct FaultState {
  double error_rate = 0;             // a function's injected error probability while an error_rate fault lasts
  double added_latency_ns = 0;       // latency faults: added to each call (or invocation) of the component
  int outages = 0;                   // > 0: the service answers 5xx (callers see dependency_failed)
  std::uint32_t poison_pending = 0;  // the next messages arriving are poison
  bool down() const { return outages > 0; }
};

}  // namespace sluice::engine
