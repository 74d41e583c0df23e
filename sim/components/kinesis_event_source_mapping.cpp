#include "components/kinesis_event_source_mapping.hpp"

#include <algorithm>

#include "components/kinesis_stream.hpp"
#include "engine/runtime.hpp"
#include "metrics/summary_figures.hpp"

namespace sluice::components {

using kernel::SimTime;
using sluice::Failure;
using Kind = metrics::TimeSeriesRecorder::Kind;

namespace {
constexpr double kMaxBatchBytes = 6.0 * 1024 * 1024;  // a batch's payload is at most 6 MB (aws-facts §4)
// A GetRecords call returns at most 10,000 records and 10 MB (aws-facts §4).
constexpr std::uint32_t kMaxCallRecords = 10000;
constexpr double kMaxCallBytes = 10.0 * 1024 * 1024;
}  // namespace

KinesisEventSourceMapping::KinesisEventSourceMapping(engine::Runtime& e, const ComponentSpec& function_spec,
                                                     engine::EventRoute route, std::uint32_t function,
                                                     KinesisStream& queue)
    : engine_(&e),
      trigger_(&*std::get<LambdaSpec>(function_spec.config).trigger),
      route_(route),
      index_(route.target),
      function_(function),
      queue_(&queue),
      factor_(static_cast<std::uint32_t>(std::max(1, trigger_->parallelization_factor))) {
  std::uint32_t shards = queue.shards();
  lanes_.resize(static_cast<std::size_t>(shards) * factor_);
  for (std::uint32_t i = 0; i < lanes_.size(); ++i) lanes_[i].shard = i / factor_;
  readers_.resize(shards);
  // Each shard's poller reads at the stream's polling rate, at its own phase.
  poll_interval_ns_ = queue.poll_interval_ns();
  kernel::RandomStream rng = e.stream(function_spec.name, "poll");
  for (std::uint32_t s = 0; s < shards; ++s)
    poll_phase_ns_.push_back(static_cast<std::int64_t>(rng.uniform01() * static_cast<double>(poll_interval_ns_)));
  if (!trigger_->on_failure.empty()) on_failure_ = e.component_index(trigger_->on_failure);
  auto& ts = e.series();
  series_age_max_ = ts.add_series(function_spec.name, "IteratorAge_max_ms", Kind::max);
  series_age_mean_ = ts.add_mean_series(function_spec.name, "IteratorAge_mean_ms");
  concurrency = metrics::Gauge(nullptr, 0, e.warmup());
  queue.attach(this);
}

void KinesisEventSourceMapping::start() {}

// The next time the shard's poller reads: at or (strictly) after now.
SimTime KinesisEventSourceMapping::next_poll(std::uint32_t shard, bool strictly_after) const {
  std::int64_t now = engine_->now().ns, phase = poll_phase_ns_[shard];
  if (now < phase) return SimTime{phase};
  std::int64_t t = phase + (now - phase) / poll_interval_ns_ * poll_interval_ns_;
  if (t < now || (strictly_after && t == now)) t += poll_interval_ns_;
  return SimTime{t};
}

// A lane has at most one live wake-up: the earliest asked for wins, older timers go stale.
void KinesisEventSourceMapping::wake(std::uint32_t lane, SimTime at) {
  Lane& l = lanes_[lane];
  if (l.wake_pending && l.wake_at <= at) return;
  l.wake_pending = true;
  l.wake_at = at;
  ++l.token;
  engine_->schedule(at, route_, Event::timer, (std::uint64_t{l.token} << 32) | lane);
}

void KinesisEventSourceMapping::on_timer(std::uint64_t payload) {
  auto lane = static_cast<std::uint32_t>(payload & 0xffffffffu);
  auto token = static_cast<std::uint32_t>(payload >> 32);
  // Payloads past the lanes are the shards' GetRecords calls.
  if (lane >= lanes_.size()) {
    auto shard = static_cast<std::uint32_t>(lane - lanes_.size());
    if (readers_[shard].token == token) on_shard_timer(shard);
    return;
  }
  Lane& l = lanes_[lane];
  if (!l.wake_pending || l.token != token) return;
  l.wake_pending = false;
  service(lane);
}

// A record written to the shard. A lane that is idle reads it at its shard's next poll; a lane
// with a batch in flight reads it when that batch is over.
void KinesisEventSourceMapping::deliver(const engine::Message& m, std::uint32_t shard) {
  // The lane within the shard: a second hash of the key, so one key always maps to one lane.
  std::uint32_t slot = factor_ > 1 ? static_cast<std::uint32_t>((kernel::key_hash(m.lineage.key) >> 32) % factor_) : 0;
  std::uint32_t lane = shard * factor_ + slot;
  Lane& l = lanes_[lane];
  l.records.push_back(m);
  readers_[shard].unread.push_back(static_cast<std::uint8_t>(slot));
  ++live_;
  if (l.busy) return;
  if (l.window_open) {  // gathering a batch: a full one goes at once
    if (l.records.size() >= static_cast<std::size_t>(trigger_->batch_size)) wake(lane, engine_->now());
    return;
  }
  if (!l.wake_pending) wake(lane, next_poll(l.shard, false));
}

// The lane is polled: drop what has expired, then start its next batch, unless a batching
// window is still gathering one.
void KinesisEventSourceMapping::service(std::uint32_t lane) {
  auto& e = *engine_;
  Lane& l = lanes_[lane];
  if (l.busy) return;
  sweep(lane);
  if (l.records.empty()) {
    l.window_open = false;
    return;
  }
  // Records written since the poller's last call: read them now if the shard allows a call; a
  // lane with nothing read waits for the call (a retry's records have been read already).
  if (l.records.size() > l.fetched) {
    bool read = !readers_[l.shard].call_pending && get_records(l.shard);
    if (!read && l.fetched == 0) {
      l.awaiting_read = true;
      return;
    }
  }
  bool retrying = !l.segments.empty();
  std::uint32_t target = retrying ? l.segments.back() : static_cast<std::uint32_t>(trigger_->batch_size);
  std::uint32_t n = 0;
  double bytes = 0;
  while (n < target && n < l.fetched) {
    double b = l.records[n].lineage.payload_bytes;
    if (n > 0 && bytes + b > kMaxBatchBytes) break;
    bytes += b;
    ++n;
  }
  bool full = n == target || n < l.fetched;
  // Batching window (MaximumBatchingWindowInSeconds): a fresh batch waits for batch_size records
  // (or 6 MB) or the window, whichever comes first.
  if (!retrying && !full && trigger_->batching_window_ns > 0) {
    if (!l.window_open) {
      l.window_open = true;
      l.window_ends = e.now() + SimTime::from_ns_rounded(trigger_->batching_window_ns);
    }
    if (e.now() < l.window_ends) return wake(lane, l.window_ends);
  }
  l.window_open = false;
  start_batch(lane, n, bytes);
}

void KinesisEventSourceMapping::start_batch(std::uint32_t lane, std::uint32_t n, double bytes) {
  auto& e = *engine_;
  Lane& l = lanes_[lane];
  l.busy = true;
  l.in_batch = n;
  kernel::Handle h = batches_.allocate();
  batches_[h] = Batch{lane, n};
  if (e.measuring()) {
    ++batches;
    batch_records_total += n;
  }
  concurrency.add(e.now(), 1);
  engine::Lineage lineage = l.records.front().lineage;
  lineage.payload_bytes = bytes;
  // The function may answer at once (a throttle): nothing of the lane is touched after this.
  e.call(function_, engine::Caller{engine::Caller::Kind::kinesis_batch, route_.owner(), index_, h}, lineage);
}

// One GetRecords call on the shard, if its read limits allow one now: it reads the records not
// read yet, oldest first, up to 10,000 and 10 MB (billed as data read on an on-demand stream).
// Otherwise the poller calls again when the shard allows, and the lanes waiting for it go on then.
bool KinesisEventSourceMapping::get_records(std::uint32_t shard) {
  auto& e = *engine_;
  ShardReader& r = readers_[shard];
  if (r.unread.empty()) return true;
  SimTime allowed = queue_->get_records_allowed(shard);
  if (allowed > e.now()) {
    r.call_pending = true;
    ++r.token;
    e.schedule(allowed, route_, Event::timer, (std::uint64_t{r.token} << 32) | (lanes_.size() + shard));
    return false;
  }
  std::uint32_t records = 0;
  double bytes = 0;
  while (!r.unread.empty() && records < kMaxCallRecords) {
    Lane& l = lanes_[shard * factor_ + r.unread.front()];
    if (l.gone_unread > 0) {  // expired before it was read: nothing to read
      --l.gone_unread;
      r.unread.pop_front();
      continue;
    }
    const engine::Lineage& lineage = l.records[l.fetched].lineage;
    if (records > 0 && bytes + lineage.payload_bytes > kMaxCallBytes) break;
    bytes += lineage.payload_bytes;
    ++records;
    queue_->charge_read(lineage);
    ++l.fetched;
    r.unread.pop_front();
  }
  queue_->get_records(shard, records, bytes);
  return true;
}

void KinesisEventSourceMapping::on_shard_timer(std::uint32_t shard) {
  readers_[shard].call_pending = false;
  if (!get_records(shard)) return;
  for (std::uint32_t lane = shard * factor_; lane < (shard + 1) * factor_; ++lane) {
    if (!lanes_[lane].awaiting_read) continue;
    lanes_[lane].awaiting_read = false;
    service(lane);
  }
}

engine::Message& KinesisEventSourceMapping::record(kernel::Handle batch, std::uint32_t i) {
  return lanes_[batches_[batch].lane].records[i];
}

std::uint32_t KinesisEventSourceMapping::records(kernel::Handle batch) const { return batches_[batch].n; }

// Retries: a batch the service refused (a throttle, or a 5xx while the function is down: the
// batch never reached the function) is retried at the shard's next poll until its records expire
// or pass max_record_age, without counting toward max_retry_attempts and without a bisection
// (aws-facts §1.2; §4 S-L20: retry attempts "don't apply to service errors or throttles where the
// batch didn't reach the function"). Every invocation whose handler failed counts, a handler
// failed by a call it made included; the splits of bisect_batch_on_error do not (aws-facts §4). A
// failure after some records (a crash part-way, or a partial batch response) retries from the
// checkpoint with report_batch_item_failures, and the whole batch otherwise; the records the
// function had already processed are processed again (the function counts the duplicates).
void KinesisEventSourceMapping::on_batch_reply(kernel::Handle h, Failure outcome, std::uint32_t records_done,
                                               engine::Handler handler) {
  auto& e = *engine_;
  Batch b = batches_[h];
  batches_.release(h);
  std::uint32_t lane = b.lane, n = b.n;
  Lane& l = lanes_[lane];
  l.busy = false;
  l.in_batch = 0;
  concurrency.add(e.now(), -1);
  std::uint32_t done = std::min(records_done, n);
  bool refused = handler == engine::Handler::refused;
  if (!refused) {
    // IteratorAge: emitted when a batch finishes, the age of its last record (aws-facts §4).
    double age_ms = (e.now() - l.records[n - 1].created).to_ms();
    if (e.measuring()) {
      iterator_age_sum_ms += age_ms;
      iterator_age_max_ms = std::max(iterator_age_max_ms, age_ms);
      ++iterator_age_count;
    }
    e.series().record_max(series_age_max_, e.now(), age_ms);
    e.series().add_sample(series_age_mean_, e.now(), age_ms);
  }
  if (outcome == Failure::none && done == n) {
    for (std::uint32_t i = 0; i < n; ++i) pop_front(l, Failure::none);
    l.retries = 0;
    if (!l.records.empty()) wake(lane, e.now());  // a backlog: the next batch right away
    return;
  }
  if (refused) {
    if (outcome == Failure::throttled && e.measuring()) ++throttled_batches;
    return wake(lane, next_poll(l.shard, true));
  }
  if (outcome == Failure::none) {  // a partial batch response: the checkpoint moves to the first failure
    for (std::uint32_t i = 0; i < done; ++i) pop_front(l, Failure::none);
    return failed_attempt(lane, n - done, Failure::function_error);
  }
  if (trigger_->bisect_batch_on_error && n > 1) {
    // Split in two and retry the first half, then the second; splits are not retries.
    if (e.measuring()) ++bisections;
    if (l.segments.empty() || l.segments.back() != n) {
      if (!l.segments.empty()) l.segments.back() -= n;
      l.segments.push_back(n);
    }
    l.segments.back() = n - (n + 1) / 2;
    l.segments.push_back((n + 1) / 2);
    return wake(lane, next_poll(l.shard, true));
  }
  failed_attempt(lane, n, outcome);
}

// The first `remaining` records of the lane failed: retried at the shard's next poll as the same
// batch, or given up once the retries are spent.
void KinesisEventSourceMapping::failed_attempt(std::uint32_t lane, std::uint32_t remaining, Failure outcome) {
  auto& e = *engine_;
  Lane& l = lanes_[lane];
  if (remaining == 0) return wake(lane, e.now());
  // The retried batch is exactly these records (a segment of that size at the head).
  if (l.segments.empty() || l.segments.back() != remaining) {
    if (!l.segments.empty()) l.segments.back() -= remaining;
    l.segments.push_back(remaining);
  }
  if (trigger_->max_retry_attempts < 0 || l.retries < static_cast<std::uint32_t>(trigger_->max_retry_attempts)) {
    ++l.retries;
    if (e.measuring()) ++retries;
    return wake(lane, next_poll(l.shard, true));
  }
  give_up(lane, remaining, outcome);
}

// Records given up after max_retry_attempts. With an on-failure destination they are
// dead-lettered: the destination receives one record describing the batch (as Lambda sends the
// batch's details, not its data). Without one they are lost with the reason of the last failed
// invocation (function_error, timeout, out_of_memory, dependency_failed; function_error for a
// record a partial batch response reported), as the asynchronous queue does: the reason says why
// the data was lost, which a generic "expired" would hide.
void KinesisEventSourceMapping::give_up(std::uint32_t lane, std::uint32_t n, Failure reason) {
  auto& e = *engine_;
  Lane& l = lanes_[lane];
  engine::Lineage first = l.records.front().lineage;
  bool destination = on_failure_ >= 0;
  for (std::uint32_t i = 0; i < n && !l.records.empty(); ++i) {
    if (e.measuring()) ++records_given_up;
    pop_front(l, destination ? Failure::dead_lettered : reason);
  }
  l.retries = 0;
  if (destination) send_to_destination(first);
  if (!l.records.empty()) wake(lane, e.now());
}

// A new unit of work for the destination: it does not hold the source request open.
void KinesisEventSourceMapping::send_to_destination(const engine::Lineage& first) {
  auto& e = *engine_;
  engine::Lineage record = first;
  record.request = kernel::Handle{};
  auto destination = static_cast<std::uint32_t>(on_failure_);
  engine::Message copy = e.new_message(record, destination);
  if (e.hand_over(destination, copy)) {
    if (e.measuring()) ++destination_deliveries;
  } else {
    e.end_message(copy, Failure::dependency_failed);
  }
}

// Before each attempt: records past the stream's retention are gone (retention_expired); records
// older than max_record_age are given up (expired; with an on-failure destination, Lambda sends it
// the details of the discarded records). Records are in arrival order, so only the head is looked
// at. Sweeping when the lane is polled (at least once a second while it has records, or when its
// batch in flight ends) is within a second of the exact expiry for idle lanes.
void KinesisEventSourceMapping::sweep(std::uint32_t lane) {
  auto& e = *engine_;
  Lane& l = lanes_[lane];
  const double retention = queue_->config().retention_ns, max_age = trigger_->max_record_age_ns;
  bool aged = false;
  engine::Lineage first_aged;
  std::size_t segments = l.segments.size();
  while (!l.records.empty()) {
    auto age = static_cast<double>((e.now() - l.records.front().created).ns);
    Failure why;
    if (age >= retention) why = Failure::retention_expired;
    else if (max_age >= 0 && age > max_age) why = Failure::expired;
    else break;
    if (why == Failure::expired) {
      if (!aged) first_aged = l.records.front().lineage;
      aged = true;
      if (e.measuring()) ++records_given_up;
    }
    pop_front(l, why);
  }
  if (l.segments.size() < segments) l.retries = 0;  // the batch being retried has expired entirely
  if (aged && on_failure_ >= 0) send_to_destination(first_aged);
}

void KinesisEventSourceMapping::pop_front(Lane& l, Failure outcome) {
  auto& e = *engine_;
  engine::Message m = l.records.front();
  l.records.pop_front();
  --live_;
  if (!l.segments.empty() && --l.segments.back() == 0) l.segments.pop_back();
  if (l.fetched > 0) --l.fetched;
  else ++l.gone_unread;  // its place in the shard's queue of unread records is skipped
  if (outcome != Failure::none && outcome != Failure::retention_expired && e.measuring())
    ++failed[static_cast<std::size_t>(outcome)];
  e.end_message(m, outcome);
  queue_->record_ended(outcome);
}

void KinesisEventSourceMapping::finish_run() { concurrency.finish(engine_->end()); }

summary::KinesisMapping KinesisEventSourceMapping::summary() const {
  summary::KinesisMapping s;
  s.lanes = lanes_.size();
  s.batches = batches;
  s.batch_size_mean = batches ? static_cast<double>(batch_records_total) / static_cast<double>(batches) : 0.0;
  s.iterator_age_ms = {iterator_age_count ? iterator_age_sum_ms / static_cast<double>(iterator_age_count) : 0.0,
                       iterator_age_max_ms};
  s.retries = retries;
  s.throttled_batches = throttled_batches;
  s.bisections = bisections;
  s.records_given_up = records_given_up;
  s.destination_deliveries = destination_deliveries;
  s.failed = metrics::failed(failed, {Failure::expired, Failure::dead_lettered, Failure::function_error,
                                      Failure::timeout, Failure::out_of_memory, Failure::dependency_failed});
  s.concurrency = metrics::mean_max(concurrency);
  return s;
}

}  // namespace sluice::components
