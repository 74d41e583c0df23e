#include "sluice/option_values.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "model/suggest.hpp"
#include "sluice/errors.hpp"
#include "sluice/units.hpp"

namespace sluice {

double parse_duration_option_ns(std::string_view text, std::string_view option) {
  auto ns = units::parse_duration_ns(text);
  if (!ns || !(*ns > 0) || !std::isfinite(*ns))
    throw ModelError(SourceLocation{fmt::format("{} {}", option, model::shorten(text)), 0, 0}, "",
                     fmt::format("expected a duration above zero with a unit ({}), like 300ms or 10m",
                                 units::duration_unit_names()));
  return *ns;
}

void check_memory_mb(double mb, std::string_view option) {
  if (!(mb >= kMinMemoryMb && mb <= kMaxMemoryMb))
    throw ModelError(SourceLocation{std::string(option), 0, 0}, "",
                     fmt::format("{} MB is outside Lambda's range of {} MB to {} MB", mb, kMinMemoryMb, kMaxMemoryMb));
}

int parse_memory_option_mb(std::string_view text, std::string_view option, bool bare_number_is_mb) {
  double mb = 0;
  if (bare_number_is_mb && !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
    if (text.size() > 15)  // beyond any memory size, and beyond what stod reads exactly
      throw ModelError(SourceLocation{std::string(option), 0, 0}, "",
                       fmt::format("{} MB is outside Lambda's range of {} MB to {} MB", model::shorten(text),
                                   kMinMemoryMb, kMaxMemoryMb));
    mb = std::stod(std::string(text));
  } else {
    auto bytes = units::parse_size_bytes(text);
    mb = bytes ? *bytes / (1024.0 * 1024.0) : NAN;
    if (!bytes || mb != std::floor(mb))
      throw ModelError(SourceLocation{std::string(option), 0, 0}, "",
                       fmt::format("expected a size in whole MB with a unit, like 512MB or 1GB{}, got {}",
                                   bare_number_is_mb ? ", or a number of MB like 1769" : "", model::quote(text)));
  }
  check_memory_mb(mb, option);
  return static_cast<int>(mb);
}

}  // namespace sluice
