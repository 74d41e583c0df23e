#pragma once
// Roles a component plays for the rest of the model, read from the references to it.
#include <string>

#include "sluice/model.hpp"

namespace sluice::model {

// A queue (or topic, or function) that receives failures: a dead-letter queue or an on-failure
// destination. Its messages are parked, not a backlog of work.
bool receives_failures(const ModelSpec& model, const std::string& name);

// Whether anything can invoke the function asynchronously: a source with invocation: async, an
// SNS subscription, an invoke_async step, an on-failure destination.
bool invoked_asynchronously(const ModelSpec& model, const std::string& name);

}  // namespace sluice::model
