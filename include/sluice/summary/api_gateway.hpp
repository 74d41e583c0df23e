#pragma once
// An API Gateway API's section of summary.json: CloudWatch's AWS/ApiGateway metrics.
#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/summary/figures.hpp"

namespace sluice::summary {

struct ApiGatewayMetrics {
  std::uint64_t count = 0, errors_4xx = 0, errors_5xx = 0;
  Latency latency_ms, integration_latency_ms;
  template <class V>
  void fields(V& v) const {
    v("Count", count);
    v("4XXError", errors_4xx);
    v("5XXError", errors_5xx);
    v("Latency_ms", latency_ms);
    v("IntegrationLatency_ms", integration_latency_ms);
  }
};

struct ApiGateway {
  std::string flavor;  // rest or http
  ApiGatewayMetrics metrics;
  Failed failed;
  Cost cost_usd;
  template <class V>
  void fields(V& v) const {
    v("type", std::string_view("api_gateway"));
    v("flavor", flavor);
    v("metrics", metrics);
    v("failed", failed);
    v("cost_usd", cost_usd);
  }
};

}  // namespace sluice::summary
