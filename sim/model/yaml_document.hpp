#pragma once
// A YAML text as sluice reads it (a model, a price file, a --set value): every walk of it stays
// cheap however hostile the text. A file is read only up to a size limit; the text must be
// UTF-8 without control characters; CR, CRLF and LF end lines alike; lists and mappings nest at
// most kMaxNesting levels; a text holds at most kMaxNodes nodes; aliases (*name) are refused,
// because each one stands for a copy of its anchor's value, a few hundred bytes can stand for
// billions of nodes, and a --set under an alias would change every copy at once.
// docs/model-reference.md, "Limits of model files", states these limits.
#include <cstddef>
#include <cstdint>
#include <string>

#include <yaml-cpp/yaml.h>

#include "sluice/errors.hpp"

namespace sluice::model {

// 4 MB: room for models of tens of thousands of components (30,000 take about 2 MB and 300,000
// nodes); the largest shipped model is 5 KB. yaml-cpp may take ~250 bytes per byte of hostile input.
inline constexpr std::size_t kMaxFileBytes = 4 * 1024 * 1024;
inline constexpr int kMaxNesting = 100;             // lists and mappings, one inside the other
inline constexpr std::int64_t kMaxNodes = 500'000;  // keys, values, lists and mappings

// Where a text came from, for its messages.
struct YamlOrigin {
  std::string what;       // "model", "price file", "value" (messages say "the model", "a model")
  std::string name;       // the file as messages name it, or "--set key=value"
  std::string key_path;   // "" for a file; the override's key for a --set value
  bool positions = true;  // a file: messages say line:column; a --set value: they name the override
};

// The bytes of a YAML file, read no further than kMaxFileBytes (a larger file, or a device that
// never ends, is refused before memory is spent on it). Messages call it "the <kind> <shown>"
// ("the model file", "the price file 'prices.yaml'") and place it at `named_at` / `key_path`,
// where the file was named.
std::string read_yaml_file(const std::string& path, const std::string& kind, const std::string& shown,
                           const SourceLocation& named_at, const std::string& key_path);

// Checks `text` against the limits above and parses it. Throws ModelError, syntax errors included.
YAML::Node parse_yaml(const std::string& text, const YamlOrigin& origin);

// What of a tree is over kMaxNodes or kMaxNesting ("holds more than ...", "nests deeper than
// ..."), or "" when nothing is: for a model that --set values, each within the limits, changed.
// The walk stops at the first node over a limit.
std::string over_limits(const YAML::Node& root);

}  // namespace sluice::model
