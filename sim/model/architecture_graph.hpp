#pragma once
// The architecture as a Boost.Graph: sources and components are vertices, the ways work moves
// between them are typed edges: synchronous (invoke: the caller waits) or asynchronous (send,
// publish, put, invoke_async, subscription, poll, dead_letter, on_failure: handed over).
// Checked after every reference has been resolved.
#include "sluice/model.hpp"

namespace sluice::model {

// Throws ModelError on a loop made only of synchronous invocations (each one calls the next
// and waits, so the run could never end). Warns about a loop that passes through an
// asynchronous hop (a queue, topic, stream or asynchronous invocation): Lambda's recursion
// detection stops such a chain (aws-facts §1.5), or, through Kinesis only, nothing does. Warns
// about components no source reaches.
void check_architecture(ModelSpec& model);

// The sources whose requests reach `component` along the graph's edges (in model order).
std::vector<std::string> sources_reaching(const ModelSpec& model, const std::string& component);

}  // namespace sluice::model
