#include "sluice/errors.hpp"

#include <fmt/format.h>

namespace sluice {

std::string format_error(const SourceLocation& where, const std::string& key_path, const std::string& problem) {
  std::string out = where.file.empty() ? std::string("<model>") : where.file;
  if (where.line > 0) out += fmt::format(":{}:{}", where.line, where.column);
  out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  out += problem;
  return out;
}

ModelError::ModelError(SourceLocation where, std::string key_path, std::string what_is_wrong)
    : std::runtime_error(format_error(where, key_path, what_is_wrong)),
      where_(std::move(where)),
      key_path_(std::move(key_path)),
      problem_(std::move(what_is_wrong)) {}

}  // namespace sluice
