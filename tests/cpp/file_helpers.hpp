#pragma once
// Reading what the real command wrote, for the tests that run it.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace sluice::test {

inline std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace sluice::test
