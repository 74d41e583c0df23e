#include "components/sqs_event_source_mapping.hpp"

#include <algorithm>
#include <cmath>

#include "engine/runtime.hpp"
#include "metrics/summary_figures.hpp"

namespace sluice::components {

using kernel::Handle;
using kernel::SimTime;
using sluice::Failure;
using Kind = metrics::TimeSeriesRecorder::Kind;

namespace {
constexpr double kInitialPollers = 5;  // 5 concurrent batches when messages appear (aws-facts §2.1)
// +300 concurrent invokes per minute since 2023-11 (aws-facts §2.1), taken as continuous.
constexpr double kGrowthPerSecond = 300.0 / 60;
// The ceiling of concurrent batches: the stored AWS docs disagree (1,000 batches in one copy,
// 1,250 concurrent invokes in the newer announcement and blog, aws-facts §2.1); 1,250 here.
constexpr double kMaxConcurrentBatches = 1250;
constexpr SimTime kScaleDownAfter = SimTime::seconds(60);  // back to 5 after a minute without backlog
constexpr SimTime kThrottleBackoff = SimTime::seconds(1);  // pause after a throttled batch
constexpr double kMaxBatchBytes = 6.0 * 1024 * 1024;       // the synchronous payload limit (aws-facts §2.1)
}  // namespace

SqsEventSourceMapping::SqsEventSourceMapping(engine::Runtime& e, const ComponentSpec& function_spec,
                                             engine::EventRoute route, std::uint32_t function, SqsQueue& queue)
    : engine_(&e),
      trigger_(&*std::get<LambdaSpec>(function_spec.config).trigger),
      route_(route),
      index_(route.target),
      function_(function),
      queue_(&queue),
      visibility_(SimTime::from_ns_rounded(queue.config().visibility_timeout_ns)),
      window_(SimTime::from_ns_rounded(trigger_->batching_window_ns)),
      skip_failed_records_(trigger_->report_batch_item_failures && !queue.config().fifo) {
  max_allowed_ = std::min<double>(trigger_->max_concurrency.value_or(static_cast<int>(kMaxConcurrentBatches)),
                                  kMaxConcurrentBatches);
  min_pollers_ = std::min(kInitialPollers, max_allowed_);
  allowed_ = min_pollers_;
  max_pollers_allowed = static_cast<int>(allowed_);
  auto& ts = e.series();
  series_concurrency_ = ts.add_series(function_spec.name, "SqsConcurrentBatches", Kind::time_mean);
  series_batches_ = ts.add_series(function_spec.name, "SqsBatches", Kind::sum);
  concurrency = metrics::Gauge(&ts, series_concurrency_, e.warmup());
  queue.attach(this);
}

void SqsEventSourceMapping::start() {
  if (queue_->receivable()) on_visible();
}

// A message to receive: taken at once by a free poller (long polling adds no delay), unless the
// batching window is still gathering; with every poller busy it is a backlog, and they scale up.
void SqsEventSourceMapping::on_visible() {
  auto& e = *engine_;
  if (window_.ns > 0 && !window_open_) {
    window_open_ = true;
    window_start_ = e.now();
  }
  bool free = static_cast<double>(in_flight_) < std::floor(allowed_) && e.now() >= paused_until_;
  if (!free) return update_scaling();
  if (window_.ns > 0 && queue_->visible() < static_cast<std::uint64_t>(trigger_->batch_size) &&
      e.now() < window_start_ + window_) {
    if (!window_armed_) {
      window_armed_ = true;
      e.schedule(window_start_ + window_, route_, Event::timer, kWindow);
    }
    return;
  }
  schedule_poll(e.now());
}

void SqsEventSourceMapping::schedule_poll(SimTime at) {
  if (poll_pending_ && poll_at_ <= at) return;
  poll_pending_ = true;
  poll_at_ = at;
  engine_->schedule(at, route_, Event::timer, kPoll);
}

void SqsEventSourceMapping::on_timer(std::uint64_t payload) {
  auto& e = *engine_;
  switch (payload) {
    case kPoll:
      if (e.now() >= poll_at_) poll_pending_ = false;
      return poll();
    case kScale:
      scale_armed_ = false;
      return poll();
    case kWindow:
      window_armed_ = false;
      return poll();
    default:
      on_visibility_timeout(Handle::unpack(payload));
  }
}

// The pollers receive batches while one is free and there is something to receive.
void SqsEventSourceMapping::poll() {
  auto& e = *engine_;
  update_scaling();
  if (e.now() < paused_until_) {
    if (queue_->receivable()) schedule_poll(paused_until_);
    return;
  }
  while (static_cast<double>(in_flight_) < std::floor(allowed_) && queue_->receivable()) {
    if (window_.ns > 0 && queue_->visible() < static_cast<std::uint64_t>(trigger_->batch_size)) {
      // Batching window: a partial batch only once the window (from its first message) is over.
      if (!window_open_) {
        window_open_ = true;
        window_start_ = e.now();
      }
      if (e.now() < window_start_ + window_) {
        if (!window_armed_) {
          window_armed_ = true;
          e.schedule(window_start_ + window_, route_, Event::timer, kWindow);
        }
        break;
      }
    }
    if (!dispatch_one()) break;
    if (!queue_->receivable()) window_open_ = false;  // the next message opens a new window
    if (e.now() < paused_until_) break;               // the batch was throttled at once
  }
  update_scaling();
}

// One ReceiveMessage: a batch of up to batch_size messages and 6 MB, invoked synchronously.
bool SqsEventSourceMapping::dispatch_one() {
  auto& e = *engine_;
  Handle h = batches_.allocate();
  if (receipts_.size() < batches_.capacity()) receipts_.resize(batches_.capacity());
  std::vector<SqsQueue::Receipt>& receipts = receipts_[h.slot];
  receipts.clear();
  double bytes = queue_->receive_batch(receipts, static_cast<std::uint32_t>(trigger_->batch_size), kMaxBatchBytes);
  if (receipts.empty()) {  // everything at the head had expired
    batches_.release(h);
    return false;
  }
  batches_[h].received = e.now();
  ++in_flight_;
  concurrency.set(e.now(), in_flight_);
  auto n = static_cast<double>(receipts.size());
  if (e.measuring()) {
    ++batches;
    batch_records += receipts.size();
  }
  e.series().add(series_batches_, e.now(), 1);
  // ReceiveMessage and DeleteMessageBatch: two requests per batch, shared by the records' sources.
  for (const auto& r : receipts) queue_->charge_requests(queue_->message(r.message).lineage, 2 / n);
  e.schedule(e.now() + visibility_, route_, Event::timer, h.pack());
  engine::Lineage lineage = queue_->message(receipts.front().message).lineage;
  lineage.payload_bytes = bytes;
  e.call(function_, engine::Caller{engine::Caller::Kind::sqs_batch, route_.owner(), index_, h}, lineage);
  return true;
}

// Pollers grow by 5 per second while messages wait for a free poller, up to the ceiling (none
// during a throttle's pause), and fall back to 5 after a minute without a backlog.
void SqsEventSourceMapping::update_scaling() {
  auto& e = *engine_;
  SimTime now = e.now();
  SimTime from = std::max(last_scale_, paused_until_);
  if (backlog_ && now > from)
    allowed_ = std::min(max_allowed_, allowed_ + kGrowthPerSecond * (now - from).to_seconds());
  last_scale_ = now;
  bool backlog = queue_->receivable() && static_cast<double>(in_flight_) >= std::floor(allowed_);
  if (backlog || backlog_) last_backlog_ = now;
  if (!backlog && now - last_backlog_ >= kScaleDownAfter) allowed_ = min_pollers_;
  backlog_ = backlog;
  max_pollers_allowed = std::max(max_pollers_allowed, static_cast<int>(std::floor(allowed_)));
  if (backlog_ && allowed_ < max_allowed_ && !scale_armed_) {
    // The next whole poller: poll again then.
    double need_s = (std::floor(allowed_) + 1 - allowed_) / kGrowthPerSecond;
    scale_armed_ = true;
    e.schedule(std::max(now, paused_until_) + SimTime::from_ns_rounded(std::max(1.0, need_s * 1e9)), route_,
               Event::timer, kScale);
  }
}

// The function's answer. Successful records are deleted; failed ones stay in flight until the
// visibility timeout of their receive brings them back (or to the dead-letter queue).
void SqsEventSourceMapping::on_batch_reply(Handle h, Failure outcome, std::uint32_t records_done) {
  auto& e = *engine_;
  batches_[h].replied = true;
  --in_flight_;
  concurrency.set(e.now(), in_flight_);
  const auto& receipts = receipts_[h.slot];
  bool left = false;  // records still in flight under this batch's receipt
  if (outcome == Failure::none) {
    bool partial = false;
    for (std::uint32_t i = 0; i < receipts.size(); ++i) {
      const SqsQueue::Receipt& r = receipts[i];
      // With ReportBatchItemFailures on a standard queue, the handler reported the poison
      // records it skipped; on a FIFO queue it stopped at the first (records_done).
      bool failed = i >= records_done || (skip_failed_records_ && queue_->message(r.message).poison);
      if (!failed) {
        queue_->delete_message(r);  // ignored if the receipt is stale: processed twice
      } else {
        partial = true;
        left = left || queue_->holds(r);
      }
    }
    if (partial && e.measuring()) ++partially_failed_batches;
  } else {
    for (const auto& r : receipts) left = left || queue_->holds(r);
    if (outcome == Failure::throttled) {
      // Lambda backs off: fewer concurrent batches, a pause before polling again.
      if (e.measuring()) ++throttled_batches;
      update_scaling();
      allowed_ = std::max(1.0, static_cast<double>(in_flight_));
      paused_until_ = e.now() + kThrottleBackoff;
    } else if (e.measuring()) {
      ++failed_batches;
    }
  }
  if (!left || batches_[h].expired) release_batch(h);
  if (queue_->receivable()) schedule_poll(std::max(e.now(), paused_until_));
}

void SqsEventSourceMapping::on_visibility_timeout(Handle h) {
  if (!batches_.alive(h)) return;
  batches_[h].expired = true;
  const auto& receipts = receipts_[h.slot];
  // Last first: a FIFO group's messages go back to its head in their order.
  for (std::size_t i = receipts.size(); i-- > 0;) queue_->visibility_expired(receipts[i]);
  if (batches_[h].replied) release_batch(h);
}

void SqsEventSourceMapping::release_batch(Handle h) {
  auto& receipts = receipts_[h.slot];
  for (const auto& r : receipts) queue_->release(r);
  receipts.clear();
  batches_.release(h);
}

engine::Message& SqsEventSourceMapping::record(Handle batch, std::uint32_t i) {
  return queue_->message(receipts_[batch.slot][i].message);
}

std::uint32_t SqsEventSourceMapping::records(Handle batch) const {
  return static_cast<std::uint32_t>(receipts_[batch.slot].size());
}

void SqsEventSourceMapping::finish_run() { concurrency.finish(engine_->end()); }

summary::SqsMapping SqsEventSourceMapping::summary() const {
  summary::SqsMapping s;
  s.batches = batches;
  s.batch_size_mean = batches > 0 ? static_cast<double>(batch_records) / static_cast<double>(batches) : 0.0;
  s.concurrency = metrics::mean_max(concurrency);
  s.max_pollers_allowed = max_pollers_allowed;
  s.throttled_batches = throttled_batches;
  s.failed_batches = failed_batches;
  s.partially_failed_batches = partially_failed_batches;
  return s;
}

}  // namespace sluice::components
