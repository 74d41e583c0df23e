#pragma once
// Who is waiting for a call, and which request (lineage) the work belongs to.
#include <cstdint>

#include "engine/loop_counts.hpp"
#include "kernel/pool.hpp"
#include "kernel/sim_time.hpp"
#include "sluice/failure.hpp"

namespace sluice::engine {

struct Caller {
  enum class Kind : std::uint8_t {
    call,           // a component's own call: a source's request, an API's integration, a function's step
    async_event,    // an event of a function's asynchronous-invocation queue
    sqs_batch,      // a batch of a function's SQS event source mapping
    kinesis_batch,  // a batch of a function's Kinesis event source mapping
    none,           // nobody waits (a message handed over by a service)
  };
  Kind kind = Kind::none;
  // Who hears the answer: the engine (owner 0: a source's request) or a component of a service
  // (its EventRoute's owner), and its index among them (a part's answer goes to its host).
  std::uint8_t owner = 0;
  std::uint32_t component = 0;
  kernel::Handle handle;  // the request, call, invocation, event or batch waiting for the reply
};

// How a function's invocation was answered, where a retry policy depends on it (aws-facts §1.4;
// §1.2 and §4 S-L20). `refused`: the Lambda service turned the invocation away before its handler
// ran (a throttle, or a 5xx while the function is down); the asynchronous queue retries it with
// backoff until the event's maximum age, a stream mapping until its records expire, neither
// counting it as a failed attempt. `ran`: the handler ran; if it failed (an error of its own, a
// timeout, out of memory, or a call it made that failed) that is a function error, retried
// max_retries or max_retry_attempts times.
enum class Handler : std::uint8_t { ran, refused };

// The source request a unit of work descends from: costs and end-to-end latency follow it.
// Carried by value, so work that outlives its request stays safe (its handle goes stale).
struct Lineage {
  std::uint32_t source = 0;
  std::uint32_t key = 0;  // the payload's partition key / message group
  kernel::Handle request;
  double payload_bytes = 0;
  LoopCounts loops;  // invocations of the functions of the loop the chain is on (Lambda's loop detection)
};

// A source request: one client call, retried by the client's policy, and complete once its
// call has answered and every message it caused downstream has ended.
struct Request {
  std::uint32_t source = 0;
  std::uint32_t attempt = 1;
  std::uint32_t outstanding = 0;  // messages descending from it that have not ended yet
  kernel::SimTime first_arrival;
  double payload_bytes = 0;
  std::uint32_t key = 0;
  bool measured = false;            // arrived after the warm-up: counts in the source's metrics
  bool answered = false;            // its call has ended (after the client's last retry)
  Failure outcome = Failure::none;  // the call's, or the first failure of a descendant
};

}  // namespace sluice::engine
