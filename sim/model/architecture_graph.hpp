#pragma once
// The architecture as a Boost.Graph: sources and components are vertices, the ways work moves
// between them (invoke, ...) are typed edges. Checked after every reference has been resolved.
#include "sluice/model.hpp"

namespace sluice::model {

// Warns about components no source reaches; throws ModelError on a recursion loop, naming its
// path (every invocation in the loop calls the next, so the run could never end).
void check_architecture(ModelSpec& model);

// The sources whose requests reach `component` along the graph's edges (in model order).
std::vector<std::string> sources_reaching(const ModelSpec& model, const std::string& component);

}  // namespace sluice::model
