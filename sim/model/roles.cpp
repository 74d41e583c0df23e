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
  for (const auto& c : m.components) {
    if (const auto* q = std::get_if<SqsSpec>(&c.config); q && !q->dead_letter_target.empty())
      mark(r.receives_failures, q->dead_letter_target);
    if (const auto* t = std::get_if<SnsSpec>(&c.config))
      for (const auto& sub : t->subscribers) mark(r.invoked_asynchronously, sub.target);
    if (const auto* f = std::get_if<LambdaSpec>(&c.config)) {
      if (!f->async.on_failure.empty()) {
        mark(r.receives_failures, f->async.on_failure);
        mark(r.invoked_asynchronously, f->async.on_failure);
      }
      if (f->trigger && !f->trigger->on_failure.empty()) mark(r.receives_failures, f->trigger->on_failure);
      for (const auto& step : f->steps)
        if (step.kind == Step::Kind::invoke_async) mark(r.invoked_asynchronously, step.target);
    }
  }
  return r;
}

}  // namespace sluice::model
