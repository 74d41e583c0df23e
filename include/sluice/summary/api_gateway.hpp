#pragma once
// An API Gateway API's section of summary.json: CloudWatch's AWS/ApiGateway metrics.
#include <array>
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

  static constexpr std::string_view kTableTitle = "api";
  static constexpr std::array<Column, 6> kColumns{
      {{"count", 10}, {"4XX", 8}, {"5XX", 8}, {"lat p50", 9}, {"lat p99", 9}, {"cost", 10}}};
  std::array<Cell, 6> table_row() const {
    return {Cell::count(metrics.count),       Cell::count(metrics.errors_4xx),  Cell::count(metrics.errors_5xx),
            Cell::ms(metrics.latency_ms.p50), Cell::ms(metrics.latency_ms.p99), Cell::usd(cost_usd.total)};
  }
  // Its throttle's 429s.
  Pressure pressure() const { return {0, 0, failed[Failure::throttled], 0, 0}; }
};

}  // namespace sluice::summary
