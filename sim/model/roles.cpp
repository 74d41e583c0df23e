#include "model/roles.hpp"

namespace sluice::model {

bool receives_failures(const ModelSpec& m, const std::string& name) {
  for (const auto& c : m.components) {
    if (const auto* q = std::get_if<SqsSpec>(&c.config); q && q->dead_letter_target == name) return true;
    if (const auto* f = std::get_if<LambdaSpec>(&c.config)) {
      if (f->async.on_failure == name) return true;
      if (f->trigger && f->trigger->on_failure == name) return true;
    }
  }
  return false;
}

bool invoked_asynchronously(const ModelSpec& m, const std::string& name) {
  for (const auto& s : m.sources)
    if (s.async && s.target == name) return true;
  for (const auto& c : m.components) {
    if (const auto* t = std::get_if<SnsSpec>(&c.config))
      for (const auto& sub : t->subscribers)
        if (sub.target == name) return true;
    if (const auto* f = std::get_if<LambdaSpec>(&c.config)) {
      if (f->async.on_failure == name) return true;
      for (const auto& step : f->steps)
        if (step.kind == Step::Kind::invoke_async && step.target == name) return true;
    }
  }
  return false;
}

}  // namespace sluice::model
