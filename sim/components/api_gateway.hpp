#pragma once
// API Gateway in front of a Lambda function (aws-facts §6): a token-bucket throttle answering
// 429, a payload limit, the integration timeout answering 504 while the function keeps running
// (and billing), the gateway's own overhead, and per-request pricing (HTTP APIs metered in
// 512 KB increments).
#include <optional>

#include "components/token_bucket.hpp"
#include "engine/call.hpp"
#include "engine/event_route.hpp"
#include "kernel/random_stream.hpp"
#include "metrics/latency_histogram.hpp"
#include "sluice/failure.hpp"
#include "sluice/model.hpp"
#include "sluice/summary/api_gateway.hpp"

namespace sluice::engine {
class Runtime;
}

namespace sluice::components {

class ApiGateway {
 public:
  static constexpr std::string_view kType = "api_gateway";  // the model's type: engine/services.hpp
  ApiGateway(engine::Runtime& e, const ComponentSpec& spec, engine::EventRoute route);

  void receive(const engine::Caller& caller, const engine::Lineage& lineage);
  // The function's answer to the integration call.
  void on_reply(const engine::Caller& caller, sluice::Failure outcome, std::uint32_t, engine::Handler) {
    on_integration_reply(caller.handle, outcome);
  }
  enum class Event : std::uint8_t {
    respond,  // payload: the call; the response leaves the gateway
    timeout,  // payload: the call; the integration timeout expires
  };
  void on_event(Event event, std::uint64_t payload);

  const ComponentSpec& spec() const { return *spec_; }
  const ApiGatewaySpec& config() const { return *config_; }
  summary::ApiGateway summary() const;
  // CloudWatch names (AWS/ApiGateway).
  std::uint64_t count = 0, errors_4xx = 0, errors_5xx = 0;
  sluice::FailureCounts failed{};
  metrics::LatencyHistogram latency_ms, integration_latency_ms;
  double cost_requests_usd = 0;

 private:
  struct Call {
    engine::Caller caller;
    kernel::SimTime received, forwarded;
    sluice::Failure outcome = sluice::Failure::none;
    bool answered = false;  // the client has its response (after a timeout, the function may still run)
  };
  void on_integration_reply(kernel::Handle call, sluice::Failure outcome);
  void on_respond(kernel::Handle call);
  void on_timeout(kernel::Handle call);
  void answer_client(const Call& c, sluice::Failure outcome);
  void count_status(sluice::Failure outcome);

  engine::Runtime* engine_;
  const ComponentSpec* spec_;
  const ApiGatewaySpec* config_;
  engine::EventRoute route_;
  std::uint32_t index_, target_;
  std::optional<TokenBucket> stage_throttle_;
  kernel::RandomStream overhead_rng_;
  kernel::Pool<Call> calls_;
  double price_per_request_;
  int series_count_, series_4xx_, series_5xx_, series_latency_;
};

}  // namespace sluice::components
