#pragma once
// Helpers shared by the behaviour tests: model templates with $KEYS, reading the summary's
// numbers, and the ledger check every run must pass.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "sluice/results.hpp"

namespace sluice::test {

using json = nlohmann::ordered_json;

// Replaces every $KEY in the template by its value.
inline std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values)
    for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  return text;
}

// The summary as summary.json's document: tests read the output users read. A new document each
// call: hold it by value.
inline json doc(const Results& r) { return summary_document(r.summary); }

inline std::uint64_t u64(const json& j) { return j.get<std::uint64_t>(); }
inline double num(const json& j) { return j.get<double>(); }

inline void check_balanced(const Results& r) {
  const json l = doc(r)["ledger"];
  INFO("ledger " << l.dump());
  CHECK(l["balanced"].get<bool>());
  CHECK(u64(l["created"]) == u64(l["completed"]) + u64(l["failed"]) + u64(l["in_flight"]));
}

}  // namespace sluice::test
