#include "model/suggest.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

namespace sluice::model {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    // The distance is at least the difference in length: skip the quadratic work (a key of a
    // million characters would otherwise take seconds to compare).
    std::size_t length_gap = word.size() > c.size() ? word.size() - c.size() : c.size() - word.size();
    if (length_gap >= best_distance) continue;
    std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best = closest_match(word, candidates);
  return best.empty() ? std::string() : " (did you mean '" + best + "'?)";
}

std::string article(std::string_view word) {
  bool vowel_sound = !word.empty() && (std::string_view("aeiou").find(word[0]) != std::string_view::npos ||
                                       word.rfind("sqs", 0) == 0 || word.rfind("sns", 0) == 0);
  return vowel_sound ? "an" : "a";
}

namespace {

constexpr std::size_t kQuotedLength = 80;

// The first `kQuotedLength` characters of `value` (whole UTF-8 sequences), control characters
// escaped; "..." and the full length when something was cut.
struct Cut {
  std::string text;
  bool cut = false;
};

Cut cut(std::string_view value) {
  std::size_t end = value.size();
  if (end > kQuotedLength) {
    end = kQuotedLength;
    // Do not split a multi-byte character: back up over its continuation bytes.
    while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
  }
  Cut out;
  out.cut = end < value.size();
  for (char c : value.substr(0, end)) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\n') out.text += "\\n";
    else if (c == '\t') out.text += "\\t";
    else if (c == '\r') out.text += "\\r";
    else if (u < 0x20 || u == 0x7F) out.text += fmt::format("\\x{:02x}", u);
    else out.text += c;
  }
  return out;
}

}  // namespace

std::string quote(std::string_view value) {
  Cut c = cut(value);
  if (!c.cut) return "'" + c.text + "'";
  return fmt::format("'{}...' ({} bytes in all)", c.text, value.size());
}

std::string shorten(std::string_view value) {
  Cut c = cut(value);
  return c.cut ? fmt::format("{}... ({} bytes in all)", c.text, value.size()) : c.text;
}

std::string join(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += sep;
    out += words[i];
  }
  return out;
}

}  // namespace sluice::model
