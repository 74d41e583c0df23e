#pragma once
// The deterministic mutation runner: from a seed number and an iteration count it derives the
// same inputs on every machine and compiler, checks each with a target, and reports what it saw.
// Inputs that gave a message never seen before join the corpus, so later mutants build on them.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "known_findings.hpp"
#include "model_target.hpp"

namespace sluice::fuzz {

struct SeedModel {
  std::string name;  // its path, for reports
  std::string text;
  std::string base_dir;  // where its trace files are
};

struct RunnerOptions {
  std::uint64_t seed = 1;
  std::uint64_t iterations = 1000;
  double max_seconds = 0;  // a wall-clock safety net (0: none); reaching it is reported
  int max_steps = 4;       // mutations stacked on one input: 1 to max_steps
  std::size_t max_corpus = 4096;
  KnownFindings known;  // reported apart, not failures; their inputs are not checked
};

struct Finding {
  std::uint64_t iteration = 0;  // 0: the seed model itself, unmutated
  std::string parent;           // the seed the input descends from
  std::string input;
  std::string message;
  std::uint64_t repeats = 1;  // inputs that gave the same (normalised) message
};

struct RunnerReport {
  std::uint64_t iterations = 0;  // mutants checked
  bool stopped_by_clock = false;
  double wall_s = 0;
  std::uint64_t digest = 0;                       // FNV-1a of every mutant generated, in order
  std::array<std::uint64_t, 4> outcomes{};        // mutants per Outcome::Kind
  std::map<std::string, std::uint64_t> messages;  // normalised error message -> mutants that gave it
  std::vector<Finding> findings;                  // the first input of each distinct finding, seeds first
  std::vector<Finding> known;                     // the same, for findings already recorded (options.known)
  std::uint64_t skipped = 0;                      // mutants not checked: they hold a known-input marker
  std::size_t corpus_size = 0;
};

using Target = std::function<Outcome(const std::string& text, const std::string& base_dir)>;
// Called with each input just before the target sees it (the crash guard keeps it).
using InputHook = std::function<void(std::uint64_t iteration, const std::string& text)>;

// Checks every seed as it is, then options.iterations mutants (fewer if the clock runs out).
// Each mutant counts as an iteration, checked or skipped as known.
RunnerReport run_mutations(const std::vector<SeedModel>& seeds, const Target& target, const RunnerOptions& options,
                           const InputHook& before_each = {});

// A message with its numbers (0x84 and 1e308 too) and quoted words blanked, so that "line 12" and
// "line 13", or "unknown key 'fooo'" and "unknown key 'foob'", count as one kind of message.
std::string normalise_message(const std::string& message);

}  // namespace sluice::fuzz
