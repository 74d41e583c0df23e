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

// Human-readable forms used in messages and tables ("1.5s", "512MB").
std::string format_duration_ns(double ns);
std::string format_size_bytes(double bytes);

inline constexpr double kNsPerSecond = 1e9;
inline constexpr double kNsPerMs = 1e6;

}  // namespace sluice::units
