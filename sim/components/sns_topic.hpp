#pragma once
// An SNS standard topic (aws-facts §3): Publish (the account's quota, shared by every topic, and
// its price by 64 KB chunk), one
// delivery per subscriber whose filter the message passes, delivered after the delivery latency
// to an SQS queue or a Lambda function's asynchronous queue, and retried by the AWS-managed
// delivery policy while the subscriber is down.
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/call.hpp"
#include "engine/event_route.hpp"
#include "engine/message.hpp"
#include "kernel/pool.hpp"
#include "kernel/random_stream.hpp"
#include "sluice/model.hpp"
#include "sluice/summary/sns.hpp"

namespace sluice::engine {
class Runtime;
}

namespace sluice::components {

class SnsTopic {
 public:
  static constexpr std::string_view kType = "sns";  // the model's type: engine/services.hpp
  SnsTopic(engine::Runtime& e, const ComponentSpec& spec, engine::EventRoute route);

  void receive(const engine::Caller& caller, const engine::Lineage& lineage);  // Publish
  bool accept(const engine::Message& m);        // a message handed over (an on-failure record)
  enum class Event : std::uint8_t { deliver };  // payload: delivery; it reaches (or retries) its subscriber
  void on_event(Event, std::uint64_t payload) { on_deliver(kernel::Handle::unpack(payload)); }
  void on_deliver(kernel::Handle delivery);

  std::uint64_t messages_in_flight() const { return deliveries_.live(); }
  double cost_usd() const { return cost_publish_usd; }
  summary::Sns summary() const;
  const ComponentSpec& spec() const { return *spec_; }

  // CloudWatch names (AWS/SNS), counted after the warm-up.
  std::uint64_t published = 0, deliveries = 0, delivery_failures = 0, filtered_out = 0, throttled = 0;
  double cost_publish_usd = 0;

 private:
  struct Delivery {
    engine::Message message;
    std::uint32_t subscriber = 0;
    std::uint32_t attempt = 0;
  };
  void fan_out(const engine::Lineage& lineage, bool poison, bool attached);
  double retry_delay_ns(std::uint32_t attempt);

  engine::Runtime* engine_;
  const ComponentSpec* spec_;
  const SnsSpec* config_;
  engine::EventRoute route_;
  std::uint32_t index_, component_;
  std::vector<std::uint32_t> targets_;  // per subscriber: the component index
  kernel::Pool<Delivery> deliveries_;
  kernel::RandomStream rng_latency_, rng_filter_, rng_retry_;
  double price_publish_;
  int series_published_, series_delivered_;
};

}  // namespace sluice::components
