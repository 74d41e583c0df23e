#include "components/sqs_queue.hpp"

#include <algorithm>
#include <cmath>

#include "components/sqs_event_source_mapping.hpp"
#include "engine/runtime.hpp"
#include "kernel/sampling.hpp"
#include "metrics/summary_figures.hpp"

namespace sluice::components {

using kernel::Handle;
using kernel::SimTime;
using sluice::Failure;
using Kind = metrics::TimeSeriesRecorder::Kind;

namespace {
constexpr double kChunkBytes = 64 * 1024;           // each 64 KB chunk is billed as one request
constexpr double kMaxMessageBytes = 1024.0 * 1024;  // 1 MiB since 2025 (aws-facts §2.2)
constexpr double kFifoSendsPerSecond = 300;         // per API action (aws-facts §2.2)
constexpr double kLongPollNs = 20e9;                // WaitTimeSeconds' maximum (aws-facts §2.2)

double chunks(double bytes) { return std::max(1.0, std::ceil(bytes / kChunkBytes)); }
}  // namespace

SqsQueue::SqsQueue(engine::Runtime& e, const ComponentSpec& spec, engine::EventRoute route)
    : engine_(&e),
      spec_(&spec),
      config_(&std::get<SqsSpec>(spec.config)),
      route_(route),
      index_(route.target),
      component_(e.component_index(spec.name)),
      dead_letter_queue_(e.roles().receives_failures[component_]),
      rng_latency_(e.stream(spec.name, "latency")),
      // High-throughput mode: 70,000/s per queue in us-east-1 by default, a regional quota
      // (aws-facts §2.2; account.sqs_fifo_high_throughput_rate).
      send_quota_(config_->high_throughput ? e.model().account.sqs_fifo_high_throughput_per_s : kFifoSendsPerSecond,
                  config_->high_throughput ? e.model().account.sqs_fifo_high_throughput_per_s : kFifoSendsPerSecond),
      price_request_(e.model().account.prices.at(config_->fifo ? "sqs.fifo_request_per_million"
                                                               : "sqs.standard_request_per_million") /
                     1e6),
      retention_(SimTime::from_ns_rounded(config_->retention_ns)),
      delay_(SimTime::from_ns_rounded(config_->delay_ns)) {
  if (!config_->dead_letter_target.empty()) dead_letter_ = e.component_index(config_->dead_letter_target);
  sent_by_source_.assign(e.model().sources.size(), 0);
  auto& ts = e.series();
  series_sent_ = ts.add_series(spec.name, "NumberOfMessagesSent", Kind::sum);
  series_received_ = ts.add_series(spec.name, "NumberOfMessagesReceived", Kind::sum);
  series_deleted_ = ts.add_series(spec.name, "NumberOfMessagesDeleted", Kind::sum);
  series_dlq_ = ts.add_series(spec.name, "NumberOfMessagesMovedToDLQ", Kind::sum);
  series_visible_ = ts.add_series(spec.name, "ApproximateNumberOfMessagesVisible", Kind::time_mean);
  series_not_visible_ = ts.add_series(spec.name, "ApproximateNumberOfMessagesNotVisible", Kind::time_mean);
  series_age_ = ts.add_series(spec.name, "ApproximateAgeOfOldestMessage", Kind::max);
  visible_gauge = metrics::Gauge(&ts, series_visible_, e.warmup());
  not_visible_gauge = metrics::Gauge(&ts, series_not_visible_, e.warmup());
  delayed_gauge = metrics::Gauge(nullptr, 0, e.warmup());
}

void SqsQueue::attach(SqsEventSourceMapping* c) { consumer_ = c; }

// SendMessage: refused while the queue is down (5xx), above the message size limit, or above
// a FIFO queue's send rate; otherwise a new message, billed by 64 KB chunk to its source.
void SqsQueue::receive(const engine::Caller& caller, const engine::Lineage& lineage) {
  auto& e = *engine_;
  const engine::FaultState& fault = e.faults(component_);
  SimTime latency = SimTime::from_ns_rounded(kernel::sample(config_->latency, rng_latency_) + fault.added_latency_ns);
  if (fault.down()) return e.reply_after(latency, caller, Failure::dependency_failed);
  if (lineage.payload_bytes > kMaxMessageBytes) {
    if (e.measuring()) ++counts.send_rejected;
    return e.reply_after(latency, caller, Failure::rejected);
  }
  if (config_->fifo && !send_quota_.try_take(e.now())) {
    if (e.measuring()) ++counts.send_throttled;
    return e.reply_after(latency, caller, Failure::throttled);
  }
  engine::Message m = e.new_message(lineage, component_);
  bill_send(lineage);
  enqueue(m);
  e.reply_after(latency, caller, Failure::none);
}

// A message handed over by a service: no API call of the sender's to answer; billed as a send.
bool SqsQueue::accept(engine::Message m) {
  if (engine_->faults(component_).down()) return false;
  bill_send(m.lineage);
  enqueue(m);
  return true;
}

void SqsQueue::bill_send(const engine::Lineage& lineage) {
  auto& e = *engine_;
  double usd = chunks(lineage.payload_bytes) * price_request_;
  if (e.measuring()) {
    ++counts.sent;
    if (lineage.source < sent_by_source_.size()) ++sent_by_source_[lineage.source];
    cost_requests_usd += usd;
  }
  e.charge(lineage.source, usd);
  e.series().add(series_sent_, e.now(), 1);
}

void SqsQueue::charge_requests(const engine::Lineage& lineage, double requests) {
  auto& e = *engine_;
  double usd = requests * price_request_;
  if (e.measuring()) cost_requests_usd += usd;
  e.charge(lineage.source, usd);
}

Handle& SqsQueue::next(Handle h) {
  if (next_.size() < slots_.capacity()) next_.resize(slots_.capacity());
  return next_[h.slot];
}

// A message enters the queue: ages and retention count from here (for an SNS delivery or a
// dead-letter move too, as in SQS, whose SentTimestamp is the queue's own).
void SqsQueue::enqueue(engine::Message m) {
  auto& e = *engine_;
  Handle h = slots_.allocate();
  Slot& s = slots_[h];
  s.message = m;
  s.message.created = e.now();
  if (!consumer_) e.detach(s.message);  // its consumer is outside the model
  if (delay_.ns > 0) {
    // Every message waits the queue's delay: the delayed ones stay in order of their end.
    s.state = State::delayed;
    delayed_.push_back(h);
    if (!delay_armed_) {
      delay_armed_ = true;
      e.schedule(e.now() + delay_, route_, Event::timer, kTimerDelay);
    }
    counts_changed();
    return;
  }
  make_visible(h, false);
}

// Visible: at the back (new messages) or at the front (messages back from a consumer: the
// oldest, received first again; a FIFO group's head, in their order).
void SqsQueue::make_visible(Handle h, bool front) {
  Slot& s = slots_[h];
  s.state = State::visible;
  ++visible_n_;
  if (!config_->fifo) {
    if (front) visible_.push_front(h);
    else visible_.push_back(h);
  } else {
    std::uint32_t key = s.message.lineage.key;
    Group& g = groups_[key];
    if (front) {
      next(h) = g.head;
      g.head = h;
      if (g.visible == 0) g.tail = h;
    } else {
      next(h) = Handle{};
      if (g.visible > 0) next(g.tail) = h;
      else g.head = h;
      g.tail = h;
      by_age_.push_back(h);  // first time visible: in the order sent
    }
    ++g.visible;
    group_ready(key, g);
  }
  arm_retention();
  counts_changed();
  if (consumer_) consumer_->on_visible();
}

void SqsQueue::group_ready(std::uint32_t key, Group& g) {
  if (g.ready || g.in_flight > 0 || g.visible == 0) return;
  g.ready = true;
  ready_.push_back(key);
}

bool SqsQueue::receivable() const { return config_->fifo ? !ready_.empty() : !visible_.empty(); }

bool SqsQueue::expired(const Slot& s) const { return engine_->now() >= s.message.created + retention_; }

double SqsQueue::receive_batch(std::vector<Receipt>& out, std::uint32_t max_messages, double max_bytes) {
  auto& e = *engine_;
  double bytes = 0;
  std::uint32_t taken = 0;
  auto take = [&](Handle h) {
    Slot& s = slots_[h];
    s.state = State::in_flight;
    ++s.receives;
    ++s.holders;
    --visible_n_;
    ++in_flight_n_;
    out.push_back(Receipt{h, s.receives});
    bytes += s.message.lineage.payload_bytes;
    ++taken;
    if (e.measuring()) {
      ++counts.received;
      if (s.receives == 1) wait_ms.record((e.now() - s.message.created).to_ms());
    }
    e.series().add(series_received_, e.now(), 1);
  };
  if (!config_->fifo) {
    while (taken < max_messages && !visible_.empty()) {
      Handle h = visible_.front();
      const Slot& s = slots_[h];
      if (expired(s)) {  // a returned message that has outlived the retention period
        visible_.pop_front();
        --visible_n_;
        end(h, Failure::retention_expired);
        continue;
      }
      if (taken > 0 && bytes + s.message.lineage.payload_bytes > max_bytes) break;
      visible_.pop_front();
      take(h);
    }
  } else {
    // Group after group, in turn, each from its head; a group with a message in flight is
    // locked until it is deleted or back (one batch at a time per group, aws-facts §2.1).
    bool full = false;
    while (!full && taken < max_messages && !ready_.empty()) {
      std::uint32_t key = ready_.front();
      auto it = groups_.find(key);
      Group& g = it->second;
      bool took = false;
      while (g.visible > 0) {
        if (taken >= max_messages) {
          full = true;
          break;
        }
        Handle h = g.head;
        const Slot& s = slots_[h];
        bool gone = expired(s);
        if (!gone && taken > 0 && bytes + s.message.lineage.payload_bytes > max_bytes) {
          full = true;
          break;
        }
        g.head = next(h);
        if (--g.visible == 0) g.tail = Handle{};
        if (gone) {
          --visible_n_;
          end(h, Failure::retention_expired);
          continue;
        }
        ++g.in_flight;
        take(h);
        took = true;
      }
      if (took || g.visible == 0) {
        ready_.pop_front();
        g.ready = false;
        if (g.visible == 0 && g.in_flight == 0) groups_.erase(it);
      }
    }
  }
  counts_changed();
  return bytes;
}

bool SqsQueue::holds(const Receipt& r) const {
  if (!slots_.alive(r.message)) return false;
  const Slot& s = slots_[r.message];
  return s.state == State::in_flight && s.receives == r.receive;
}

void SqsQueue::delete_message(const Receipt& r) {
  if (!holds(r)) return;
  auto& e = *engine_;
  --in_flight_n_;
  if (e.measuring()) ++counts.deleted;
  e.series().add(series_deleted_, e.now(), 1);
  leave_flight(r.message);
  end(r.message, Failure::none);
  counts_changed();
}

// Back from a consumer after the visibility timeout of its receive: to the dead-letter queue
// once received max_receive_count times, gone if past the retention period, else visible.
void SqsQueue::visibility_expired(const Receipt& r) {
  if (!holds(r)) return;
  --in_flight_n_;
  Slot& s = slots_[r.message];
  if (dead_letter_ >= 0 && s.receives >= static_cast<std::uint32_t>(config_->max_receive_count)) {
    leave_flight(r.message);
    dead_letter(r.message);
  } else if (expired(s)) {
    leave_flight(r.message);
    end(r.message, Failure::retention_expired);
  } else {
    make_visible(r.message, true);
    leave_flight(r.message);
  }
  counts_changed();
}

void SqsQueue::release(const Receipt& r) {
  Slot& s = slots_[r.message];  // alive: a batch's holding keeps the slot
  if (--s.holders == 0 && s.state == State::ended) {
    slots_.release(r.message);
    --zombies_;
  }
}

// FIFO: a message of the group is no longer in flight; the last one unlocks the group.
void SqsQueue::leave_flight(Handle h) {
  if (!config_->fifo) return;
  std::uint32_t key = slots_[h].message.lineage.key;
  auto it = groups_.find(key);
  Group& g = it->second;
  if (--g.in_flight > 0) return;
  if (g.visible > 0) {
    group_ready(key, g);
    if (consumer_) consumer_->on_visible();
  } else if (!g.ready) {
    groups_.erase(it);
  }
}

// The message's end, exactly once. Its slot stays while a batch still refers to it (the
// function may still be processing it after its visibility timeout let another batch take it).
void SqsQueue::end(Handle h, Failure outcome) {
  auto& e = *engine_;
  Slot& s = slots_[h];
  e.end_message(s.message, outcome);
  if (outcome != Failure::none && e.measuring()) ++failed[static_cast<std::size_t>(outcome)];
  if (s.holders > 0) {
    s.state = State::ended;
    ++zombies_;
  } else {
    slots_.release(h);
  }
}

// The redrive policy: the message leaves for the dead-letter queue as a new unit of work, which
// no longer holds its request open; the original has ended, dead-lettered.
void SqsQueue::dead_letter(Handle h) {
  auto& e = *engine_;
  engine::Message m = slots_[h].message;
  if (e.measuring()) ++counts.moved_to_dlq;
  e.series().add(series_dlq_, e.now(), 1);
  end(h, Failure::dead_lettered);
  engine::Lineage lineage = m.lineage;
  lineage.request = Handle{};
  auto target = static_cast<std::uint32_t>(dead_letter_);
  engine::Message copy = e.new_message(lineage, target);
  copy.poison = copy.poison || m.poison;
  if (!e.hand_over(target, copy)) e.end_message(copy, Failure::dependency_failed);
}

void SqsQueue::on_timer(std::uint64_t payload) {
  auto& e = *engine_;
  if (payload == kTimerRetention) {
    if (e.now() >= retention_armed_) retention_armed_ = SimTime::max();
    sweep();
    arm_retention();
  } else if (payload == kTimerDelay) {
    delay_armed_ = false;
    while (!delayed_.empty()) {
      Handle h = delayed_.front();
      if (slots_[h].message.created + delay_ > e.now()) break;
      delayed_.pop_front();
      if (expired(slots_[h])) end(h, Failure::retention_expired);  // a delay longer than the retention
      else make_visible(h, false);
    }
    if (!delayed_.empty()) {
      delay_armed_ = true;
      e.schedule(slots_[delayed_.front()].message.created + delay_, route_, Event::timer, kTimerDelay);
    }
    counts_changed();
  }
}

// Retention: the oldest messages expire from the head. Messages in flight are checked when they
// come back; a returned message behind the head, when it is received.
void SqsQueue::sweep() {
  if (!config_->fifo) {
    while (!visible_.empty() && expired(slots_[visible_.front()])) {
      Handle h = visible_.front();
      visible_.pop_front();
      --visible_n_;
      end(h, Failure::retention_expired);
    }
  } else {
    while (!by_age_.empty()) {
      Handle h = by_age_.front();
      if (!slots_.alive(h) || slots_[h].state == State::ended) {
        by_age_.pop_front();
        continue;
      }
      const Slot& s = slots_[h];
      if (!expired(s)) break;
      by_age_.pop_front();
      if (s.state != State::visible) continue;  // in flight: checked when it comes back
      std::uint32_t key = s.message.lineage.key;
      auto it = groups_.find(key);
      Group& g = it->second;
      if (!(g.head == h)) continue;  // behind a returned message: checked when received
      g.head = next(h);
      if (--g.visible == 0) g.tail = Handle{};
      --visible_n_;
      end(h, Failure::retention_expired);
      if (g.visible == 0 && g.in_flight == 0 && !g.ready) groups_.erase(it);
    }
  }
  counts_changed();
}

// One retention timer pending at a time, for the oldest message's expiry.
void SqsQueue::arm_retention() {
  Handle head;
  if (!config_->fifo) {
    if (visible_.empty()) return;
    head = visible_.front();
  } else {
    while (!by_age_.empty() && (!slots_.alive(by_age_.front()) || slots_[by_age_.front()].state == State::ended))
      by_age_.pop_front();
    if (by_age_.empty()) return;
    head = by_age_.front();
  }
  SimTime at = slots_[head].message.created + retention_;
  if (at >= retention_armed_) return;
  retention_armed_ = at;
  engine_->schedule(at, route_, Event::timer, kTimerRetention);
}

// After any change: the gauges, the time the queue stood empty, and the oldest message's age.
void SqsQueue::counts_changed() {
  auto& e = *engine_;
  SimTime now = e.now();
  bool was_empty = visible_gauge.value() == 0;
  if (was_empty && visible_n_ > 0) {
    SimTime from = std::max(empty_since_, e.warmup());
    if (now > from) empty_ns_ += static_cast<double>((now - from).ns);
  } else if (!was_empty && visible_n_ == 0) {
    empty_since_ = now;
  }
  visible_gauge.set(now, static_cast<double>(visible_n_));
  not_visible_gauge.set(now, static_cast<double>(in_flight_n_));
  delayed_gauge.set(now, static_cast<double>(delayed_.size()));
  advance_age(now);
  // The oldest message: a standard queue's oldest visible one (its head), a FIFO queue's oldest
  // not yet deleted (visible or in flight).
  has_oldest_ = false;
  if (!config_->fifo) {
    if (!visible_.empty()) {
      has_oldest_ = true;
      oldest_ = slots_[visible_.front()].message.created;
    }
  } else {
    while (!by_age_.empty() && (!slots_.alive(by_age_.front()) || slots_[by_age_.front()].state == State::ended))
      by_age_.pop_front();
    if (!by_age_.empty()) {
      has_oldest_ = true;
      oldest_ = slots_[by_age_.front()].message.created;
    }
  }
}

// The age of the oldest message grows linearly between changes: its time integral (for the
// mean), its maximum, and each time-series bucket's maximum (at the bucket's end or now).
void SqsQueue::advance_age(SimTime now) {
  auto& e = *engine_;
  SimTime from = std::max(age_last_, e.warmup());
  age_last_ = now;
  if (!has_oldest_ || now < from) return;
  double a = (from - oldest_).to_seconds(), b = (now - oldest_).to_seconds();
  age_area_s2_ += (b * b - a * a) / 2;
  age_max_s_ = std::max(age_max_s_, b);
  auto bucket = SimTime::from_ns_rounded(e.model().run.bucket_ns);
  SimTime t = from;
  while (t < now) {
    SimTime bucket_end{e.warmup().ns + ((t - e.warmup()).ns / bucket.ns + 1) * bucket.ns};
    if (bucket_end > now) break;
    e.series().record_max(series_age_, bucket_end - SimTime{1}, (bucket_end - oldest_).to_seconds());
    t = bucket_end;
  }
  e.series().record_max(series_age_, now, b);
}

void SqsQueue::finish_run() {
  auto& e = *engine_;
  SimTime end = e.end();
  advance_age(end);
  visible_gauge.finish(end);
  not_visible_gauge.finish(end);
  delayed_gauge.finish(end);
  if (visible_n_ == 0) {
    SimTime from = std::max(empty_since_, e.warmup());
    if (end > from) empty_ns_ += static_cast<double>((end - from).ns);
  }
  if (!consumer_) return;
  // Empty receives, estimated: while nothing is visible, each of the mapping's idle pollers
  // makes one 20 s long poll after another (aws-facts §2.1, §2.2). They are billed, and their
  // cost is spread over the sources by the messages each sent here (or charged to no source
  // when none did): a simplification, as the real pollers' timing is not observable.
  double polls = consumer_->idle_pollers() * empty_ns_ / kLongPollNs;
  counts.empty_receives = static_cast<std::uint64_t>(std::llround(polls));
  double usd = polls * price_request_;
  cost_requests_usd += usd;
  e.charge_shared(usd, sent_by_source_);
}

std::uint64_t SqsQueue::messages_in_flight() const { return slots_.live() - zombies_; }

double SqsQueue::cost_usd() const { return cost_requests_usd; }

summary::Sqs SqsQueue::summary() const {
  auto& e = *engine_;
  double measured_s = (e.end() - e.warmup()).to_seconds();
  summary::Sqs s;
  s.fifo = config_->fifo;
  summary::SqsMetrics& m = s.metrics;
  static_cast<summary::SqsCounts&>(m) = counts;
  m.visible = metrics::mean_max(visible_gauge);
  m.not_visible = metrics::mean_max(not_visible_gauge);
  m.delayed = metrics::mean_max(delayed_gauge);
  m.oldest_message_age_s = {measured_s > 0 ? age_area_s2_ / measured_s : 0.0, age_max_s_};
  m.wait_ms = metrics::latency(wait_ms, metrics::Percentiles::without_p999);
  s.failed = metrics::failed(failed, {Failure::retention_expired, Failure::dead_lettered});
  s.cost_usd = {{{"requests", cost_requests_usd}}, cost_requests_usd};
  s.dead_letter_queue = dead_letter_queue_;
  return s;
}

}  // namespace sluice::components
