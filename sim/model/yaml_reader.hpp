#pragma once
// Reading YAML with positions: every value read here either converts cleanly or throws a
// ModelError that names file:line:column, the key path and what is wrong. Unknown and
// duplicate keys are rejected when a mapping is opened, before any of its values are used.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sluice/errors.hpp"
#include "sluice/model.hpp"

namespace sluice::model {

struct LoadContext {
  std::string file;      // as shown in messages
  std::string base_dir;  // relative paths in the model (traces, price files) start here
  std::vector<Override> overrides;

  SourceLocation locate(const YAML::Node& node, const std::string& path) const;
  [[noreturn]] void fail(const YAML::Node& node, const std::string& path, const std::string& problem) const;
};

enum class Quantity { duration, size, rate, fraction };

// No duration in a model may be longer than the longest run: a longer one cannot be told from
// forever within a run, and a sum of such durations would overflow the simulation clock.
inline constexpr double kLongestDurationNs = 366.0 * 86400e9;
inline constexpr const char* kLongestDurationRule = "a duration must be at most 366d (the longest run)";

std::string describe_kind(const YAML::Node& node);  // "a mapping", "a sequence", "'10'", ...
std::string scalar_text(const LoadContext& ctx, const YAML::Node& node, const std::string& path);
double read_quantity(const LoadContext& ctx, const YAML::Node& node, const std::string& path, Quantity q);
std::int64_t read_integer(const LoadContext& ctx, const YAML::Node& node, const std::string& path, std::int64_t min,
                          std::int64_t max);
double read_number(const LoadContext& ctx, const YAML::Node& node, const std::string& path);
bool read_bool(const LoadContext& ctx, const YAML::Node& node, const std::string& path);
// A constant with its unit, or {distribution: ..., ...} (docs/model-reference.md "Units and distributions").
Distribution read_distribution(const LoadContext& ctx, const YAML::Node& node, const std::string& path, Quantity q);
// One of the listed words; otherwise an error naming them all (with a suggestion).
std::string read_choice(const LoadContext& ctx, const YAML::Node& node, const std::string& path,
                        const std::vector<std::string>& choices);

// A mapping being read. Construction checks that the node is a mapping, that no key appears
// twice, and that every key is one of `allowed` (else "unknown key 'x' (did you mean 'y'?)").
class MapReader {
 public:
  MapReader(const LoadContext& ctx, const YAML::Node& node, std::string path, std::vector<std::string> allowed);

  bool has(const std::string& key) const;
  YAML::Node at(const std::string& key) const;  // required: a clear error when it is missing
  std::string path_of(const std::string& key) const;
  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  const LoadContext& ctx() const { return ctx_; }
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;

  double quantity(const std::string& key, Quantity q) const;
  double quantity_or(const std::string& key, Quantity q, double fallback) const;
  Distribution distribution(const std::string& key, Quantity q) const;
  Distribution distribution_or(const std::string& key, Quantity q, Distribution fallback) const;
  std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max) const;
  std::int64_t integer_or(const std::string& key, std::int64_t min, std::int64_t max, std::int64_t fallback) const;
  std::string string(const std::string& key) const;
  std::string string_or(const std::string& key, const std::string& fallback) const;
  std::string choice_or(const std::string& key, const std::vector<std::string>& choices,
                        const std::string& fallback) const;
  bool boolean_or(const std::string& key, bool fallback) const;
  // Checks min <= value <= max for a value read from `key`; `shown` formats values for the message.
  void check_range(const std::string& key, double value, double min, double max, std::string (*shown)(double)) const;

 private:
  const LoadContext& ctx_;
  YAML::Node node_;
  std::string path_;
};

std::string show_duration(double ns);
std::string show_size(double bytes);
std::string show_number(double v);
std::string show_percent(double fraction);

}  // namespace sluice::model
