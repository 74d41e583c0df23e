#include "components/kinesis_stream.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "components/kinesis_event_source_mapping.hpp"
#include "components/retry_backoff.hpp"
#include "engine/runtime.hpp"
#include "kernel/sampling.hpp"
#include "metrics/summary_figures.hpp"

namespace sluice::components {

using kernel::SimTime;
using sluice::Failure;
using Kind = metrics::TimeSeriesRecorder::Kind;

namespace {
// Per shard: 1 MB/s and 1,000 records/s of writes; a record's data is at most 1 MB (aws-facts §4).
constexpr double kShardBytesPerSecond = 1024.0 * 1024;
constexpr double kShardRecordsPerSecond = 1000;
constexpr double kMaxRecordBytes = 1024.0 * 1024;
// Per shard: reads of 2 MB/s and 5 GetRecords calls per second, shared by the standard
// consumers; a call returns at most 10 MB (aws-facts §4). An on-demand stream reads twice what it
// writes (4 MB/s written, 8 MB/s read when new), calls in proportion (5 per MB/s written).
constexpr double kShardReadBytesPerSecond = 2 * 1024.0 * 1024;
constexpr double kShardCallsPerSecond = 5;
// A new on-demand stream writes 4 MB/s (and, as 4 shards, 4,000 records/s) (aws-facts §4).
constexpr std::uint32_t kOnDemandShards = 4;
constexpr double kPutUnitBytes = 25 * 1024.0;   // provisioned: PUT payload units of 25 KB
constexpr double kOnDemandRoundBytes = 1024.0;  // on-demand: each record rounded up to 1 KB
constexpr double kGB = 1024.0 * 1024 * 1024;
constexpr double kMinuteNs = 60e9;
constexpr std::uint64_t kOrphanSweep = std::numeric_limits<std::uint64_t>::max();  // never a live handle
}  // namespace

KinesisStream::KinesisStream(engine::Runtime& e, const ComponentSpec& spec, engine::EventRoute route,
                             std::optional<std::uint32_t> table)
    : engine_(&e),
      spec_(&spec),
      config_(&std::get<KinesisSpec>(spec.config)),
      route_(route),
      // A table's stream is not a component of the model: its faults are the table's.
      component_(table ? *table : e.component_index(spec.name)),
      on_demand_(config_->mode == KinesisSpec::Mode::on_demand),
      table_stream_(table.has_value()),
      rng_latency_(e.stream(spec.name, "latency")),
      rng_backoff_(e.stream(spec.name, "producer_retries")),
      rng_keys_(e.stream(spec.name, "partition_keys")) {
  // An on-demand stream is read as the 4 shards of a new stream: AWS adds shards as its traffic
  // grows, but resharding (and the parent/child shard order it imposes on consumers) is not
  // modelled; only its write capacity follows the traffic (follow_peak).
  shards_ = on_demand_ ? kOnDemandShards : static_cast<std::uint32_t>(config_->shards);
  if (on_demand_) {
    // Its ceiling: 10 GB/s of writes in the largest Regions, 200 MB/s elsewhere (aws-facts §4;
    // account.kinesis_on_demand_write), and records in proportion (1,000 per MB, as a shard).
    max_bytes_per_s_ = e.model().account.kinesis_on_demand_write_bytes_per_s;
    max_records_per_s_ = max_bytes_per_s_ / kShardBytesPerSecond * kShardRecordsPerSecond;
    on_demand_records_per_s_ = std::min(max_records_per_s_, kOnDemandShards * kShardRecordsPerSecond);
    on_demand_bytes_per_s_ = std::min(max_bytes_per_s_, kOnDemandShards * kShardBytesPerSecond);
    record_limit_.emplace_back(on_demand_records_per_s_, on_demand_records_per_s_);
    byte_limit_.emplace_back(on_demand_bytes_per_s_, on_demand_bytes_per_s_);
    double calls = kShardCallsPerSecond * on_demand_bytes_per_s_ / kShardBytesPerSecond;
    call_limit_.emplace_back(calls, calls);
    read_limit_.emplace_back(2 * on_demand_bytes_per_s_, 2 * on_demand_bytes_per_s_);
  } else {
    record_limit_.assign(shards_, TokenBucket(kShardRecordsPerSecond, kShardRecordsPerSecond));
    byte_limit_.assign(shards_, TokenBucket(kShardBytesPerSecond, kShardBytesPerSecond));
    call_limit_.assign(shards_, TokenBucket(kShardCallsPerSecond, kShardCallsPerSecond));
    read_limit_.assign(shards_, TokenBucket(kShardReadBytesPerSecond, kShardReadBytesPerSecond));
  }
  records_by_source_.assign(e.model().sources.size(), 0);
  const PriceTable& prices = e.model().account.prices;
  if (on_demand_) {
    price_stream_hour_ = prices.at("kinesis.on_demand_stream_hour");
    price_gb_written_ = prices.at("kinesis.on_demand_gb_written");
    price_gb_read_ = prices.at("kinesis.on_demand_gb_read");
  } else {
    price_shard_hour_ = prices.at("kinesis.shard_hour");
    price_put_unit_ = prices.at("kinesis.put_payload_units_per_million") / 1e6;
  }
  auto& ts = e.series();
  series_incoming_ = ts.add_series(spec.name, "IncomingRecords", Kind::sum);
  series_throttled_ = ts.add_series(spec.name, "WriteProvisionedThroughputExceeded", Kind::sum);
  series_backlog_ = ts.add_series(spec.name, "RecordsBacklog", Kind::time_mean);
  series_read_bytes_ = ts.add_series(spec.name, "GetRecords.Bytes", Kind::sum);
  series_read_throttled_ = ts.add_series(spec.name, "ReadProvisionedThroughputExceeded", Kind::sum);
  backlog = metrics::Gauge(&ts, series_backlog_, e.warmup());
}

// The table wrote an item: its record goes to the shard of its key, unlimited and free (the
// table's writes were throttled and billed already; Lambda's reads of DynamoDB Streams are free).
void KinesisStream::append(const engine::Lineage& lineage) {
  accept(lineage, static_cast<std::uint32_t>(kernel::key_hash(lineage.key) % shards_));
}

void KinesisStream::attach(KinesisEventSourceMapping* consumer) { consumers_.push_back(consumer); }

void KinesisStream::receive(const engine::Caller& caller, const engine::Lineage& lineage) {
  // A producer that sets no partition keys (the source's payload has no key distribution) is
  // taken to use a random key per record (a UUID, the common practice): records spread evenly.
  // The key is the record's: the SDK's retries send it again.
  engine::Lineage record = lineage;
  if (engine_->model().sources[lineage.source].payload.key.kind == KeyDistribution::Kind::none)
    record.key = static_cast<std::uint32_t>(rng_keys_.next_u64());
  attempt(caller, record, 1);
}

// One try of a PutRecord. Refused for throughput, the producer's SDK backs off and tries again
// up to its max_attempts; its caller hears the outcome of the last try, after that try's latency.
void KinesisStream::attempt(const engine::Caller& caller, const engine::Lineage& lineage, std::uint32_t attempt) {
  auto& e = *engine_;
  const engine::FaultState& fault = e.faults(component_);
  double latency_ns = kernel::sample(config_->latency, rng_latency_) + fault.added_latency_ns;
  SimTime latency = SimTime::from_ns_rounded(latency_ns);
  auto refuse = [&](Failure why) {
    if (e.measuring()) ++failed[static_cast<std::size_t>(why)];
    e.reply_after(latency, caller, why);
  };
  if (fault.down()) return refuse(Failure::dependency_failed);
  if (lineage.payload_bytes > kMaxRecordBytes) return refuse(Failure::rejected);
  auto shard = static_cast<std::uint32_t>(kernel::key_hash(lineage.key) % shards_);
  if (take_capacity(shard, lineage.payload_bytes)) {
    accept(lineage, shard);
    return e.reply_after(latency, caller, Failure::none);
  }
  // ProvisionedThroughputExceededException.
  if (e.measuring()) ++counts.write_throttled;
  e.series().add(series_throttled_, e.now(), 1);
  if (attempt >= static_cast<std::uint32_t>(config_->producer_retries.max_attempts)) return refuse(Failure::throttled);
  kernel::Handle h = pending_.allocate();
  pending_[h] = PendingPut{caller, lineage, attempt + 1};
  // The SDK backs off as a source's client does (retry_backoff.hpp), by the producer's policy.
  double delay = latency_ns + retry_backoff_ns(config_->producer_retries, attempt, rng_backoff_);
  e.schedule(e.now() + SimTime::from_ns_rounded(delay), route_, Event::timer, h.pack());
}

bool KinesisStream::take_capacity(std::uint32_t shard, double bytes) {
  auto& e = *engine_;
  if (on_demand_) {
    follow_peak();
    // One budget for the whole stream. A single partition key is still limited to one shard's
    // 1 MB/s and 1,000 records/s on a real on-demand stream; that per-key limit is not modelled.
    shard = 0;
  }
  TokenBucket& records = record_limit_[shard];
  TokenBucket& data = byte_limit_[shard];
  // A record takes from both limits or from neither (a bucket holds at least 1 MB, the largest
  // record, so every record can pass once the shard is quiet).
  if (records.tokens(e.now()) < 1 || data.tokens(e.now()) < bytes) return false;
  records.try_take(e.now(), 1);
  data.try_take(e.now(), bytes);
  if (on_demand_) {
    minute_records_ += 1;
    minute_bytes_ += bytes;
  }
  return true;
}

// On-demand capacity instantly handles up to twice the previous peak (aws-facts §4), up to the
// stream's ceiling: here the
// peak is the highest per-minute write rate seen so far, and the capacity never falls below a new
// stream's. A throttled stream therefore at most doubles its capacity each minute, which is how a
// sudden surge shows throttling for a few minutes before AWS has scaled.
void KinesisStream::follow_peak() {
  auto& e = *engine_;
  auto minute = static_cast<std::int64_t>(static_cast<double>(e.now().ns) / kMinuteNs);
  if (minute == minute_) return;
  peak_records_per_s_ = std::max(peak_records_per_s_, minute_records_ / 60);
  peak_bytes_per_s_ = std::max(peak_bytes_per_s_, minute_bytes_ / 60);
  minute_ = minute;
  minute_records_ = minute_bytes_ = 0;
  double records_rate =
      std::min(max_records_per_s_, std::max(kOnDemandShards * kShardRecordsPerSecond, 2 * peak_records_per_s_));
  double bytes_rate =
      std::min(max_bytes_per_s_, std::max(kOnDemandShards * kShardBytesPerSecond, 2 * peak_bytes_per_s_));
  // A grown bucket keeps its deficit: the new capacity is added, not a full bucket.
  auto grow = [&](TokenBucket& b, double& rate, double new_rate) {
    if (new_rate <= rate) return;
    double deficit = b.capacity() - b.tokens(e.now());
    b = TokenBucket(new_rate, new_rate);
    if (deficit > 0) b.try_take(e.now(), deficit);
    rate = new_rate;
  };
  double old_bytes_rate = on_demand_bytes_per_s_;
  grow(record_limit_[0], on_demand_records_per_s_, records_rate);
  grow(byte_limit_[0], on_demand_bytes_per_s_, bytes_rate);
  if (on_demand_bytes_per_s_ > old_bytes_rate) {  // reads follow: twice the writes
    double calls = kShardCallsPerSecond * on_demand_bytes_per_s_ / kShardBytesPerSecond;
    call_limit_[0].reshape(e.now(), calls, calls);
    read_limit_[0].reshape(e.now(), 2 * on_demand_bytes_per_s_, 2 * on_demand_bytes_per_s_);
  }
}

// The record is written: one copy per consumer (each reads every record), each a unit of work.
void KinesisStream::accept(engine::Lineage lineage, std::uint32_t shard) {
  auto& e = *engine_;
  // Lambda's recursive-loop detection does not follow a chain through a stream (aws-facts §1.5):
  // whoever reads the record starts a new chain.
  lineage.loops.clear();
  double bytes = lineage.payload_bytes;
  double usd = 0;
  if (table_stream_) {
    // written and billed by the table
  } else if (on_demand_) {
    double written = std::max(1.0, std::ceil(bytes / kOnDemandRoundBytes)) * kOnDemandRoundBytes;
    usd = written / kGB * price_gb_written_;
    if (e.measuring()) cost_written_usd += usd;
  } else {
    usd = std::max(1.0, std::ceil(bytes / kPutUnitBytes)) * price_put_unit_;
    if (e.measuring()) cost_put_units_usd += usd;
  }
  e.charge(lineage.source, usd);
  if (e.measuring()) {
    ++counts.incoming_records;
    ++counts.put_success;
    counts.incoming_bytes += bytes;
    ++records_by_source_[lineage.source];
  }
  e.series().add(series_incoming_, e.now(), 1);
  if (consumers_.empty()) {
    orphans_.push_back(e.new_message(lineage, component_));
    e.detach(orphans_.back());  // its readers are outside the model
    backlog.add(e.now(), 1);
    if (!orphan_timer_) {
      orphan_timer_ = true;
      e.schedule(e.now() + SimTime::from_ns_rounded(config_->retention_ns), route_, Event::timer, kOrphanSweep);
    }
    return;
  }
  // A poison_message fault marks the next record: new_message takes it for the first copy, and
  // every consumer's copy of that record is poison alike.
  bool poison = false;
  std::size_t n = consumers_.size();
  engine::Message copies[8];
  std::vector<engine::Message> many;
  engine::Message* out = copies;
  if (n > 8) {
    many.resize(n);
    out = many.data();
  }
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = e.new_message(lineage, component_);
    poison = poison || out[i].poison;
  }
  backlog.add(e.now(), static_cast<double>(n));
  for (std::size_t i = 0; i < n; ++i) {
    out[i].poison = poison;
    consumers_[i]->deliver(out[i], shard);
  }
}

void KinesisStream::on_timer(std::uint64_t payload) {
  if (payload == kOrphanSweep) return expire_orphans();
  kernel::Handle h = kernel::Handle::unpack(payload);
  if (!pending_.alive(h)) return;
  PendingPut p = pending_[h];
  pending_.release(h);
  attempt(p.caller, p.lineage, p.attempt);
}

// Copies no consumer reads end when they pass the stream's retention.
void KinesisStream::expire_orphans() {
  auto& e = *engine_;
  orphan_timer_ = false;
  while (!orphans_.empty() && static_cast<double>((e.now() - orphans_.front().created).ns) >= config_->retention_ns) {
    engine::Message m = orphans_.front();
    orphans_.pop_front();
    e.end_message(m, Failure::retention_expired);
    record_ended(Failure::retention_expired);
  }
  if (orphans_.empty()) return;
  orphan_timer_ = true;
  e.schedule(orphans_.front().created + SimTime::from_ns_rounded(config_->retention_ns), route_, Event::timer,
             kOrphanSweep);
}

void KinesisStream::record_ended(Failure outcome) {
  auto& e = *engine_;
  backlog.add(e.now(), -1);
  if (outcome == Failure::retention_expired && e.measuring()) ++failed[static_cast<std::size_t>(outcome)];
}

void KinesisStream::charge_read(const engine::Lineage& lineage) {
  if (!on_demand_) return;  // provisioned: reads are in the shard-hour
  auto& e = *engine_;
  double usd = lineage.payload_bytes / kGB * price_gb_read_;
  if (e.measuring()) cost_read_usd += usd;
  e.charge(lineage.source, usd);
}

SimTime KinesisStream::get_records_allowed(std::uint32_t shard) {
  auto& e = *engine_;
  if (table_stream_) return e.now();
  std::uint32_t i = on_demand_ ? 0 : shard;
  // A call needs a call of the second left, and the shard's reads not in debt.
  SimTime at = std::max(call_limit_[i].when(e.now(), 1), read_limit_[i].when(e.now(), 0));
  if (at > e.now()) {
    if (e.measuring()) ++counts.read_throttled;
    e.series().add(series_read_throttled_, e.now(), 1);
  }
  return at;
}

void KinesisStream::get_records(std::uint32_t shard, std::uint32_t records, double bytes) {
  auto& e = *engine_;
  if (!table_stream_) {
    std::uint32_t i = on_demand_ ? 0 : shard;
    call_limit_[i].take(e.now(), 1);
    read_limit_[i].take(e.now(), bytes);
  }
  if (e.measuring()) {
    ++counts.get_records_calls;
    counts.get_records_records += records;
    counts.get_records_bytes += bytes;
  }
  e.series().add(series_read_bytes_, e.now(), bytes);
}

// The standing charge (shard-hours, or the on-demand stream-hour) over the measured time,
// shared among the sources by the records they wrote.
void KinesisStream::finish_run() {
  auto& e = *engine_;
  backlog.finish(e.end());
  double hours = static_cast<double>((e.end() - e.warmup()).ns) / 3600e9;
  double standing;
  if (table_stream_) return;  // DynamoDB Streams: no standing charge for Lambda's reads
  if (on_demand_) standing = cost_stream_hours_usd = hours * price_stream_hour_;
  else standing = cost_shard_hours_usd = hours * shards_ * price_shard_hour_;
  e.charge_shared(standing, records_by_source_);
}

std::uint64_t KinesisStream::messages_in_flight() const {
  std::uint64_t n = orphans_.size();
  for (const auto* c : consumers_) n += c->records_in_flight();
  return n;
}

double KinesisStream::cost_usd() const {
  return cost_shard_hours_usd + cost_put_units_usd + cost_stream_hours_usd + cost_written_usd + cost_read_usd;
}

summary::Kinesis KinesisStream::summary() const {
  summary::Kinesis s;
  s.on_demand = on_demand_;
  s.shards = shards_;
  s.consumers = consumers_.size();
  summary::KinesisMetrics& m = s.metrics;
  static_cast<summary::KinesisCounts&>(m) = counts;
  m.backlog = metrics::mean_max(backlog);
  s.failed = metrics::failed(
      failed, {Failure::throttled, Failure::rejected, Failure::dependency_failed, Failure::retention_expired});
  if (on_demand_)
    s.cost_usd.parts = {
        {"stream_hours", cost_stream_hours_usd}, {"data_written", cost_written_usd}, {"data_read", cost_read_usd}};
  else s.cost_usd.parts = {{"shard_hours", cost_shard_hours_usd}, {"put_units", cost_put_units_usd}};
  s.cost_usd.total = cost_usd();
  return s;
}

}  // namespace sluice::components
