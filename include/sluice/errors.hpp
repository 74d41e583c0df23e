#pragma once
// The errors a user of the public API can see. Bad input is a ModelError carrying where it
// happened (file, line, column, key path); a run stopped by its budget is a RunAborted.
#include <stdexcept>
#include <string>

namespace sluice {

// Where a value came from: a position in a YAML file, or a --set override.
struct SourceLocation {
  std::string file;  // the model's path, or "--set" for an override
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
  bool operator==(const SourceLocation&) const = default;
};

// A malformed model: one message that names file:line:column, the key path and what is wrong.
class ModelError : public std::runtime_error {
 public:
  ModelError(SourceLocation where, std::string key_path, std::string what_is_wrong);
  const SourceLocation& where() const noexcept { return where_; }
  const std::string& key_path() const noexcept { return key_path_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  SourceLocation where_;
  std::string key_path_;
  std::string problem_;
};

// A run that would exceed its budget (events, requests in flight, wall time).
class RunAborted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "file:line:column: key.path: problem" — the one format every error uses.
std::string format_error(const SourceLocation& where, const std::string& key_path, const std::string& problem);

}  // namespace sluice
