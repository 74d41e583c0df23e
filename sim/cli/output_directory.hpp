#pragma once
// `--out DIR`: a results directory a reader always sees whole, with one run's files or the
// previous run's, never a mix of the two.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sluice::cli {

// DIR cannot be used or written (bad input for the command line: exit code 2).
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class OutputDirectory {
 public:
  // Checks DIR before anything runs: it must be a directory or not exist yet, hold nothing but
  // files sluice writes, and its parent must take a new directory. Throws OutputError.
  OutputDirectory(std::filesystem::path dir, std::vector<std::string> file_names);

  // Writes every file into a new directory beside DIR, then swaps it with DIR in one atomic
  // rename (the old one is removed after). On failure nothing is left behind and DIR is as it was.
  void publish(const std::vector<std::pair<std::string, std::string>>& files) const;

 private:
  std::filesystem::path dir_, parent_;
  std::vector<std::string> file_names_;
  std::filesystem::path sibling(const char* what) const;
};

}  // namespace sluice::cli
