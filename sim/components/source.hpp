#pragma once
// A source of traffic: requests arrive by its arrival process, go to its target, and are
// retried by the client's own policy when they fail. Its metrics are the user's view of the
// system: requests, how they ended, and end-to-end latency.
#include "components/arrival_process.hpp"
#include "engine/call.hpp"
#include "kernel/sampling.hpp"
#include "metrics/latency_histogram.hpp"
#include "sluice/failure.hpp"
#include "sluice/model.hpp"

namespace sluice::engine {
class Runtime;
}

namespace sluice::components {

class Source {
 public:
  Source(engine::Runtime& e, const SourceSpec& spec, std::uint32_t index);

  void start();                           // schedules the first arrival
  void on_arrival();                      // EngineEvent::source_arrival
  void on_retry(kernel::Handle request);  // EngineEvent::source_retry
  void on_reply(kernel::Handle request, sluice::Failure outcome);
  // The call has answered and every message it caused has ended: the request is over, with the
  // first failure among them as its outcome (end-to-end latency runs to this moment).
  void complete(kernel::Handle request);

  const SourceSpec& spec() const { return *spec_; }
  std::uint64_t requests = 0, completed = 0, retries = 0;
  sluice::FailureCounts failed{};
  metrics::LatencyHistogram latency_ms;

 private:
  // Inlined into their callers in source.cpp (a request passes through both once or more).
  [[gnu::always_inline]] inline void send(kernel::Handle request);
  [[gnu::always_inline]] inline void end(kernel::Handle request);  // complete()'s body

  engine::Runtime* engine_;
  const SourceSpec* spec_;
  std::uint32_t index_;
  std::uint32_t target_;
  ArrivalProcess arrivals_;
  kernel::RandomStream payload_rng_, key_rng_, retry_rng_;
  kernel::KeySampler keys_;
  int series_requests_, series_completed_, series_failed_, series_latency_, series_latency_percentiles_;
};

}  // namespace sluice::components
