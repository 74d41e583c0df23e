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

// For Lambda's recursive-loop detection (aws-facts §1.5): by component index (model order), the
// loop each function sits on, numbered from 0 in model order, or -1 for a function on no loop
// (and for every other component). A loop is a strongly connected component of the graph without
// the polls of Kinesis and DynamoDB streams: the detection follows chains through SQS, SNS and
// Lambda only, so a record read from a stream starts a new chain.
std::vector<int> function_loops(const ModelSpec& model);

// The sources whose requests reach `component` along the graph's edges (in model order).
std::vector<std::string> sources_reaching(const ModelSpec& model, const std::string& component);

}  // namespace sluice::model
