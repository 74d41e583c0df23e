#pragma once
// The architecture as a Boost.Graph: sources and components are vertices, the ways work moves
// between them (invoke, ...) are typed edges. Checked after every reference has been resolved.
#include "sluice/model.hpp"

namespace sluice::model {

// Warns about components no source reaches; throws ModelError on a recursion loop, naming its
// path (every invocation in the loop calls the next, so the run could never end).
void check_architecture(ModelSpec& model);

}  // namespace sluice::model
