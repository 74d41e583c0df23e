// An api_gateway component's reader: what the API says about itself (aws-facts §6). Its
// integration, a function, is resolved with the other names (references.cpp, links()).
#include <fmt/format.h>

#include "model/readers.hpp"
#include "model/spec_input.hpp"

namespace sluice {
namespace model {
namespace {

ApiGatewaySpec read_api_gateway(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  MapReader m(ctx, node, path, {"type", "flavor", "throttle", "timeout", "overhead", "target"});
  ApiGatewaySpec g;
  g.flavor = m.choice_or("flavor", {"http", "rest"}, "http") == "rest" ? ApiGatewaySpec::Flavor::rest
                                                                       : ApiGatewaySpec::Flavor::http;
  if (m.has("throttle")) {
    MapReader t(m.ctx(), m.at("throttle"), m.path_of("throttle"), {"rate", "burst"});
    g.throttle_rate_per_s = t.quantity("rate", Quantity::rate);
    t.check_range("rate", *g.throttle_rate_per_s, 0.001, 1e7, show_number);
    g.throttle_burst = static_cast<double>(t.integer("burst", 1, 10'000'000));
  }
  // Integration timeouts (aws-facts §6): HTTP APIs 30 s at most; REST 29 s, raisable since 2024-06-04.
  bool rest = g.flavor == ApiGatewaySpec::Flavor::rest;
  g.timeout_ns = m.quantity_or("timeout", Quantity::duration, rest ? 29e9 : 30e9);
  m.check_range("timeout", g.timeout_ns, 50e6, rest ? 300e9 : 30e9, show_duration);
  g.overhead = m.distribution_or("overhead", Quantity::duration, g.overhead);
  g.target = m.string("target");
  return g;
}

}  // namespace
}  // namespace model

ApiGatewaySpec ApiGatewaySpec::read(const model::SpecInput& in) {
  return model::read_api_gateway(in.ctx, in.node, in.path);
}

std::vector<ComponentLink> ApiGatewaySpec::links() const {
  return {{.kind = link_kind::invoke,
           .name = target,
           .key = "target",
           .types = {"lambda"},
           .what = "an API's integration"}};
}

std::string ApiGatewaySpec::unpolled_warning() const { return ""; }

}  // namespace sluice
