#pragma once
// Everything that can happen in a run; the engine dispatches on it to the owning component.
#include <cstdint>

namespace sluice::engine {

enum class EventKind : std::uint32_t {
  source_arrival,         // target: source; a new request arrives
  source_retry,           // target: source; payload: request; the client tries again
  api_respond,            // target: api; payload: API call; the response leaves the gateway
  api_timeout,            // target: api; payload: API call; the integration timeout expires
  lambda_init_done,       // target: function; payload: invocation; the cold start is over
  lambda_steps_done,      // target: function; payload: invocation; a run of cpu/io steps is over
  lambda_timeout,         // target: function; payload: invocation; the function's timeout expires
  environment_expire,     // target: function; payload: environment and generation; idle too long
  deferred_reply,         // payload: a pending reply held by the engine; a service's API call answers
  async_event_ready,      // target: function; payload: event; an asynchronous event is (re)tried
  sqs_queue_timer,        // target: queue; payload: the queue's own (delay over, retention, visibility)
  sqs_mapping_timer,      // target: SQS event source mapping; payload: the mapping's own
  kinesis_stream_timer,   // target: stream; payload: the stream's own (retention, producer retries)
  kinesis_mapping_timer,  // target: Kinesis event source mapping; payload: the mapping's own
  sns_deliver,            // target: topic; payload: delivery; a delivery reaches (or retries) its subscriber
  dynamodb_timer,         // target: table; payload: the table's own (SDK retries, auto scaling, capacity)
  fault_start,            // target: fault; the fault begins
  fault_end,              // target: fault; the fault's window is over
};

}  // namespace sluice::engine
