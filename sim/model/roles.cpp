#include "model/roles.hpp"

namespace sluice::model {

Roles component_roles(const ModelSpec& m) {
  Roles r;
  r.receives_failures.assign(m.components.size(), false);
  r.invoked_asynchronously.assign(m.components.size(), false);
  auto mark = [&](std::vector<bool>& role, const std::string& name) {
    if (const ComponentSpec* c = m.find_component(name)) role[static_cast<std::size_t>(c - m.components.data())] = true;
  };
  for (const auto& s : m.sources)
    if (s.async) mark(r.invoked_asynchronously, s.target);
  // From the names each component uses (its spec's links()): where failures go, and what is
  // handed work without the caller waiting (a function so reached runs as an asynchronous invocation).
  for (const auto& c : m.components)
    for (const auto& link : std::visit([](const auto& spec) { return spec.links(); }, c.config)) {
      if (link.inbound) continue;  // a trigger's poll: the function polls, nothing hands it work
      if (link.kind == link_kind::dead_letter || link.kind == link_kind::on_failure)
        mark(r.receives_failures, link.name);
      if (!link.kind.sync) mark(r.invoked_asynchronously, link.name);
    }
  return r;
}

}  // namespace sluice::model
