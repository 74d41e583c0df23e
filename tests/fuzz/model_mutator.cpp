#include "model_mutator.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace sluice::fuzz {
namespace {

struct Span {
  std::size_t begin = 0, end = 0;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_word(char c) { return is_digit(c) || is_alpha(c) || c == '_'; }
bool digit_at(std::string_view t, std::size_t i) { return i < t.size() && is_digit(t[i]); }

// Numbers that stand on their own: the "512" of "512MB", "-1", "0.5", "1e-3"; not the "3" of
// "python3" nor the "12" of "python3.12".
std::vector<Span> find_numbers(std::string_view t) {
  std::vector<Span> spans;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!is_digit(t[i]) || (i > 0 && (is_word(t[i - 1]) || t[i - 1] == '.'))) continue;
    std::size_t begin = (i > 0 && t[i - 1] == '-') ? i - 1 : i;
    std::size_t j = i;
    while (digit_at(t, j)) ++j;
    if (j < t.size() && t[j] == '.' && digit_at(t, j + 1)) {
      ++j;
      while (digit_at(t, j)) ++j;
    }
    if (j < t.size() && (t[j] == 'e' || t[j] == 'E')) {
      std::size_t k = j + 1;
      if (k < t.size() && (t[k] == '-' || t[k] == '+')) ++k;
      if (digit_at(t, k)) {
        j = k;
        while (digit_at(t, j)) ++j;
      }
    }
    spans.push_back({begin, j});
    i = j;
  }
  return spans;
}

// The unit written right after a number ("ms", "MB", "/s", "M/day", "%"), possibly empty.
Span unit_after(std::string_view t, std::size_t number_end) {
  std::size_t j = number_end;
  while (j < t.size() && (is_alpha(t[j]) || t[j] == '/' || t[j] == '%')) ++j;
  return {number_end, j};
}

// Keys: a word right after the start of a line, a space, '{' or ',' and followed by ':' and a
// space or the end of the line.
std::vector<Span> find_keys(std::string_view t) {
  std::vector<Span> spans;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!is_word(t[i]) || (i > 0 && t[i - 1] != ' ' && t[i - 1] != '\n' && t[i - 1] != '{' && t[i - 1] != ','))
      continue;
    std::size_t j = i;
    while (j < t.size() && (is_word(t[j]) || t[j] == '-')) ++j;
    if (j < t.size() && t[j] == ':' && (j + 1 == t.size() || t[j + 1] == ' ' || t[j + 1] == '\n'))
      spans.push_back({i, j});
    i = j;
  }
  return spans;
}

// The scalar after "key: ": up to the end of the line, a ',' '}' ']' of a flow collection, or a
// comment. Empty when the value is a collection or missing.
Span value_after(std::string_view t, Span key) {
  std::size_t b = key.end + 1;
  while (b < t.size() && t[b] == ' ') ++b;
  if (b >= t.size() || t[b] == '\n' || t[b] == '{' || t[b] == '[' || t[b] == '#') return {b, b};
  std::size_t e = b;
  while (e < t.size() && t[e] != '\n' && t[e] != ',' && t[e] != '}' && t[e] != ']' && !(t[e] == '#' && t[e - 1] == ' '))
    ++e;
  while (e > b && t[e - 1] == ' ') --e;
  return {b, e};
}

std::string replace(const std::string& t, Span s, std::string_view with) {
  std::string out = t.substr(0, s.begin);
  out += with;
  out += t.substr(s.end);
  return out;
}

std::size_t indentation(const std::string& line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

template <typename T>
const T& pick(const std::vector<T>& v, FuzzRandom& rng) {
  return v[rng.below(v.size())];
}

// clang-format off: tables, one row per line as they read
// Values at the edges of what the loader and the engine must survive.
const std::vector<std::string> kExtremeNumbers = {"0",
                                                  "-1",
                                                  "1e308",
                                                  "1e-300",
                                                  "-1e308",
                                                  "1e309",
                                                  "nan",
                                                  ".nan",
                                                  "inf",
                                                  ".inf",
                                                  "-.inf",
                                                  "-0",
                                                  "2147483648",
                                                  "4294967296",
                                                  "9223372036854775807",
                                                  "9223372036854775808",
                                                  "-9223372036854775809",
                                                  "18446744073709551616",
                                                  "99999999999999999999999999",
                                                  "1e18",
                                                  "1e19",
                                                  "0.0000001",
                                                  "0x10",
                                                  "1_000"};

// Scalars a model's author would not write but a file can hold: text that is not UTF-8 (or is,
// beyond ASCII), a NUL, YAML's null and booleans, tags, an undefined alias, an alias that contains
// itself, and aliases that expand a few lines into 10^8 strings.
const std::vector<std::string> kHostileValues = {
    "\x84",
    "caf\xc3\xa9",
    "\xff\xfe",
    "\xe2\x82",
    "\xf0\x9f\x98\x80",
    std::string("a\0b", 3),
    "\"\\u0000\"",
    std::string(5000, 'x'),
    "~",
    "null",
    "true",
    "no",
    "[]",
    "{}",
    "''",
    "!!binary aGVsbG8=",
    "!local x",
    "*missing",
    "&loop [*loop]",
    "&loop {a: *loop}",
    "- x",
    "|\n  two\n  lines",
    "[&lol0 [x, x, x, x, x, x, x, x, x, x], &lol1 [*lol0, *lol0, *lol0, *lol0, *lol0, *lol0, *lol0, *lol0, *lol0, "
    "*lol0], "
    "&lol2 [*lol1, *lol1, *lol1, *lol1, *lol1, *lol1, *lol1, *lol1, *lol1, *lol1], "
    "&lol3 [*lol2, *lol2, *lol2, *lol2, *lol2, *lol2, *lol2, *lol2, *lol2, *lol2], "
    "&lol4 [*lol3, *lol3, *lol3, *lol3, *lol3, *lol3, *lol3, *lol3, *lol3, *lol3], "
    "&lol5 [*lol4, *lol4, *lol4, *lol4, *lol4, *lol4, *lol4, *lol4, *lol4, *lol4], "
    "&lol6 [*lol5, *lol5, *lol5, *lol5, *lol5, *lol5, *lol5, *lol5, *lol5, *lol5], "
    "&lol7 [*lol6, *lol6, *lol6, *lol6, *lol6, *lol6, *lol6, *lol6, *lol6, *lol6]]",
};

// Units of every kind the loader knows, and none: a swap within a kind changes the scale by up to
// 10^13, a swap across kinds tests the messages for the wrong kind of quantity.
const std::vector<std::string> kUnits = {"",    "ns",   "us", "ms",   "s",     "m",  "min", "h",  "d",
                                         "day", "B",    "KB", "MB",   "GB",    "TB", "KiB", "K",  "M",
                                         "/s",  "/min", "/h", "/day", "M/day", "%",  "x",   "/ms"};

// How often each mutation is chosen (in the order of enum Mutation): the ones that change one
// value keep the model's structure, so more of their mutants get past the YAML reader.
constexpr std::array<std::size_t, kMutationKinds> kWeights = {
    2,  // flip_byte
    2,  // delete_line
    1,  // duplicate_line
    1,  // swap_lines
    1,  // indent_line
    4,  // extreme_number
    3,  // swap_unit
    2,  // swap_key
    2,  // insert_line
    3,  // copy_value
    2,  // hostile_value
    1,  // truncate
    1,  // splice
};

// clang-format on

Mutation pick_mutation(FuzzRandom& rng) {
  std::size_t total = 0;
  for (std::size_t w : kWeights) total += w;
  std::size_t r = rng.below(total);
  std::size_t k = 0;
  while (r >= kWeights[k]) r -= kWeights[k++];
  return static_cast<Mutation>(k);
}

// Characters that change what YAML sees: structure, quoting, anchors, tags, block scalars.
constexpr std::string_view kYamlPunctuation = ":-{}[],#&*!|>'\"%@` \t\n?\\";

}  // namespace

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (;;) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(start));
      return lines;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += '\n';
    out += lines[i];
  }
  return out;
}

ModelMutator::ModelMutator(const std::vector<std::string>& seed_texts) {
  std::set<std::string> keys, lines, values;
  for (const auto& text : seed_texts) {
    for (Span k : find_keys(text)) {
      keys.insert(text.substr(k.begin, k.end - k.begin));
      Span v = value_after(text, k);
      if (v.end > v.begin) values.insert(text.substr(v.begin, v.end - v.begin));
    }
    for (const auto& line : split_lines(text)) {
      std::size_t ind = indentation(line);
      if (ind < line.size() && line[ind] != '#') lines.insert(line);
    }
  }
  keys_.assign(keys.begin(), keys.end());
  lines_.assign(lines.begin(), lines.end());
  values_.assign(values.begin(), values.end());
  // Never empty, so every mutation has something to pick from.
  if (keys_.empty()) keys_ = {"sluice", "name"};
  if (lines_.empty()) lines_ = {"sluice: 1"};
  if (values_.empty()) values_ = {"1"};
}

std::string ModelMutator::apply(Mutation kind, const std::string& text, const std::string& other,
                                FuzzRandom& rng) const {
  switch (kind) {
    case Mutation::flip_byte: {
      if (text.empty()) return std::string(1, kYamlPunctuation[rng.below(kYamlPunctuation.size())]);
      std::string out = text;
      char& c = out[rng.below(out.size())];
      switch (rng.below(3)) {
        case 0:
          c = kYamlPunctuation[rng.below(kYamlPunctuation.size())];
          break;
        case 1:
          c = static_cast<char>(rng.below(256));
          break;
        default:
          c = static_cast<char>(c ^ (1 << rng.below(8)));
          break;
      }
      return out;
    }
    case Mutation::delete_line:
    case Mutation::duplicate_line:
    case Mutation::indent_line: {
      auto lines = split_lines(text);
      std::size_t i = rng.below(lines.size());
      if (kind == Mutation::delete_line) {
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(i));
      } else if (kind == Mutation::duplicate_line) {
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(i), lines[i]);
      } else if (indentation(lines[i]) >= 2 && rng.one_in(2)) {
        lines[i].erase(0, 2);
      } else {
        lines[i].insert(0, "  ");
      }
      return join_lines(lines);
    }
    case Mutation::swap_lines: {  // with a line at the same indentation: keys of one mapping trade places
      auto lines = split_lines(text);
      std::size_t a = rng.below(lines.size());
      std::size_t start = rng.below(lines.size());
      for (std::size_t k = 0; k < lines.size(); ++k) {
        std::size_t b = (start + k) % lines.size();
        if (b != a && indentation(lines[b]) == indentation(lines[a])) {
          std::swap(lines[a], lines[b]);
          break;
        }
      }
      return join_lines(lines);
    }
    case Mutation::extreme_number: {
      auto numbers = find_numbers(text);
      if (numbers.empty()) return text;
      Span number = pick(numbers, rng);
      return replace(text, number, pick(kExtremeNumbers, rng));
    }
    case Mutation::swap_unit: {
      auto numbers = find_numbers(text);
      if (numbers.empty()) return text;
      Span unit = unit_after(text, pick(numbers, rng).end);
      return replace(text, unit, pick(kUnits, rng));
    }
    case Mutation::swap_key: {
      auto keys = find_keys(text);
      if (keys.empty()) return text;
      Span key = pick(keys, rng);
      return replace(text, key, pick(keys_, rng));
    }
    case Mutation::insert_line: {
      auto lines = split_lines(text);
      std::size_t at = rng.below(lines.size() + 1);
      std::string line = pick(lines_, rng);
      if (rng.one_in(2)) {  // at the indentation of its new neighbour, so it joins that mapping
        const std::string& neighbour = lines[at < lines.size() ? at : at - 1];
        line = std::string(indentation(neighbour), ' ') + line.substr(indentation(line));
      }
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), line);
      return join_lines(lines);
    }
    case Mutation::copy_value:
    case Mutation::hostile_value: {
      std::vector<Span> scalars;
      for (Span k : find_keys(text))
        if (Span v = value_after(text, k); v.end > v.begin) scalars.push_back(v);
      if (scalars.empty()) return text;
      Span value = pick(scalars, rng);
      return replace(text, value, pick(kind == Mutation::copy_value ? values_ : kHostileValues, rng));
    }
    case Mutation::truncate:
      return text.empty() ? text : text.substr(0, rng.below(text.size()));
    case Mutation::splice: {
      auto head = split_lines(text), tail = split_lines(other);
      head.resize(rng.below(head.size() + 1));
      head.insert(head.end(), tail.begin() + static_cast<std::ptrdiff_t>(rng.below(tail.size() + 1)), tail.end());
      return join_lines(head);
    }
  }
  return text;
}

std::string ModelMutator::mutate(const std::string& text, const std::string& other, FuzzRandom& rng, int max_steps,
                                 std::size_t max_bytes) const {
  // Mostly one or two steps: each step may break the model, and a mutant the YAML reader rejects
  // never reaches the checks behind it.
  int steps = 1;
  while (steps < max_steps && rng.one_in(2)) ++steps;
  std::string out = text;
  for (int s = 0; s < steps; ++s) out = apply(pick_mutation(rng), out, other, rng);
  if (out.size() > max_bytes) out.resize(max_bytes);
  return out;
}

}  // namespace sluice::fuzz
