#pragma once
// Helpers shared by the loader tests: load a model from text and reach a component's spec.
#include <string>
#include <vector>

#include "catch.hpp"
#include "kernel/sampling.hpp"
#include "sluice/model.hpp"

namespace sluice::test {

inline ModelSpec load(const std::string& yaml, std::vector<Override> overrides = {}) {
  return load_model_from_string(yaml, overrides, "<test>");
}

template <class Spec>
const Spec& config(const ModelSpec& m, const std::string& name) {
  const ComponentSpec* c = m.find_component(name);
  REQUIRE(c != nullptr);
  const Spec* s = std::get_if<Spec>(&c->config);
  REQUIRE(s != nullptr);
  return *s;
}

// A lognormal parametrised by its median and p99, as the loader builds it.
inline void check_lognormal(const Distribution& d, double median, double p99) {
  auto p = kernel::lognormal_from_median_p99(median, p99);
  CHECK(d.kind == Distribution::Kind::lognormal);
  CHECK(d.a == Approx(p.mu));
  CHECK(d.b == Approx(p.sigma));
}

}  // namespace sluice::test
