#pragma once
// "Did you mean ...?" for misspelled keys, types and names.
#include <string>
#include <string_view>
#include <vector>

namespace sluice::model {

// The closest candidate by edit distance, or "" when nothing is close enough to be a typo.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// "a" or "an" before a word as it is read aloud: "an api_gateway", "an sqs", "a lambda".
std::string article(std::string_view word);
// "a, b, c"
std::string join(const std::vector<std::string>& words, std::string_view sep = ", ");

}  // namespace sluice::model
