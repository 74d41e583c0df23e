// A DynamoDB table (aws-facts §5) and the function steps that call one: read, write, query and
// transact_write. Each default cites aws-facts §5 or is an assumption named in
// docs/assumptions.md ("DynamoDB (loader assumptions)").
#include <algorithm>

#include <fmt/format.h>

#include "model/dynamodb_reader.hpp"
#include "model/readers.hpp"
#include "model/spec_input.hpp"
#include "model/suggest.hpp"

namespace sluice::model {
namespace {

// The per-table throughput quota (40,000 read and 40,000 write request units by default,
// aws-facts §5 S-D2; adjustable) is the account's: account.dynamodb_table_quota.
// A new on-demand table sustains 12,000 RRU/s and 4,000 WRU/s at once (aws-facts §5 S-D2).
constexpr std::int64_t kNewTableReads = 12000, kNewTableWrites = 4000;
// DynamoDB's item size limit, 400 KB (AWS's documentation; not in aws-facts.md).
constexpr double kMaxItemBytes = 400.0 * 1024;
// Per call: a Query page 1 MB, BatchGetItem 16 MB, TransactWriteItems 4 MB in all (AWS's
// documentation; not in aws-facts.md).
constexpr double kQueryPageBytes = 1024.0 * 1024, kBatchGetBytes = 16 * 1024.0 * 1024,
                 kTransactBytes = 4 * 1024.0 * 1024;
// sluice's bound on table_size (keeps the partition count in the thousands).
constexpr double kMaxTableBytes = 100 * 1024.0 * 1024 * 1024 * 1024;

// Provisioned capacity in units per second: a whole number 1..the per-table quota.
double read_capacity_units(const MapReader& m, const std::string& key, const char* what, std::int64_t kTableQuota) {
  std::int64_t v = read_integer(m.ctx(), m.at(key), m.path_of(key), INT64_MIN, INT64_MAX);
  if (v < 1 || v > kTableQuota)
    m.fail(key, fmt::format("{} is out of range: allowed 1..{} {} per second (the per-table quota, aws-facts §5)", v,
                            kTableQuota, what));
  return static_cast<double>(v);
}

// The SDK's retry modes (aws-facts §5, "AWS SDK retry behaviour").
RetryPolicy standard_retries() {
  // Standard mode: 3 attempts in all, base 100 ms, cap 20 s, full jitter (S-R1, S-R2).
  RetryPolicy p;
  p.max_attempts = 3;
  p.base_ns = 100e6;
  p.cap_ns = 20e9;
  p.jitter = RetryPolicy::Jitter::full;
  return p;
}
RetryPolicy legacy_retries() {
  // The legacy DynamoDB policy of the Java SDK v1: 10 retries (11 attempts), base 25 ms, cap
  // 20 s, full jitter (S-R4).
  RetryPolicy p;
  p.max_attempts = 11;
  p.base_ns = 25e6;
  p.cap_ns = 20e9;
  p.jitter = RetryPolicy::Jitter::full;
  return p;
}

// The largest value a size distribution takes: bounded forms exactly, unbounded ones by their mean.
double largest(const Distribution& d) {
  switch (d.kind) {
    case Distribution::Kind::constant:
      return d.a;
    case Distribution::Kind::uniform:
      return d.b;
    case Distribution::Kind::empirical:
      return *std::max_element(d.values.begin(), d.values.end());
    default:
      return d.mean();
  }
}
// The smallest, likewise (exponential and lognormal samples are always above zero).
double smallest(const Distribution& d) {
  switch (d.kind) {
    case Distribution::Kind::constant:
      return d.a;
    case Distribution::Kind::uniform:
      return d.a;
    case Distribution::Kind::empirical:
      return *std::min_element(d.values.begin(), d.values.end());
    case Distribution::Kind::normal:
      return d.mean();
    default:
      return 1;
  }
}

DynamoDbSpec read_dynamodb(const LoadContext& ctx, const YAML::Node& node, const std::string& path,
                           double table_quota) {
  const auto kTableQuota = static_cast<std::int64_t>(table_quota);
  MapReader m(ctx, node, path,
              {"type", "mode", "read_capacity", "write_capacity", "autoscaling", "warm_throughput", "table_size",
               "latency", "sdk_retries", "stream"});
  DynamoDbSpec t;
  // DynamoDB Streams: every item written becomes a stream record, kept 24 h (aws-facts §5).
  t.stream = m.boolean_or("stream", false);
  // Capacity mode: provisioned (the default, as in CreateTable) or on-demand (aws-facts §5).
  t.mode = m.choice_or("mode", {"provisioned", "on_demand"}, "provisioned") == "on_demand"
               ? DynamoDbSpec::Mode::on_demand
               : DynamoDbSpec::Mode::provisioned;
  if (t.mode == DynamoDbSpec::Mode::provisioned) {
    // Provisioned capacity has no default here: it decides throttling and cost, so it is written out.
    for (const char* key : {"read_capacity", "write_capacity"})
      if (!m.has(key))
        ctx.fail(node, m.path_of(key),
                 fmt::format("a provisioned table needs {}: (capacity units per second, 1..{}); or write mode: "
                             "on_demand to let AWS follow the traffic",
                             key, kTableQuota));
    t.read_capacity = read_capacity_units(m, "read_capacity", "RCU", kTableQuota);
    t.write_capacity = read_capacity_units(m, "write_capacity", "WCU", kTableQuota);
    if (m.has("autoscaling")) {
      // Target tracking (aws-facts §5 S-D1): target utilization 20%..90%, console default 70% (S-D5).
      MapReader a(ctx, m.at("autoscaling"), m.path_of("autoscaling"), {"min", "max", "target"});
      AutoscalingSpec s;
      for (const char* key : {"min", "max"}) {
        std::int64_t v = read_integer(ctx, a.at(key), a.path_of(key), INT64_MIN, INT64_MAX);
        if (v < 1 || v > kTableQuota)
          a.fail(key, fmt::format("{} is out of range: allowed 1..{} capacity units per second (the per-table "
                                  "quota, aws-facts §5)",
                                  v, kTableQuota));
        (std::string(key) == "min" ? s.min_units : s.max_units) = static_cast<double>(v);
      }
      if (s.min_units > s.max_units)
        a.fail("max", fmt::format("max ({:g}) must not be below min ({:g})", s.max_units, s.min_units));
      s.target = a.quantity_or("target", Quantity::fraction, 0.7);
      if (s.target < 0.2 || s.target > 0.9)
        a.fail("target", fmt::format("{} is out of range: a target utilization is 20%..90% (aws-facts §5)",
                                     show_percent(s.target)));
      t.autoscaling = s;
    }
    if (m.has("warm_throughput"))
      m.fail("warm_throughput",
             "warm_throughput applies to on-demand tables only: a provisioned table sustains its read_capacity and "
             "write_capacity (with burst capacity, aws-facts §5); leave warm_throughput out or use mode: on_demand");
  } else {
    for (const char* key : {"read_capacity", "write_capacity", "autoscaling"})
      if (m.has(key))
        m.fail(key, fmt::format("on-demand tables have no provisioned capacity: AWS serves up to twice the previous "
                                "peak at once (aws-facts §5), so '{}' does not apply; leave it out or use mode: "
                                "provisioned (set warm_throughput for what the table sustains from the start)",
                                key));
    // Warm throughput: what the table sustains at once. A new table: 12,000 RRU/s and 4,000
    // WRU/s (aws-facts §5 S-D2); set in advance, up to the per-table quota.
    if (m.has("warm_throughput")) {
      MapReader w(ctx, m.at("warm_throughput"), m.path_of("warm_throughput"), {"read", "write"});
      auto units = [&](const char* key, std::int64_t new_table, const char* what) {
        std::int64_t floor = std::min(new_table, kTableQuota);  // a quota lowered below a new table's
        if (!w.has(key)) return static_cast<double>(floor);
        std::int64_t v = read_integer(ctx, w.at(key), w.path_of(key), INT64_MIN, INT64_MAX);
        if (v < floor || v > kTableQuota)
          w.fail(key, fmt::format("{} is out of range: allowed {}..{} {} per second (a new on-demand table already "
                                  "sustains {}; the per-table quota is {}, aws-facts §5)",
                                  v, floor, kTableQuota, what, floor, kTableQuota));
        return static_cast<double>(v);
      };
      t.warm_read_units = units("read", kNewTableReads, "RRU");
      t.warm_write_units = units("write", kNewTableWrites, "WRU");
    } else {
      t.warm_read_units = static_cast<double>(std::min(kNewTableReads, kTableQuota));
      t.warm_write_units = static_cast<double>(std::min(kNewTableWrites, kTableQuota));
    }
  }
  // The data the table holds (with its capacity, it decides the partitions); default: empty.
  t.table_size_bytes = m.quantity_or("table_size", Quantity::size, 0);
  m.check_range("table_size", t.table_size_bytes, 0, kMaxTableBytes, show_size);
  // Per request: lognormal, median 5 ms, p99 20 ms ("single-digit millisecond", aws-facts §5;
  // the shape is an assumption).
  t.latency = m.distribution_or("latency", Quantity::duration, lognormal_median_p99(5e6, 20e6));
  // The callers' SDK: standard mode by default; legacy: the DynamoDB policy of old SDKs.
  // Explicit keys override the mode's values.
  t.sdk_retries = standard_retries();
  if (m.has("sdk_retries")) {
    YAML::Node r = m.at("sdk_retries");
    std::string r_path = m.path_of("sdk_retries");
    MapReader modes(ctx, r, r_path, {"mode", "max_attempts", "base", "cap", "jitter"});
    RetryPolicy base =
        modes.choice_or("mode", {"standard", "legacy"}, "standard") == "legacy" ? legacy_retries() : standard_retries();
    t.sdk_retries = read_retry_policy(ctx, r, r_path, base, {"mode"});
  }
  return t;
}

}  // namespace

void read_table_step(const LoadContext& ctx, const YAML::Node& node, const std::string& path, const std::string& kind,
                     Step& s) {
  MapReader r(ctx, node, path, {kind, "items", "item_size", "consistent"});
  struct Operation {
    const char* key;
    Step::Kind kind;
    std::int64_t max_items;
    const char* why;   // the rule behind max_items
    double max_bytes;  // per call, items x item size
    const char* call;  // the API call that has that limit
  };
  static const Operation operations[] = {
      {"read", Step::Kind::read, 100, "BatchGetItem reads at most 100 items per call", kBatchGetBytes,
       "a BatchGetItem call returns"},
      {"write", Step::Kind::write, 25, "BatchWriteItem writes at most 25 items per call", 0, ""},
      {"query", Step::Kind::query, 10000, "sluice's bound; a query page also holds at most 1MB", kQueryPageBytes,
       "a query returns"},
      {"transact_write", Step::Kind::transact_write, 100, "TransactWriteItems takes at most 100 items per call",
       kTransactBytes, "a TransactWriteItems call writes"},
  };
  const Operation* op = nullptr;
  for (const auto& o : operations)
    if (kind == o.key) op = &o;
  s.kind = op->kind;
  s.target = r.string(kind);
  if (r.has("items")) {
    std::int64_t v = read_integer(ctx, r.at("items"), r.path_of("items"), INT64_MIN, INT64_MAX);
    if (v < 1 || v > op->max_items)
      r.fail("items", fmt::format("{} is out of range: allowed 1..{} ({})", v, op->max_items, op->why));
    s.items = static_cast<int>(v);
  }
  // Each item's size: default 1 KB (one write unit, a quarter of a read unit: an assumption);
  // at most 400 KB, DynamoDB's item size limit.
  s.item_size = r.distribution_or("item_size", Quantity::size, Distribution::constant(1024));
  double low = smallest(s.item_size), high = largest(s.item_size);
  if (low <= 0) r.fail("item_size", fmt::format("an item's size must be above zero; got {}", show_size(low)));
  if (high > kMaxItemBytes)
    r.fail("item_size", fmt::format("{} is above the maximum of {} (DynamoDB's item size limit)", show_size(high),
                                    show_size(kMaxItemBytes)));
  if (op->max_bytes > 0 && s.items * high > op->max_bytes)
    r.fail(r.has("items") ? "items" : "item_size",
           fmt::format("{} at most {} per call, but {} items of {} are {} (fewer items or smaller ones)", op->call,
                       show_size(op->max_bytes), s.items, show_size(high), show_size(s.items * high)));
  // Strongly consistent reads (read and query only); eventually consistent by default.
  if (r.has("consistent") && s.kind != Step::Kind::read && s.kind != Step::Kind::query)
    r.fail("consistent",
           fmt::format("'consistent' applies to read and query steps only: {} {} step has no eventually consistent "
                       "form",
                       article(kind), kind));
  s.consistent = r.boolean_or("consistent", false);
}

void check_tables(const LoadContext& ctx, const YAML::Node& root, ModelSpec& m) {
  for (const auto& c : m.components) {
    const auto* t = std::get_if<DynamoDbSpec>(&c.config);
    if (!t || !t->autoscaling) continue;
    // Registering a scalable target brings a capacity outside [min, max] into the range (an
    // assumption: AWS's documentation, not aws-facts.md); one autoscaling: range applies to
    // reads and writes alike, so a capacity outside it is a warning, not an error.
    const AutoscalingSpec& a = *t->autoscaling;
    for (const char* key : {"read_capacity", "write_capacity"}) {
      double v = std::string(key) == "read_capacity" ? t->read_capacity : t->write_capacity;
      if (v >= a.min_units && v <= a.max_units) continue;
      std::string path = "components." + c.name + "." + key;
      m.warnings.push_back(Warning{
          ctx.locate(root["components"][c.name][key], path), path,
          fmt::format("{} {:g} is outside the auto scaling range {:g}..{:g}: auto scaling sets it to {:g} at the "
                      "start (autoscaling: min and max apply to reads and writes alike)",
                      key, v, a.min_units, a.max_units, std::clamp(v, a.min_units, a.max_units))});
    }
  }
}

}  // namespace sluice::model

namespace sluice {

DynamoDbSpec DynamoDbSpec::read(const model::SpecInput& in) {
  return model::read_dynamodb(in.ctx, in.node, in.path, in.account.dynamodb_table_quota_units);
}

// A table names no other component: functions call it, and a trigger polls its stream.
std::vector<ComponentLink> DynamoDbSpec::links() const { return {}; }

std::string DynamoDbSpec::unpolled_warning() const {
  if (!stream) return "";
  return "nothing reads this table's stream (no function has a trigger on it): its records expire after "
         "24h (aws-facts §5); leave stream: true out if nothing is meant to read it";
}

}  // namespace sluice
