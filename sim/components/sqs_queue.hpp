#pragma once
// An SQS queue (aws-facts §2.2): standard (at-least-once, unordered) or FIFO (in order per
// message group, its throughput limits); delay, visibility timeout, retention expiry, the
// dead-letter queue after max_receive_count, and billing by 64 KB chunk.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "engine/call.hpp"
#include "engine/message.hpp"
#include "sluice/model.hpp"

namespace sluice::engine {
class Engine;
}

namespace sluice::components {

class SqsEventSourceMapping;

class SqsQueue {
 public:
  SqsQueue(engine::Engine& e, const ComponentSpec& spec, std::uint32_t index);

  // SendMessage from a source or a function's step: accepted (a new message) or refused; the
  // caller's reply comes after the call's latency.
  void receive(const engine::Caller& caller, const engine::Lineage& lineage);
  // A message handed over by a service (an SNS delivery, a dead-letter move, an on-failure
  // record). False while the queue is down (the sender retries or gives up).
  bool accept(engine::Message m);
  void on_timer(std::uint64_t payload);  // EventKind::sqs_queue_timer
  void attach(SqsEventSourceMapping* consumer);
  void finish_run();

  std::uint64_t messages_in_flight() const;  // counted from the queue's pool of messages
  double cost_usd() const;
  void charge_requests(const engine::Lineage& lineage, double requests);  // ReceiveMessage, DeleteMessage...
  nlohmann::ordered_json summary() const;
  const ComponentSpec& spec() const { return *spec_; }
  const SqsSpec& config() const { return *config_; }

 private:
  engine::Engine* engine_;
  const ComponentSpec* spec_;
  const SqsSpec* config_;
  std::uint32_t index_;
  SqsEventSourceMapping* consumer_ = nullptr;
};

}  // namespace sluice::components
