// The grid of a sweep: "key=512MB,1GB" lists and "key=100/s..500/s:5" ranges (sweep.hpp), and
// their cartesian product.
#include <charconv>
#include <cmath>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "model/suggest.hpp"
#include "sluice/sweep.hpp"
#include "sluice/units.hpp"

namespace sluice {
namespace {

constexpr std::string_view kExample = "components.f.memory=512MB,1GB or sources.s.arrivals.rate=100/s..500/s:5";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The items of a comma-separated list; a comma inside {}, [] or quotes belongs to its item
// (a value may be YAML: {on_failure: dlq, max_retries: 1}).
std::vector<std::string_view> split_items(std::string_view text) {
  std::vector<std::string_view> items;
  int depth = 0;
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    } else if (c == ',' && depth == 0) {
      items.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  items.push_back(trim(text.substr(start)));
  return items;
}

// A number or quantity of a range's kind, in its base unit (ns, bytes, per second, fraction).
using Parser = std::function<std::optional<double>(std::string_view)>;

std::optional<double> plain_number(std::string_view text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// A percentage only with its '%': a plain number is a plain number.
std::optional<double> percentage(std::string_view text) {
  if (text.find('%') == std::string_view::npos) return std::nullopt;
  return units::parse_fraction(text);
}

struct Kind {
  const char* name;
  Parser parse;
};

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> all{{"number", plain_number},
                                     {"duration", units::parse_duration_ns},
                                     {"size", units::parse_size_bytes},
                                     {"rate", units::parse_rate_per_s},
                                     {"percentage", percentage}};
  return all;
}

// The unit LO is written in: what follows its number ("100/s" -> "/s", "1.5GB" -> "GB").
std::string unit_of(std::string_view text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc()) return "";
  return std::string(trim(std::string_view(end, static_cast<std::size_t>(text.data() + text.size() - end))));
}

// An item is a range when it has the shape LO..HI:N or LO..HI:+STEP; then its values.
std::optional<std::vector<std::string>> expand_range(std::string_view item, const SourceLocation& where) {
  auto dots = item.find("..");
  if (dots == std::string_view::npos) return std::nullopt;
  auto colon = item.rfind(':');
  if (colon == std::string_view::npos || colon < dots + 2) return std::nullopt;
  std::string_view lo_text = trim(item.substr(0, dots)), hi_text = trim(item.substr(dots + 2, colon - dots - 2));
  std::string_view spec = trim(item.substr(colon + 1));
  bool step = !spec.empty() && spec.front() == '+';
  bool count = !spec.empty() && spec.find_first_not_of("0123456789") == std::string_view::npos;
  if (!step && !count) return std::nullopt;  // not a range's shape: a value that holds ".." and ':'
  auto fail = [&](const std::string& why) {
    throw ModelError(where, "", fmt::format("the range {}: {}", model::quote(item), why));
  };
  const Kind* kind = nullptr;
  double lo = 0, hi = 0;
  for (const auto& k : kinds()) {
    auto a = k.parse(lo_text), b = k.parse(hi_text);
    if (a && b) {
      kind = &k;
      lo = *a;
      hi = *b;
      break;
    }
  }
  if (!kind)
    fail(
        "LO..HI needs two numbers or two quantities of one kind (durations, sizes, rates or percentages), like "
        "100/s..500/s:5 or 512MB..2GB:+512MB");
  // Values in LO's unit (HI's when LO has none: 0..10s:3), as its factor in the kind's base unit.
  std::string unit = unit_of(lo_text);
  if (unit.empty()) unit = unit_of(hi_text);
  double factor = 1;
  if (!unit.empty()) {
    auto f = kind->parse("1" + unit);
    if (!f || !(*f > 0)) fail("cannot tell the unit of " + model::quote(lo_text));
    factor = *f;
  }
  double lo_u = lo / factor, hi_u = hi / factor;
  if (!(lo_u < hi_u)) fail("LO must be below HI");
  std::vector<double> values;
  if (count) {
    std::size_t n = spec.size() > 6 ? kMaxSweepValues + 1 : std::stoul(std::string(spec));
    if (n < 2 || n > kMaxSweepValues)
      fail(fmt::format("the count after ':' must be from 2 to {} (the values from LO to HI, both included)",
                       kMaxSweepValues));
    for (std::size_t i = 0; i < n; ++i)
      values.push_back(i + 1 == n ? hi_u : lo_u + (hi_u - lo_u) * static_cast<double>(i) / static_cast<double>(n - 1));
  } else {
    std::string_view step_text = trim(spec.substr(1));
    auto s = kind->parse(step_text);
    if (!s || !(*s > 0)) fail(fmt::format("the step after ':+' must be a {} above zero, like LO's", kind->name));
    double step_u = *s / factor;
    double steps = std::floor((hi_u - lo_u) / step_u * (1 + 1e-12));  // HI itself despite rounding
    if (!(steps + 1 <= static_cast<double>(kMaxSweepValues)))
      fail(fmt::format("the step gives more than {} values", kMaxSweepValues));
    for (std::size_t i = 0; i <= static_cast<std::size_t>(steps); ++i)
      values.push_back(lo_u + step_u * static_cast<double>(i));
  }
  std::vector<std::string> out;
  // 12 significant digits: 0.1 + 0.2 is written 0.3, as the user would.
  for (double v : values) out.push_back(fmt::format("{:.12g}{}", v, unit));
  return out;
}

}  // namespace

SweepParameter parse_sweep_parameter(std::string_view text) {
  SourceLocation where{"--set " + model::shorten(text), 0, 0};
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw ModelError(where, "", fmt::format("expected key.path=values, like {}", kExample));
  SweepParameter p;
  p.key_path = std::string(trim(text.substr(0, eq)));
  std::set<std::string> seen;
  for (std::string_view item : split_items(text.substr(eq + 1))) {
    if (item.empty())
      throw ModelError(where, p.key_path, fmt::format("an empty value; expected values like {}", kExample));
    std::vector<std::string> values;
    if (auto range = expand_range(item, where)) values = std::move(*range);
    else values.emplace_back(item);
    for (auto& v : values) {
      if (!seen.insert(v).second)
        throw ModelError(where, p.key_path,
                         fmt::format("{} is given twice; each value must appear once", model::quote(v)));
      p.values.push_back(std::move(v));
      if (p.values.size() > kMaxSweepValues)
        throw ModelError(where, p.key_path, fmt::format("more than {} values", kMaxSweepValues));
    }
  }
  return p;
}

std::vector<std::vector<Override>> sweep_grid(const std::vector<SweepParameter>& parameters) {
  std::vector<std::vector<Override>> points{{}};
  for (const auto& p : parameters) {
    std::vector<std::vector<Override>> next;
    for (const auto& point : points)
      for (const auto& v : p.values) {
        next.push_back(point);
        next.back().push_back(Override{p.key_path, v});
      }
    points = std::move(next);
  }
  return points;
}

}  // namespace sluice
