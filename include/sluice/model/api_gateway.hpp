#pragma once
// An API Gateway API (aws-facts §6): the model's spec of an `api_gateway` component.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/distribution.hpp"
#include "sluice/model/links.hpp"

namespace sluice {

struct ApiGatewaySpec {
  static constexpr std::string_view kType = "api_gateway";    // `type:` in the model
  static constexpr std::string_view kDotShape = "component";  // in `sluice graph`
  // What the loader and `sluice graph` need to know (sluice/model/links.hpp, ServiceSpec).
  static constexpr LinkKind kFromSource = link_kind::invoke;
  static constexpr LinkKind kFromAsyncSource = link_kind::none;
  static constexpr std::string_view kSourceHint = "";
  // No step calls an API: a function calls another with an invoke step.
  static constexpr std::string_view kStepHint = "";
  static constexpr bool kFunction = false;
  static constexpr bool kStream = false;
  enum class Flavor { http, rest };
  Flavor flavor = Flavor::http;
  // A stage-level throttle of this API, if set; the account's throttle applies to every API.
  std::optional<double> throttle_rate_per_s;
  double throttle_burst = 0;
  double timeout_ns = 29e9;
  Distribution overhead = Distribution::constant(0);
  std::string target;
  static ApiGatewaySpec read(const model::SpecInput& in);  // sim/model/api_gateway_reader.cpp
  std::vector<ComponentLink> links() const;
  std::string unpolled_warning() const;
  bool operator==(const ApiGatewaySpec&) const = default;
};

}  // namespace sluice
