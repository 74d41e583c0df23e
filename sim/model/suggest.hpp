#pragma once
// Wording for messages: "did you mean ...?" for misspelled keys, types and names, and the way a
// value from the model is quoted.
#include <string>
#include <string_view>
#include <vector>

namespace sluice::model {

// Levenshtein distance: the fewest insertions, deletions and substitutions from a to b.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate by edit distance, or "" when nothing is close enough to be a typo.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// "a" or "an" before a word as it is read aloud: "an api_gateway", "an sqs", "a lambda".
std::string article(std::string_view word);
// A value from the model as a message quotes it: in single quotes, with control characters
// escaped ("\n"), and cut after its first 80 characters with its length said
// ("'99999...' (209715200 bytes in all)"), so that a huge scalar is never echoed whole.
std::string quote(std::string_view value);
// The same cut without the quotes, for a value shown in a location ("--set key=value").
std::string shorten(std::string_view value);
// "a, b, c"
std::string join(const std::vector<std::string>& words, std::string_view sep = ", ");

}  // namespace sluice::model
