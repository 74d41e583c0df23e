#include <fmt/format.h>

#include "model/price_table_reader.hpp"
#include "model/readers.hpp"

namespace sluice::model {

RunSpec read_run(const MapReader& root) {
  RunSpec run;
  if (!root.has("run")) return run;
  MapReader r(root.ctx(), root.at("run"), "run", {"duration", "warmup", "seed", "bucket", "budget"});
  run.duration_ns = r.quantity_or("duration", Quantity::duration, run.duration_ns);
  r.check_range("duration", run.duration_ns, 1e6, kLongestDurationNs, show_duration);
  run.warmup_ns = r.quantity_or("warmup", Quantity::duration, 0);
  // Say how to fix it from the command line too: a run shortened with --set keeps the warm-up.
  if (run.warmup_ns >= run.duration_ns)
    r.fail("warmup", fmt::format("the warm-up ({}) must be shorter than the run ({}): shorten it, e.g. --set "
                                 "run.warmup={} (a tenth of the run) or --set run.warmup=0s, or lengthen the run",
                                 show_duration(run.warmup_ns), show_duration(run.duration_ns),
                                 show_duration(run.duration_ns / 10)));
  run.seed = static_cast<std::uint64_t>(r.integer_or("seed", 0, INT64_MAX, 1));
  run.bucket_ns = r.quantity_or("bucket", Quantity::duration, std::min(60e9, run.duration_ns));
  r.check_range("bucket", run.bucket_ns, 1e6, run.duration_ns, show_duration);
  if (run.duration_ns / run.bucket_ns > 1e6)
    r.fail("bucket", "more than a million time-series buckets: choose a coarser bucket");
  if (r.has("budget")) {
    MapReader b(r.ctx(), r.at("budget"), "run.budget", {"events", "in_flight", "wall", "memory"});
    run.budget.max_events = static_cast<std::uint64_t>(b.integer_or("events", 1, INT64_MAX, 2'000'000'000));
    run.budget.max_in_flight = static_cast<std::uint64_t>(b.integer_or("in_flight", 1, INT64_MAX, 2'000'000));
    run.budget.max_wall_s = b.quantity_or("wall", Quantity::duration, 0) / 1e9;
    run.budget.max_memory_bytes = b.quantity_or("memory", Quantity::size, run.budget.max_memory_bytes);
    b.check_range("memory", run.budget.max_memory_bytes, 1024.0 * 1024, 1024.0 * 1024 * 1024 * 1024, show_size);
  }
  return run;
}

AccountSpec read_account(const MapReader& root) {
  AccountSpec account;
  if (!root.has("account")) {
    account.prices = default_prices();
    return account;
  }
  MapReader r(
      root.ctx(), root.at("account"), "account",
      {"concurrency_limit", "scaling", "api_gateway_throttle", "sns_publish_rate", "sqs_fifo_high_throughput_rate",
       "dynamodb_table_quota", "kinesis_on_demand_write", "pricing", "prices"});
  account.concurrency_limit = static_cast<int>(r.integer_or("concurrency_limit", 100, 10'000'000, 1000));
  if (r.has("scaling")) {
    MapReader s(r.ctx(), r.at("scaling"), "account.scaling", {"environments", "per"});
    account.scaling_environments = static_cast<double>(s.integer_or("environments", 1, 10'000'000, 1000));
    account.scaling_period_ns = s.quantity_or("per", Quantity::duration, 10e9);
    s.check_range("per", account.scaling_period_ns, 1e6, 3600e9, show_duration);
  }
  if (r.has("api_gateway_throttle")) {
    MapReader t(r.ctx(), r.at("api_gateway_throttle"), "account.api_gateway_throttle", {"rate", "burst"});
    account.api_throttle_rate_per_s = t.quantity_or("rate", Quantity::rate, account.api_throttle_rate_per_s);
    t.check_range("rate", account.api_throttle_rate_per_s, 0.001, 1e8, show_number);
    account.api_throttle_burst = static_cast<double>(t.integer_or("burst", 1, 100'000'000, 5000));
  }
  // Regional default quotas (us-east-1 by default), for a model of another Region or an account
  // whose quota was raised.
  account.sns_publish_rate_per_s = r.quantity_or("sns_publish_rate", Quantity::rate, account.sns_publish_rate_per_s);
  r.check_range("sns_publish_rate", account.sns_publish_rate_per_s, 0.001, 1e8, show_number);
  account.sqs_fifo_high_throughput_per_s =
      r.quantity_or("sqs_fifo_high_throughput_rate", Quantity::rate, account.sqs_fifo_high_throughput_per_s);
  r.check_range("sqs_fifo_high_throughput_rate", account.sqs_fifo_high_throughput_per_s, 0.001, 1e8, show_number);
  account.dynamodb_table_quota_units = static_cast<double>(r.integer_or("dynamodb_table_quota", 1, 10'000'000, 40000));
  if (r.has("kinesis_on_demand_write")) {
    MapReader k(r.ctx(), r.at("kinesis_on_demand_write"), "account.kinesis_on_demand_write", {"size", "per"});
    double bytes = k.quantity_or("size", Quantity::size, account.kinesis_on_demand_write_bytes_per_s);
    k.check_range("size", bytes, 1024.0 * 1024, 1e15, show_size);
    double per_ns = k.quantity_or("per", Quantity::duration, 1e9);
    k.check_range("per", per_ns, 1e6, 3600e9, show_duration);
    account.kinesis_on_demand_write_bytes_per_s = bytes / (per_ns * 1e-9);
  }
  account.prices = read_prices(root.ctx(), r);
  return account;
}

RetryPolicy read_retry_policy(const LoadContext& ctx, const YAML::Node& node, const std::string& path,
                              const RetryPolicy& defaults, const std::vector<std::string>& also_allowed) {
  std::vector<std::string> keys{"max_attempts", "base", "cap", "jitter"};
  keys.insert(keys.end(), also_allowed.begin(), also_allowed.end());
  MapReader r(ctx, node, path, keys);
  RetryPolicy p = defaults;
  p.max_attempts = static_cast<int>(r.integer_or("max_attempts", 1, 100, p.max_attempts));
  p.base_ns = r.quantity_or("base", Quantity::duration, p.base_ns);
  p.cap_ns = r.quantity_or("cap", Quantity::duration, p.cap_ns);
  if (p.cap_ns < p.base_ns) r.fail("cap", "the cap must not be below the base delay");
  const char* jitter_default = p.jitter == RetryPolicy::Jitter::full    ? "full"
                               : p.jitter == RetryPolicy::Jitter::equal ? "equal"
                                                                        : "none";
  std::string jitter = r.choice_or("jitter", {"full", "equal", "none"}, jitter_default);
  p.jitter = jitter == "full"    ? RetryPolicy::Jitter::full
             : jitter == "equal" ? RetryPolicy::Jitter::equal
                                 : RetryPolicy::Jitter::none;
  return p;
}

}  // namespace sluice::model
