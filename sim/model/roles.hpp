#pragma once
// Roles components play for the rest of the model, read from the references to them, for every
// component at once (one pass over the model).
#include <vector>

#include "sluice/model.hpp"

namespace sluice::model {

struct Roles {
  // By component index (model order). A queue (or topic, or function) that receives failures:
  // a dead-letter queue or an on-failure destination; its messages are parked, not a backlog.
  std::vector<bool> receives_failures;
  // A component something hands work to without waiting: a source with invocation: async, or a
  // link that is not synchronous (a send, publish or put; for a function: an SNS subscription, an
  // invoke_async step, an on-failure destination). Read for functions: their asynchronous invocation.
  std::vector<bool> invoked_asynchronously;
};

Roles component_roles(const ModelSpec& model);

}  // namespace sluice::model
