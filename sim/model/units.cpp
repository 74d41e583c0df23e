// Parsing and formatting of the quantities users write in YAML (docs/model-reference.md, "Units and
// distributions").
//
// Grammar, shared by every kind:
//   quantity := ws* number ws* suffix ws*
//   number   := what std::from_chars(chars_format::general) reads: digits, an optional
//               fraction and an optional exponent ("250", "1.5", ".5", "1e3"). No sign: a
//               leading '-' or '+' is rejected, and so are "nan" and "inf".
// Units are case-sensitive ("m" is minutes, "M" is a million in rates). The number is read
// with std::from_chars, which is locale-independent and exact (correctly rounded), so the same
// text gives the same double everywhere. A result that is not finite (overflow: "1e400ms", or
// "1e300d" once scaled) is rejected.
//
// Bare numbers: a number without a unit is rejected for durations, sizes and rates, because
// "250" could mean ms or s and the mistake would be silent. The one exception is zero, written
// without sign or exponent ("0", "0.0", "0."): zero is zero in every unit, and "timeout: 0" or
// "memory_used: 0" in YAML reads naturally. The same rule holds for sizes and rates so that the
// three kinds agree. Fractions accept plain numbers in [0, 1] by definition.
#include "sluice/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <system_error>

namespace sluice::units {
namespace {

constexpr std::string_view kSpace = " \t\r\n";

std::string_view trim_left(std::string_view s) {
  auto p = s.find_first_not_of(kSpace);
  return p == std::string_view::npos ? std::string_view{} : s.substr(p);
}

std::string_view trim(std::string_view s) {
  s = trim_left(s);
  auto p = s.find_last_not_of(kSpace);
  return p == std::string_view::npos ? std::string_view{} : s.substr(0, p + 1);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct Number {
  double value = 0;
  std::string_view digits;  // the number as written
  std::string_view rest;    // what follows the number, leading whitespace removed
  bool plain_zero = false;  // written as zero without an exponent ("0", "0.0")
  bool too_large = false;   // well-formed, but beyond a double's range ("1e400"): value is not set
};

// Reads the unsigned number at the start of `s` (already trimmed); nothing when `s` does not
// start with one. An overflowing number is returned marked too_large, for the messages.
std::optional<Number> scan_number(std::string_view s) {
  if (s.empty() || !(is_digit(s.front()) || s.front() == '.')) return std::nullopt;
  double v = 0;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(first, last, v, std::chars_format::general);
  if (ptr == first || (ec != std::errc{} && ec != std::errc::result_out_of_range)) return std::nullopt;
  Number n;
  n.too_large = ec == std::errc::result_out_of_range || !std::isfinite(v);
  n.value = n.too_large ? 0 : v;
  n.digits = std::string_view(first, static_cast<std::size_t>(ptr - first));
  n.plain_zero = !n.too_large && v == 0 && n.digits.find_first_of("eE") == std::string_view::npos;
  n.rest = trim_left(std::string_view(ptr, static_cast<std::size_t>(last - ptr)));
  return n;
}

// Reads the non-negative finite number at the start of `s` (already trimmed).
std::optional<Number> leading_number(std::string_view s) {
  auto n = scan_number(s);
  if (!n || n->too_large) return std::nullopt;
  return n;
}

struct Unit {
  std::string_view name;
  double factor;
};

// Durations in ns.
constexpr std::array<Unit, 6> kDurationUnits{{
    {"d", 86400e9},
    {"h", 3600e9},
    {"m", 60e9},
    {"s", 1e9},
    {"ms", 1e6},
    {"us", 1e3},
}};
// Sizes in bytes, binary multiples.
constexpr std::array<Unit, 5> kSizeUnits{{
    {"TB", 1024.0 * 1024.0 * 1024.0 * 1024.0},
    {"GB", 1024.0 * 1024.0 * 1024.0},
    {"MB", 1024.0 * 1024.0},
    {"KB", 1024.0},
    {"B", 1.0},
}};
// Rate periods in seconds (the divisor of the count).
constexpr std::array<Unit, 8> kRatePeriods{{
    {"s", 1},
    {"sec", 1},
    {"min", 60},
    {"m", 60},
    {"h", 3600},
    {"hour", 3600},
    {"day", 86400},
    {"d", 86400},
}};
// Count multipliers in rates ("1.5K/s", "1M/day", "2B/day").
constexpr std::array<Unit, 3> kCountSuffixes{{{"K", 1e3}, {"M", 1e6}, {"B", 1e9}}};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// The unit of `table` that `name` spells in another case ("mb" -> "MB"); nothing when none or
// several do, or when `name` is already right.
template <std::size_t N>
std::optional<std::string_view> unit_in_other_case(const std::array<Unit, N>& table, std::string_view name) {
  std::optional<std::string_view> found;
  for (const auto& u : table) {
    if (u.name == name) return std::nullopt;
    if (equal_ignoring_case(u.name, name)) {
      if (found) return std::nullopt;
      found = u.name;
    }
  }
  return found;
}

template <std::size_t N>
std::optional<double> factor_of(const std::array<Unit, N>& table, std::string_view name) {
  for (const auto& u : table) {
    if (u.name == name) return u.factor;
  }
  return std::nullopt;
}

std::optional<double> finite(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

template <std::size_t N>
std::optional<double> parse_with_units(std::string_view text, const std::array<Unit, N>& table) {
  auto n = leading_number(trim(text));
  if (!n) return std::nullopt;
  if (n->rest.empty()) {
    if (n->plain_zero) return 0.0;
    return std::nullopt;  // a bare number needs a unit
  }
  auto f = factor_of(table, n->rest);
  if (!f) return std::nullopt;
  return finite(n->value * *f);
}

// Shortest round-trip text of a double ("0.0005", "1e+20").
std::string shortest(double v) {
  std::array<char, 64> buf{};
  auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  if (ec != std::errc{}) return "?";
  return std::string(buf.data(), ptr);
}

// Fixed with three decimals, trailing zeros (and a trailing dot) removed: 1.500 -> "1.5".
std::string three_decimals(double v) {
  if (v >= 1e15) return shortest(v);  // fixed notation would be long; precision is moot here
  std::array<char, 64> buf{};
  auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, 3);
  if (ec != std::errc{}) return shortest(v);
  std::string s(buf.data(), ptr);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

bool exact_at_three_decimals(double x) {
  double r = std::round(x * 1000) / 1000;
  return std::fabs(r - x) <= 1e-9 * x;
}

// The readable form: among the units in which the value is at least 1 (largest first), the first
// one that shows it exactly with at most three decimals and fewer than five digits before the
// point (90s -> "1.5m", 61s -> "61s", 1234567ns -> "1234.567us"); if none does, the largest,
// rounded to three decimals (1.2345678s -> "1.235s"). Values below the smallest unit are shown
// in it with their shortest exact digits (500ns -> "0.5us"); zero is "0" + zero_unit.
template <std::size_t N>
std::string format_with_units(double v, const std::array<Unit, N>& table, std::string_view zero_unit) {
  if (std::isnan(v)) return "nan";
  std::string sign = v < 0 ? "-" : "";
  double a = std::fabs(v);
  const Unit& smallest = table.back();
  if (std::isinf(a)) return sign + "inf";
  if (a == 0) return "0" + std::string(zero_unit);
  const Unit* fallback = nullptr;
  for (const auto& u : table) {
    double x = a / u.factor;
    if (x < 1) continue;
    if (!fallback) fallback = &u;
    if (x < 1e4 && exact_at_three_decimals(x)) return sign + three_decimals(x) + std::string(u.name);
  }
  if (fallback) return sign + three_decimals(a / fallback->factor) + std::string(fallback->name);
  return sign + shortest(a / smallest.factor) + std::string(smallest.name);
}

}  // namespace

std::optional<double> parse_duration_ns(std::string_view text) { return parse_with_units(text, kDurationUnits); }

std::optional<double> parse_size_bytes(std::string_view text) { return parse_with_units(text, kSizeUnits); }

// "<count>[K|M|B] / <period>", whitespace allowed around each part: "100/s", "1.5K/s", "1M/day".
std::optional<double> parse_rate_per_s(std::string_view text) {
  auto n = leading_number(trim(text));
  if (!n) return std::nullopt;
  std::string_view rest = n->rest;
  if (rest.empty()) {
    if (n->plain_zero) return 0.0;
    return std::nullopt;
  }
  double count = n->value;
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view suffix = trim(rest.substr(0, slash));
  std::string_view period = trim(rest.substr(slash + 1));
  if (!suffix.empty()) {
    auto m = factor_of(kCountSuffixes, suffix);
    if (!m) return std::nullopt;
    count *= *m;
  }
  auto seconds = factor_of(kRatePeriods, period);
  if (!seconds) return std::nullopt;
  return finite(count / *seconds);
}

// "0.5%", "70%" (at most 100%), or a plain number in [0, 1].
std::optional<double> parse_fraction(std::string_view text) {
  auto n = leading_number(trim(text));
  if (!n) return std::nullopt;
  if (n->rest.empty()) {
    if (n->value > 1) return std::nullopt;
    return n->value;
  }
  if (n->rest != "%" || n->value > 100) return std::nullopt;
  return n->value / 100;
}

namespace {

std::optional<double> parse(QuantityKind kind, std::string_view text) {
  switch (kind) {
    case QuantityKind::duration:
      return parse_duration_ns(text);
    case QuantityKind::size:
      return parse_size_bytes(text);
    case QuantityKind::rate:
      return parse_rate_per_s(text);
    case QuantityKind::fraction:
      return parse_fraction(text);
  }
  return std::nullopt;
}

using Reason = Refusal::Reason;

// A number and one unit of `table` (durations, sizes).
template <std::size_t N>
Refusal why_refused_with_units(const Number& n, const std::array<Unit, N>& table) {
  if (factor_of(table, n.rest)) return {Reason::too_large, ""};  // the text is well-formed: only overflow is left
  if (auto unit = unit_in_other_case(table, n.rest)) {
    if (n.too_large || !finite(n.value * *factor_of(table, *unit))) return {Reason::too_large, ""};
    return {Reason::unit_case, std::string(n.digits) + std::string(*unit)};
  }
  return {Reason::malformed, ""};
}

// "<count>[K|M|B] / <period>": each part may be in the wrong case.
Refusal why_refused_rate(const Number& n) {
  auto slash = n.rest.find('/');
  if (slash == std::string_view::npos) return {Reason::malformed, ""};
  std::string_view suffix = trim(n.rest.substr(0, slash));
  std::string_view period = trim(n.rest.substr(slash + 1));
  bool recased = false;
  if (!suffix.empty() && !factor_of(kCountSuffixes, suffix)) {
    auto fixed = unit_in_other_case(kCountSuffixes, suffix);
    if (!fixed) return {Reason::malformed, ""};
    suffix = *fixed;
    recased = true;
  }
  if (!factor_of(kRatePeriods, period)) {
    auto fixed = unit_in_other_case(kRatePeriods, period);
    if (!fixed) return {Reason::malformed, ""};
    period = *fixed;
    recased = true;
  }
  std::string meant = std::string(n.digits) + std::string(suffix) + "/" + std::string(period);
  if (n.too_large || !parse_rate_per_s(meant)) return {Reason::too_large, ""};
  return recased ? Refusal{Reason::unit_case, meant} : Refusal{Reason::malformed, ""};
}

Refusal why_refused_unsigned(std::string_view text, QuantityKind kind) {
  if (parse(kind, text)) return {Reason::accepted, ""};
  auto n = scan_number(trim(text));
  if (!n) return {Reason::malformed, ""};
  if (kind == QuantityKind::fraction) {
    bool percent = n->rest == "%";
    if (!percent && !n->rest.empty()) return {Reason::malformed, ""};
    return {Reason::too_large, ""};  // above 100% (or 1), or beyond a double
  }
  if (n->rest.empty()) return {Reason::bare_number, ""};
  switch (kind) {
    case QuantityKind::duration:
      return why_refused_with_units(*n, kDurationUnits);
    case QuantityKind::size:
      return why_refused_with_units(*n, kSizeUnits);
    case QuantityKind::rate:
      return why_refused_rate(*n);
    case QuantityKind::fraction:
      break;
  }
  return {Reason::malformed, ""};
}

}  // namespace

Refusal why_refused(std::string_view text, QuantityKind kind) {
  std::string_view t = trim(text);
  // "-5ms" is a duration with a sign; so is "-512mb" or "-1e400ms": what matters first is the sign.
  if (!t.empty() && t.front() == '-') {
    Reason unsigned_reason = why_refused_unsigned(t.substr(1), kind).reason;
    if (unsigned_reason == Reason::accepted || unsigned_reason == Reason::too_large ||
        unsigned_reason == Reason::unit_case)
      return {Reason::negative, ""};
    // "-5" for a duration lacks a unit: say that (a bare number), as for "5".
    if (unsigned_reason == Reason::bare_number) return {Reason::bare_number, ""};
    return {Reason::malformed, ""};
  }
  return why_refused_unsigned(t, kind);
}

std::string duration_unit_names() {
  std::string names;
  for (auto it = kDurationUnits.rbegin(); it != kDurationUnits.rend(); ++it)
    names += (names.empty() ? "" : ", ") + std::string(it->name);
  return names;
}

std::string format_duration_ns(double ns) { return format_with_units(ns, kDurationUnits, "s"); }

std::string format_size_bytes(double bytes) { return format_with_units(bytes, kSizeUnits, "B"); }

}  // namespace sluice::units
