#include "model/yaml_reader.hpp"

#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "kernel/sampling.hpp"
#include "model/suggest.hpp"
#include "sluice/units.hpp"

namespace sluice::model {
namespace {

bool path_is_under(const std::string& path, const std::string& prefix) {
  return path == prefix ||
         (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 && path[prefix.size()] == '.');
}

const char* expected_form(Quantity q) {
  switch (q) {
    case Quantity::duration:
      return "a duration with a unit, like 250ms, 1.5s, 10m or 2h";
    case Quantity::size:
      return "a size with a unit, like 512B, 1KB, 512MB or 2GB";
    case Quantity::rate:
      return "a rate like 100/s, 6000/min or 1M/day";
    case Quantity::fraction:
      return "a fraction like 0.5%, 70% or a number in [0, 1]";
  }
  return "";
}

std::optional<double> parse(Quantity q, std::string_view text) {
  switch (q) {
    case Quantity::duration:
      return units::parse_duration_ns(text);
    case Quantity::size:
      return units::parse_size_bytes(text);
    case Quantity::rate:
      return units::parse_rate_per_s(text);
    case Quantity::fraction:
      return units::parse_fraction(text);
  }
  return std::nullopt;
}

units::QuantityKind kind_of(Quantity q) {
  switch (q) {
    case Quantity::duration:
      return units::QuantityKind::duration;
    case Quantity::size:
      return units::QuantityKind::size;
    case Quantity::rate:
      return units::QuantityKind::rate;
    case Quantity::fraction:
      return units::QuantityKind::fraction;
  }
  return units::QuantityKind::duration;
}

const char* noun(Quantity q) {
  switch (q) {
    case Quantity::duration:
      return "a duration";
    case Quantity::size:
      return "a size";
    case Quantity::rate:
      return "a rate";
    case Quantity::fraction:
      return "a fraction";
  }
  return "";
}

// What is wrong with a text the quantity's parser refused, as the end of a message.
std::string refusal_problem(Quantity q, const std::string& text) {
  using Reason = units::Refusal::Reason;
  units::Refusal r = units::why_refused(text, kind_of(q));
  switch (r.reason) {
    case Reason::negative:
      return fmt::format("{} must not be negative; got {}", noun(q), quote(text));
    case Reason::too_large:
      if (q == Quantity::duration) return fmt::format("{} is too large: {}", quote(text), kLongestDurationRule);
      if (q == Quantity::fraction)
        return fmt::format("{} is too large: a fraction is at most 100% (or 1)", quote(text));
      return fmt::format("{} is too large for {}", quote(text), noun(q));
    case Reason::unit_case:
      return fmt::format("expected {}; got {} (units are case-sensitive: did you mean {}?)", expected_form(q),
                         quote(text), r.meant);
    case Reason::bare_number:
      return fmt::format("expected {}; got {} (a bare number has no unit: write it with one)", expected_form(q),
                         quote(text));
    case Reason::accepted:
    case Reason::malformed:
      break;
  }
  return fmt::format("expected {}; got {}", expected_form(q), quote(text));
}

}  // namespace

SourceLocation LoadContext::locate(const YAML::Node& node, const std::string& path) const {
  for (const auto& o : overrides) {
    if (path_is_under(path, o.key_path))
      return SourceLocation{"--set " + shorten(o.key_path) + "=" + shorten(o.value), 0, 0};
  }
  SourceLocation where{file, 0, 0};
  if (node.IsDefined()) {
    YAML::Mark m = node.Mark();
    if (m.line >= 0) {
      where.line = m.line + 1;
      where.column = m.column + 1;
    }
  }
  return where;
}

void LoadContext::fail(const YAML::Node& node, const std::string& path, const std::string& problem) const {
  throw ModelError(locate(node, path), path, problem);
}

std::string describe_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Undefined:
      return "nothing";
    case YAML::NodeType::Scalar:
      return quote(node.Scalar());
  }
  return "something else";
}

std::string scalar_text(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar()) ctx.fail(node, path, "expected a single value, got " + describe_kind(node));
  return node.Scalar();
}

double read_quantity(const LoadContext& ctx, const YAML::Node& node, const std::string& path, Quantity q) {
  if (!node.IsScalar()) ctx.fail(node, path, fmt::format("expected {}; got {}", expected_form(q), describe_kind(node)));
  const std::string& text = node.Scalar();
  auto value = parse(q, text);
  if (!value) ctx.fail(node, path, refusal_problem(q, text));
  // Longer than any run: never meant, and a sum of such durations would overflow the clock.
  if (q == Quantity::duration && *value > kLongestDurationNs)
    ctx.fail(node, path, fmt::format("{} is too large: {}", quote(text), kLongestDurationRule));
  return *value;
}

double read_number(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  std::string text = scalar_text(ctx, node, path);
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  bool whole_text = ptr == text.data() + text.size();
  if (whole_text && (ec == std::errc::result_out_of_range || (ec == std::errc() && std::isinf(v))))
    ctx.fail(node, path, fmt::format("{} is too large", quote(text)));
  if (ec != std::errc() || !whole_text || !std::isfinite(v))
    ctx.fail(node, path, fmt::format("expected a number; got {}", quote(text)));
  return v;
}

std::int64_t read_integer(const LoadContext& ctx, const YAML::Node& node, const std::string& path, std::int64_t min,
                          std::int64_t max) {
  std::string text = scalar_text(ctx, node, path);
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  bool whole_text = ptr == text.data() + text.size();
  bool negative = !text.empty() && text.front() == '-';
  if (whole_text && ec == std::errc::result_out_of_range)  // a whole number, beyond 64 bits
    ctx.fail(node, path,
             negative && min >= 0 ? fmt::format("{} must not be negative (allowed {}..{})", shorten(text), min, max)
                                  : fmt::format("{} is out of range: allowed {}..{}", shorten(text), min, max));
  if (ec != std::errc() || !whole_text)
    ctx.fail(node, path, fmt::format("expected a whole number; got {}", quote(text)));
  if (v < 0 && min >= 0) ctx.fail(node, path, fmt::format("{} must not be negative (allowed {}..{})", v, min, max));
  if (v < min || v > max) ctx.fail(node, path, fmt::format("{} is out of range: allowed {}..{}", v, min, max));
  return v;
}

bool read_bool(const LoadContext& ctx, const YAML::Node& node, const std::string& path) {
  std::string text = scalar_text(ctx, node, path);
  if (text == "true") return true;
  if (text == "false") return false;
  ctx.fail(node, path, fmt::format("expected true or false; got {}", quote(text)));
}

std::string read_choice(const LoadContext& ctx, const YAML::Node& node, const std::string& path,
                        const std::vector<std::string>& choices) {
  std::string text = scalar_text(ctx, node, path);
  for (const auto& c : choices)
    if (c == text) return text;
  ctx.fail(node, path, fmt::format("{} is not one of: {}{}", quote(text), join(choices), did_you_mean(text, choices)));
}

Distribution read_distribution(const LoadContext& ctx, const YAML::Node& node, const std::string& path, Quantity q) {
  if (!node.IsMap()) return Distribution::constant(read_quantity(ctx, node, path, q));
  static const std::vector<std::string> kinds{"constant", "exponential", "lognormal", "normal", "uniform", "empirical"};
  if (!node["distribution"]) ctx.fail(node, path, "a distribution needs 'distribution:' (one of " + join(kinds) + ")");
  std::string kind = read_choice(ctx, node["distribution"], path + ".distribution", kinds);
  Distribution d;
  if (kind == "constant") {
    MapReader r(ctx, node, path, {"distribution", "value"});
    d = Distribution::constant(r.quantity("value", q));
  } else if (kind == "exponential") {
    MapReader r(ctx, node, path, {"distribution", "mean"});
    d = {Distribution::Kind::exponential, r.quantity("mean", q), 0, {}};
    if (d.a <= 0) r.fail("mean", "the mean of an exponential distribution must be above zero");
  } else if (kind == "lognormal") {
    MapReader r(ctx, node, path, {"distribution", "median", "p99"});
    double median = r.quantity("median", q), p99 = r.quantity("p99", q);
    if (median <= 0) r.fail("median", "the median of a lognormal distribution must be above zero");
    if (p99 <= median) r.fail("p99", "p99 must be above the median");
    auto p = kernel::lognormal_from_median_p99(median, p99);
    d = {Distribution::Kind::lognormal, p.mu, p.sigma, {}};
  } else if (kind == "normal") {
    MapReader r(ctx, node, path, {"distribution", "mean", "sd"});
    d = {Distribution::Kind::normal, r.quantity("mean", q), r.quantity("sd", q), {}};
    if (d.b <= 0) r.fail("sd", "the standard deviation must be above zero");
  } else if (kind == "uniform") {
    MapReader r(ctx, node, path, {"distribution", "min", "max"});
    d = {Distribution::Kind::uniform, r.quantity("min", q), r.quantity("max", q), {}};
    if (d.b < d.a) r.fail("max", "max must not be below min");
  } else {
    MapReader r(ctx, node, path, {"distribution", "values"});
    YAML::Node values = r.at("values");
    if (!values.IsSequence() || values.size() == 0)
      r.fail("values", "expected a non-empty list of values, got " +
                           (values.IsSequence() ? std::string("an empty list") : describe_kind(values)));
    d.kind = Distribution::Kind::empirical;
    for (std::size_t i = 0; i < values.size(); ++i)
      d.values.push_back(read_quantity(ctx, values[i], fmt::format("{}.values.{}", path, i), q));
  }
  return d;
}

MapReader::MapReader(const LoadContext& ctx, const YAML::Node& node, std::string path, std::vector<std::string> allowed)
    : ctx_(ctx), node_(node), path_(std::move(path)) {
  if (!node_.IsMap()) ctx_.fail(node_, path_, "expected a mapping of keys, got " + describe_kind(node_));
  std::set<std::string> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    YAML::Node key = it->first;  // a copy: it-> yields a temporary proxy
    std::string name = key.IsScalar() ? key.Scalar() : describe_kind(key);
    std::string key_path = path_.empty() ? shorten(name) : path_ + "." + shorten(name);
    if (!seen.insert(name).second) ctx_.fail(key, key_path, fmt::format("the key {} appears twice", quote(name)));
    bool known = false;
    for (const auto& a : allowed) known = known || a == name;
    if (!known)
      ctx_.fail(
          key, key_path,
          fmt::format("unknown key {}{}; allowed here: {}", quote(name), did_you_mean(name, allowed), join(allowed)));
  }
}

// A key written with nothing after its colon is an error, never a silent default.
bool MapReader::has(const std::string& key) const {
  YAML::Node v = node_[key];
  if (!v.IsDefined()) return false;
  if (v.IsNull()) at(key);
  return true;
}

std::string MapReader::path_of(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

YAML::Node MapReader::at(const std::string& key) const {
  YAML::Node v = node_[key];
  if (!v.IsDefined() || v.IsNull()) {
    for (auto it = node_.begin(); it != node_.end(); ++it)    // written, but with nothing after the colon:
      if (it->first.IsScalar() && it->first.Scalar() == key)  // point at the key (a null value has no position)
        ctx_.fail(it->first, path_of(key), fmt::format("the key '{}' has no value", key));
    ctx_.fail(node_, path_of(key), fmt::format("the key '{}' is required here", key));
  }
  return node_[key];
}

void MapReader::fail(const std::string& key, const std::string& problem) const {
  YAML::Node v = node_[key];
  ctx_.fail(v.IsDefined() ? v : node_, path_of(key), problem);
}

double MapReader::quantity(const std::string& key, Quantity q) const {
  return read_quantity(ctx_, at(key), path_of(key), q);
}
double MapReader::quantity_or(const std::string& key, Quantity q, double fallback) const {
  return has(key) ? quantity(key, q) : fallback;
}
Distribution MapReader::distribution(const std::string& key, Quantity q) const {
  return read_distribution(ctx_, at(key), path_of(key), q);
}
Distribution MapReader::distribution_or(const std::string& key, Quantity q, Distribution fallback) const {
  return has(key) ? distribution(key, q) : fallback;
}
std::int64_t MapReader::integer(const std::string& key, std::int64_t min, std::int64_t max) const {
  return read_integer(ctx_, at(key), path_of(key), min, max);
}
std::int64_t MapReader::integer_or(const std::string& key, std::int64_t min, std::int64_t max,
                                   std::int64_t fallback) const {
  return has(key) ? integer(key, min, max) : fallback;
}
std::string MapReader::string(const std::string& key) const { return scalar_text(ctx_, at(key), path_of(key)); }
std::string MapReader::string_or(const std::string& key, const std::string& fallback) const {
  return has(key) ? string(key) : fallback;
}
std::string MapReader::choice_or(const std::string& key, const std::vector<std::string>& choices,
                                 const std::string& fallback) const {
  return has(key) ? read_choice(ctx_, at(key), path_of(key), choices) : fallback;
}
bool MapReader::boolean_or(const std::string& key, bool fallback) const {
  return has(key) ? read_bool(ctx_, at(key), path_of(key)) : fallback;
}

void MapReader::check_range(const std::string& key, double value, double min, double max,
                            std::string (*shown)(double)) const {
  if (value < min) fail(key, fmt::format("{} is below the minimum of {}", shown(value), shown(min)));
  if (value > max) fail(key, fmt::format("{} is above the maximum of {}", shown(value), shown(max)));
}

std::string show_duration(double ns) { return units::format_duration_ns(ns); }
std::string show_size(double bytes) { return units::format_size_bytes(bytes); }
std::string show_number(double v) { return fmt::format("{:g}", v); }
std::string show_percent(double fraction) { return fmt::format("{:g}%", fraction * 100); }

}  // namespace sluice::model
