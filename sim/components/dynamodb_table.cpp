#include "components/dynamodb_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "components/retry_backoff.hpp"
#include "engine/runtime.hpp"
#include "kernel/sampling.hpp"
#include "metrics/summary_figures.hpp"

namespace sluice::components {

using kernel::SimTime;
using sluice::Failure;
using Kind = metrics::TimeSeriesRecorder::Kind;

namespace {
// Burst capacity: up to 300 s of unused provisioned capacity is retained (aws-facts §5).
// Assumption: a table starts the run with its whole burst saved (it was quiet for 5 minutes).
constexpr double kBurstSeconds = 300;
// Assumption: a capacity change asked for by auto scaling takes effect 2 minutes after its alarm
// (aws-facts §5: real scale-ups take "several minutes" after the alarm; no AWS number exists).
constexpr double kProvisioningDelayNs = 120e9;
constexpr double kMinuteNs = 60e9;
// dynamodb_timer payloads other than a pending call's handle (a live handle has an odd
// generation, so never all ones in its upper half).
constexpr std::uint64_t kMinuteTick = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kApplyRead = kMinuteTick - 1;
constexpr std::uint64_t kApplyWrite = kMinuteTick - 2;

// A throughput limit (the table's or a partition's bucket) admits a call of `units` if it holds
// them, or if it is full: a request larger than the bucket's whole depth then passes and leaves
// it in debt (a 400 KB item is 400 WCU, more than a 1 WCU table's 300 s of burst; 25 of them in
// one call are 10,000 WCU, more than a partition's second: otherwise refused for ever). DynamoDB
// likewise admits a request against capacity it has and charges its full size.
// (TokenBucket::try_take, the strict rule, would refuse it.) The bucket is refilled even for a
// call of no units: refilling at other moments would round differently.
bool admits(TokenBucket& limit, SimTime now, double units) {
  double tokens = limit.tokens(now);
  return units <= 0 || tokens >= units || tokens >= limit.capacity();
}
}  // namespace

DynamoDbTable::DynamoDbTable(engine::Runtime& e, const ComponentSpec& spec, engine::EventRoute route)
    : engine_(&e),
      spec_(&spec),
      config_(&std::get<DynamoDbSpec>(spec.config)),
      route_(route),
      index_(route.target),
      component_(e.component_index(spec.name)),
      on_demand_(config_->mode == DynamoDbSpec::Mode::on_demand),
      on_demand_read_(config_->warm_read_units, e.model().account.dynamodb_table_quota_units),
      on_demand_write_(config_->warm_write_units, e.model().account.dynamodb_table_quota_units),
      rng_latency_(e.stream(spec.name, "latency")),
      rng_backoff_(e.stream(spec.name, "sdk_retries")),
      rng_keys_(e.stream(spec.name, "item_keys")) {
  if (on_demand_) {
    // The throughput a new (or pre-warmed) table sustains at once, as buckets one second deep.
    read_capacity_ = config_->warm_read_units;
    write_capacity_ = config_->warm_write_units;
    table_read_ = TokenBucket(read_capacity_, read_capacity_);
    table_write_ = TokenBucket(write_capacity_, write_capacity_);
  } else {
    read_capacity_ = config_->read_capacity;
    write_capacity_ = config_->write_capacity;
    if (config_->autoscaling) {
      const AutoscalingSpec& a = *config_->autoscaling;
      read_capacity_ = std::clamp(read_capacity_, a.min_units, a.max_units);
      write_capacity_ = std::clamp(write_capacity_, a.min_units, a.max_units);
      scale_read_.emplace(a);
      scale_write_.emplace(a);
    }
    // Full: the table starts the run with its whole burst saved.
    table_read_ = TokenBucket(read_capacity_, kBurstSeconds * read_capacity_);
    table_write_ = TokenBucket(write_capacity_, kBurstSeconds * write_capacity_);
  }
  grow_partitions();
  attempts.assign(static_cast<std::size_t>(std::max(1, config_->sdk_retries.max_attempts)), 0);
  read_units_by_source_.assign(e.model().sources.size(), 0.0);
  write_units_by_source_.assign(e.model().sources.size(), 0.0);
  const PriceTable& prices = e.model().account.prices;
  if (on_demand_) {
    price_read_unit_ = prices.at("dynamodb.read_request_units_per_million") / 1e6;
    price_write_unit_ = prices.at("dynamodb.write_request_units_per_million") / 1e6;
  } else {
    price_rcu_hour_ = prices.at("dynamodb.read_capacity_unit_hour");
    price_wcu_hour_ = prices.at("dynamodb.write_capacity_unit_hour");
  }
  auto& ts = e.series();
  series_consumed_read_ = ts.add_series(spec.name, "ConsumedReadCapacityUnits", Kind::sum);
  series_consumed_write_ = ts.add_series(spec.name, "ConsumedWriteCapacityUnits", Kind::sum);
  series_throttled_ = ts.add_series(spec.name, "ThrottledRequests", Kind::sum);
  series_read_throttles_ = ts.add_series(spec.name, "ReadThrottleEvents", Kind::sum);
  series_write_throttles_ = ts.add_series(spec.name, "WriteThrottleEvents", Kind::sum);
  series_latency_ = ts.add_mean_series(spec.name, "SuccessfulRequestLatency");
  series_duplicates_ = ts.add_series(spec.name, "DuplicateWrites", Kind::sum);
  // Provisioned: the provisioned capacity (CloudWatch's names). On-demand tables have none; their
  // series show the throughput the table sustains at once instead.
  const char* read_name = on_demand_ ? "OnDemandReadThroughputLimit" : "ProvisionedReadCapacityUnits";
  const char* write_name = on_demand_ ? "OnDemandWriteThroughputLimit" : "ProvisionedWriteCapacityUnits";
  provisioned_read = metrics::Gauge(&ts, ts.add_series(spec.name, read_name, Kind::time_mean), e.warmup());
  provisioned_write = metrics::Gauge(&ts, ts.add_series(spec.name, write_name, Kind::time_mean), e.warmup());
}

// Its stream, once every component exists (its series follow every component's).
void DynamoDbTable::connect() {
  if (!config_->stream) return;
  KinesisSpec stream;  // a shard per partition, 24 h retention (aws-facts §5)
  stream.shards = static_cast<int>(partitions());
  stream.retention_ns = 86400e9;
  stream_spec_ = ComponentSpec{spec_->name + ":stream", spec_->where, std::string(KinesisStream::kType), stream};
  stream_.emplace(*engine_, stream_spec_, route_.part(Event::stream), component_);
}

void DynamoDbTable::start() {
  auto& e = *engine_;
  provisioned_read.set(e.now(), read_capacity_);
  provisioned_write.set(e.now(), write_capacity_);
  // Auto scaling looks at one-minute datapoints: one event a minute, only when it is on.
  if (scale_read_) e.schedule(e.now() + SimTime::from_ns_rounded(kMinuteNs), route_, Event::timer, kMinuteTick);
}

void DynamoDbTable::receive(const engine::Caller& caller, const engine::Lineage& lineage,
                            const engine::TableRequest& request) {
  auto& e = *engine_;
  if (e.measuring()) ++counts.requests;
  // A workload that sets no keys (the source's payload has no key distribution) is taken to
  // write and read items with keys of their own (ids, UUIDs): calls spread evenly over the
  // partitions. Assumption: all of a call's items share its key, hence one partition (a Query
  // reads one partition key; a batch's items would in fact spread). The SDK retries the same key.
  engine::Lineage call = lineage;
  if (e.model().sources[lineage.source].payload.key.kind == KeyDistribution::Kind::none)
    call.key = static_cast<std::uint32_t>(rng_keys_.next_u64());
  attempt(caller, call, request, 1);
}

// One try of a call. Throttled (ProvisionedThroughputExceededException, or ThrottlingException
// on-demand) or answered 5xx during an outage, the SDK backs off and tries again up to its
// max_attempts (AWS SDKs retry both, aws-facts §5); the caller hears the outcome of the last try,
// after that try's latency, so the retries' waits add to the calling function's duration.
void DynamoDbTable::attempt(const engine::Caller& caller, const engine::Lineage& lineage,
                            const engine::TableRequest& request, std::uint32_t attempt) {
  auto& e = *engine_;
  const engine::FaultState& fault = e.faults(component_);
  double latency_ns = kernel::sample(config_->latency, rng_latency_) + fault.added_latency_ns;
  SimTime latency = SimTime::from_ns_rounded(latency_ns);
  Failure why;
  if (fault.down()) {
    why = Failure::dependency_failed;  // 5xx (InternalServerError)
    if (e.measuring()) ++counts.system_errors;
  } else {
    if (on_demand_) follow_on_demand_limits();
    std::uint32_t p = partitions_.of_key(lineage.key);
    double ru = request.read_units, wu = request.write_units;
    // A call takes from its partition's and the table's limits, or from none of them.
    bool read_ok = admits(partitions_.read(p), e.now(), ru) && admits(table_read_, e.now(), ru);
    bool write_ok = admits(partitions_.write(p), e.now(), wu) && admits(table_write_, e.now(), wu);
    if (read_ok && write_ok) {
      if (ru > 0) partitions_.read(p).take(e.now(), ru), table_read_.take(e.now(), ru);
      if (wu > 0) partitions_.write(p).take(e.now(), wu), table_write_.take(e.now(), wu);
      succeed(lineage, request);
      if (e.measuring()) successful_request_latency_ms.record(latency_ns / 1e6);
      e.series().add_sample(series_latency_, e.now(), latency_ns / 1e6);
      end_call(attempt, Failure::none);
      return e.reply_after(latency, caller, Failure::none);
    }
    why = Failure::throttled;
    if (e.measuring()) {
      ++counts.throttled_requests;
      if (!read_ok) ++counts.read_throttle_events;
      if (!write_ok) ++counts.write_throttle_events;
    }
    e.series().add(series_throttled_, e.now(), 1);
    if (!read_ok) e.series().add(series_read_throttles_, e.now(), 1);
    if (!write_ok) e.series().add(series_write_throttles_, e.now(), 1);
  }
  if (attempt >= static_cast<std::uint32_t>(std::max(1, config_->sdk_retries.max_attempts))) {
    // Retries exhausted: the step fails (the function turns any failure into dependency_failed);
    // the table counts why.
    if (e.measuring()) ++failed[static_cast<std::size_t>(why)];
    end_call(attempt, why);
    return e.reply_after(latency, caller, why);
  }
  // The SDK backs off as a source's client does (retry_backoff.hpp). Standard mode's retry quota
  // (a client-side token bucket of 500) is not modelled: every throttled call may use all its
  // attempts.
  if (e.measuring()) ++counts.sdk_retries;
  kernel::Handle h = pending_.allocate();
  pending_[h] = PendingCall{caller, lineage, request, attempt + 1};
  double backoff_ns = retry_backoff_ns(config_->sdk_retries, attempt, rng_backoff_);
  e.schedule(e.now() + SimTime::from_ns_rounded(latency_ns + backoff_ns), route_, Event::timer, h.pack());
}

// The call's capacity is consumed (only a successful attempt consumes any) and billed.
void DynamoDbTable::succeed(const engine::Lineage& lineage, const engine::TableRequest& request) {
  auto& e = *engine_;
  double ru = request.read_units, wu = request.write_units;
  minute_read_units_ += ru;
  minute_write_units_ += wu;
  if (on_demand_) {
    on_demand_read_.consume(e.now(), ru);
    on_demand_write_.consume(e.now(), wu);
    // On-demand: billed per request unit (aws-facts §5, prices from 2024-11-01).
    double usd_read = ru * price_read_unit_, usd_write = wu * price_write_unit_;
    if (e.measuring()) {
      cost_read_request_units_usd += usd_read;
      cost_write_request_units_usd += usd_write;
    }
    e.charge(lineage.source, usd_read + usd_write);
  }
  bool duplicate = request.replay && request.writes();
  if (e.measuring()) {
    ++counts.successful_requests;
    counts.consumed_read_units += ru;
    counts.consumed_write_units += wu;
    read_units_by_source_[lineage.source] += ru;
    write_units_by_source_[lineage.source] += wu;
    if (duplicate) counts.duplicate_writes += request.items;
  }
  if (ru > 0) e.series().add(series_consumed_read_, e.now(), ru);
  if (wu > 0) e.series().add(series_consumed_write_, e.now(), wu);
  if (duplicate) e.series().add(series_duplicates_, e.now(), request.items);
  // DynamoDB Streams: every item written becomes a record of the table's stream.
  if (stream_ && request.writes())
    for (std::uint32_t i = 0; i < request.items; ++i) stream_->append(lineage);
}

void DynamoDbTable::end_call(std::uint32_t n, Failure) {
  if (!engine_->measuring()) return;
  ++attempts[std::min<std::size_t>(n, attempts.size()) - 1];
}

void DynamoDbTable::on_event(Event event, std::uint64_t payload) {
  if (event == Event::stream) stream_->on_event(KinesisStream::Event::timer, payload);
  else on_timer(payload);
}

void DynamoDbTable::on_timer(std::uint64_t payload) {
  if (payload == kMinuteTick) return on_minute();
  if (payload == kApplyRead || payload == kApplyWrite) {
    bool read = payload == kApplyRead;
    std::optional<double>& pending = read ? pending_read_ : pending_write_;
    if (!pending) return;
    set_capacity(read ? Dimension::read : Dimension::write, *pending);
    pending.reset();
    (read ? scale_read_ : scale_write_)->reset();
    return;
  }
  kernel::Handle h = kernel::Handle::unpack(payload);
  if (!pending_.alive(h)) return;
  PendingCall c = pending_[h];
  pending_.release(h);
  attempt(c.caller, c.lineage, c.request, c.attempt);
}

// Target tracking: each minute's consumed units per second against the provisioned capacity, per
// dimension. A change asked for takes effect after the provisioning delay; while it is under way
// the dimension's alarms wait. A decrease beyond the day's limit waits for the next allowed hour
// (its alarm stays on, so it fires again at the next minute).
void DynamoDbTable::on_minute() {
  auto& e = *engine_;
  double rates[2] = {minute_read_units_ / 60, minute_write_units_ / 60};
  minute_read_units_ = minute_write_units_ = 0;
  for (Dimension d : {Dimension::read, Dimension::write}) {
    bool read = d == Dimension::read;
    std::optional<double>& pending = read ? pending_read_ : pending_write_;
    if (pending) continue;
    double capacity = read ? read_capacity_ : write_capacity_;
    std::optional<double> wanted = (read ? scale_read_ : scale_write_)->observe(rates[read ? 0 : 1], capacity);
    if (!wanted) continue;
    if (*wanted < capacity) {
      if (!decreases_.allowed(e.now())) continue;
      decreases_.record(e.now());
    }
    pending = *wanted;
    e.schedule(e.now() + SimTime::from_ns_rounded(kProvisioningDelayNs), route_, Event::timer,
               read ? kApplyRead : kApplyWrite);
  }
  e.schedule(e.now() + SimTime::from_ns_rounded(kMinuteNs), route_, Event::timer, kMinuteTick);
}

void DynamoDbTable::set_capacity(Dimension d, double units) {
  auto& e = *engine_;
  bool read = d == Dimension::read;
  double& capacity = read ? read_capacity_ : write_capacity_;
  if (e.measuring()) ++(units > capacity ? capacity_increases : capacity_decreases);
  capacity = units;
  // The burst saved so far is kept, up to 300 s of the new capacity.
  (read ? table_read_ : table_write_).reshape(e.now(), units, kBurstSeconds * units);
  (read ? provisioned_read : provisioned_write).set(e.now(), units);
  grow_partitions();
}

// On-demand: the table's limits follow twice the settled peak (dynamodb_on_demand.hpp).
void DynamoDbTable::follow_on_demand_limits() {
  auto& e = *engine_;
  double r = on_demand_read_.limit(e.now()), w = on_demand_write_.limit(e.now());
  if (r == read_capacity_ && w == write_capacity_) return;
  if (r != read_capacity_) {
    read_capacity_ = r;
    table_read_.reshape(e.now(), r, r);
    provisioned_read.set(e.now(), r);
  }
  if (w != write_capacity_) {
    write_capacity_ = w;
    table_write_.reshape(e.now(), w, w);
    provisioned_write.set(e.now(), w);
  }
  grow_partitions();
}

// A table splits partitions as its throughput (provisioned, or on-demand's limit) grows.
void DynamoDbTable::grow_partitions() {
  partitions_.grow(partitions_for(read_capacity_, write_capacity_, config_->table_size_bytes));
}

// Provisioned: the capacity-hours over the measured time, following the autoscaled capacity
// (prorated to the nanosecond; AWS bills per hour), shared among the sources by the units they
// consumed (a dimension nobody used is shared by the other dimension's units).
void DynamoDbTable::finish_run() {
  auto& e = *engine_;
  if (stream_) stream_->finish_run();
  provisioned_read.finish(e.end());
  provisioned_write.finish(e.end());
  if (on_demand_) return;
  double hours = static_cast<double>((e.end() - e.warmup()).ns) / 3600e9;
  cost_read_capacity_hours_usd = provisioned_read.mean() * hours * price_rcu_hour_;
  cost_write_capacity_hours_usd = provisioned_write.mean() * hours * price_wcu_hour_;
  // A dimension nobody used is shared by the other dimension's use.
  if (!e.charge_shared(cost_read_capacity_hours_usd, read_units_by_source_))
    e.charge_shared(cost_read_capacity_hours_usd, write_units_by_source_);
  if (!e.charge_shared(cost_write_capacity_hours_usd, write_units_by_source_))
    e.charge_shared(cost_write_capacity_hours_usd, read_units_by_source_);
}

double DynamoDbTable::cost_usd() const {
  return cost_read_request_units_usd + cost_write_request_units_usd + cost_read_capacity_hours_usd +
         cost_write_capacity_hours_usd;
}

summary::DynamoDb DynamoDbTable::summary() const {
  summary::DynamoDb s;
  s.partitions = partitions_.count();
  if (scale_read_) s.autoscaling = summary::Autoscaling{capacity_increases, capacity_decreases};
  summary::DynamoDbMetrics& m = s.metrics;
  static_cast<summary::DynamoDbCounts&>(m) = counts;
  m.on_demand = on_demand_;
  m.read_capacity = metrics::mean_max(provisioned_read);
  m.write_capacity = metrics::mean_max(provisioned_write);
  m.successful_request_latency_ms = metrics::latency(successful_request_latency_ms, metrics::Percentiles::without_p999);
  m.sdk_attempts.calls = attempts;
  for (auto n : failed) m.failed_requests += n;
  s.failed = metrics::failed(failed, {Failure::throttled, Failure::dependency_failed});
  if (on_demand_)
    s.cost_usd.parts = {{"read_request_units", cost_read_request_units_usd},
                        {"write_request_units", cost_write_request_units_usd}};
  else
    s.cost_usd.parts = {{"read_capacity_hours", cost_read_capacity_hours_usd},
                        {"write_capacity_hours", cost_write_capacity_hours_usd}};
  s.cost_usd.total = cost_usd();
  if (stream_) {
    s.stream = stream_->summary();
    s.stream->table_stream = true;
  }
  return s;
}

}  // namespace sluice::components
