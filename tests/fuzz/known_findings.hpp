#pragma once
// Findings already recorded in tests/fuzz/crashes/ and not fixed yet. A run reports them apart
// and does not fail on them, so that one open bug does not hide the next one (or fail every CI
// run until it is fixed). Each crash file declares them in its header comments:
//   # known-finding: <fragment>   a finding whose message holds the fragment is this bug
//   # known-input: <text>         an input holding the text is not checked: it would crash or
//                                 hang the whole run (a stack overflow, an exponential blow-up)
// Deleting the file (once the bug is fixed) makes such inputs count again.
#include <string>
#include <vector>

namespace sluice::fuzz {

struct KnownFindings {
  std::vector<std::string> messages;
  std::vector<std::string> inputs;

  bool message_is_known(const std::string& message) const;
  bool input_is_known(const std::string& input) const;
};

// Reads the header comments of every .yaml file in dir (none if dir does not exist).
KnownFindings load_known_findings(const std::string& dir);

}  // namespace sluice::fuzz
