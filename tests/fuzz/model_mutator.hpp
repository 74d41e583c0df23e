#pragma once
// Mutations that make sense for YAML models: besides flipping bytes, they work on lines, numbers,
// units and keys, so most mutants still parse and reach the checks behind the YAML reader (and,
// when they load, the engine).
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_random.hpp"

namespace sluice::fuzz {

enum class Mutation {
  flip_byte,  // one byte replaced: a YAML punctuation mark, a random byte or one bit flipped
  delete_line,
  duplicate_line,  // a line repeated right after itself (a duplicate key, a second list item)
  swap_lines,
  indent_line,     // two spaces more or fewer at the start of a line
  extreme_number,  // a number becomes 0, -1, 1e308, 1e-300, 2^63, nan, inf, ...
  swap_unit,       // "20ms" becomes "20h", "20MB", "20/s", "20%" or "20"
  swap_key,        // a key becomes another key the seed models use
  insert_line,     // a line of another seed model inserted (re-indented half the time)
  copy_value,      // a value replaced by the value of another seed model's line
  hostile_value,   // a value replaced by hostile text: bad UTF-8, a NUL, YAML tags, anchors and aliases, ...
  truncate,
  splice,  // the head of this input followed by the tail of another
};
inline constexpr std::size_t kMutationKinds = 13;

class ModelMutator {
 public:
  // The dictionary (keys, lines, values) is taken from the seed models.
  explicit ModelMutator(const std::vector<std::string>& seed_texts);

  // Applies between 1 and max_steps mutations, chosen by rng; `other` is the input to splice
  // with. The result is at most max_bytes long.
  std::string mutate(const std::string& text, const std::string& other, FuzzRandom& rng, int max_steps = 4,
                     std::size_t max_bytes = 64 * 1024) const;
  // One mutation of the given kind (the input unchanged when it has nothing to work on).
  std::string apply(Mutation kind, const std::string& text, const std::string& other, FuzzRandom& rng) const;

  const std::vector<std::string>& keys() const { return keys_; }

 private:
  std::vector<std::string> keys_;    // every "key:" of the seeds, sorted, without repeats
  std::vector<std::string> lines_;   // every non-blank line of the seeds that is not a comment
  std::vector<std::string> values_;  // every scalar after "key: " in the seeds
};

// A text as its lines (split at '\n', which they do not keep) and back: join_lines(split_lines(t)) == t.
std::vector<std::string> split_lines(const std::string& text);
std::string join_lines(const std::vector<std::string>& lines);

}  // namespace sluice::fuzz
