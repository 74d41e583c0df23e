#include "known_findings.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace sluice::fuzz {

bool KnownFindings::message_is_known(const std::string& message) const {
  return std::any_of(messages.begin(), messages.end(),
                     [&](const std::string& m) { return message.find(m) != std::string::npos; });
}

bool KnownFindings::input_is_known(const std::string& input) const {
  return std::any_of(inputs.begin(), inputs.end(),
                     [&](const std::string& m) { return input.find(m) != std::string::npos; });
}

KnownFindings load_known_findings(const std::string& dir) {
  namespace fs = std::filesystem;
  KnownFindings known;
  if (!fs::is_directory(dir)) return known;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const std::string finding = "# known-finding: ", input = "# known-input: ";
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    for (std::string line; std::getline(in, line) && line.rfind("#", 0) == 0;) {
      if (line.rfind(finding, 0) == 0) known.messages.push_back(line.substr(finding.size()));
      if (line.rfind(input, 0) == 0) known.inputs.push_back(line.substr(input.size()));
    }
  }
  return known;
}

}  // namespace sluice::fuzz
