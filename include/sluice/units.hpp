#pragma once
// Quantities as users write them in YAML: "250ms", "512MB", "100/s", "0.5%".
// Each parser returns nothing when the text is not a valid quantity of that kind; the model
// loader turns that into an error that says which units are accepted.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::units {

// Durations in nanoseconds: us, ms, s, m (minutes), h, d. "0" alone is accepted (zero needs no unit).
std::optional<double> parse_duration_ns(std::string_view text);
// Sizes in bytes, binary multiples as AWS uses them: B, KB, MB, GB (1 KB = 1024 B).
std::optional<double> parse_size_bytes(std::string_view text);
// Rates in events per second: "/s", "/min", "/h", "/day"; the count may carry K or M ("1M/day").
std::optional<double> parse_rate_per_s(std::string_view text);
// Fractions in [0, 1]: "0.5%", "70%", or a plain number.
std::optional<double> parse_fraction(std::string_view text);

// Why a parser refused a text, so that a message can say what is wrong rather than only what
// is expected. `why_refused` returns `accepted` for a text its kind's parser accepts.
enum class QuantityKind { duration, size, rate, fraction };
struct Refusal {
  enum class Reason {
    accepted,
    negative,     // a valid quantity after a leading '-': "-5ms"
    too_large,    // overflows a double ("1e400ms", "1e300d" once scaled), or a fraction above 100%
    unit_case,    // only the case of the unit is wrong: "512mb", "10S", "100/S", "1k/s"
    bare_number,  // a number without the unit its kind needs: "250"
    malformed,    // anything else
  };
  Reason reason = Reason::malformed;
  std::string meant;  // for unit_case: the text with its unit's case corrected ("512MB")
};
Refusal why_refused(std::string_view text, QuantityKind kind);

// Human-readable forms used in messages and tables ("1.5s", "512MB").
std::string format_duration_ns(double ns);
std::string format_size_bytes(double bytes);

inline constexpr double kNsPerSecond = 1e9;
inline constexpr double kNsPerMs = 1e6;
// The units a duration may carry, smallest first, as messages list them: "us, ms, s, m, h, d".
std::string duration_unit_names();

}  // namespace sluice::units
