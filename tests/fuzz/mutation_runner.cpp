#include "mutation_runner.hpp"

#include <chrono>

#include "fuzz_random.hpp"
#include "model_mutator.hpp"

namespace sluice::fuzz {

std::string normalise_message(const std::string& message) {
  std::string out;
  char quote = 0;
  for (char c : message) {
    if (quote) {
      if (c == quote) {
        out += "*";
        out += c;
        quote = 0;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c >= '0' && c <= '9') {
      if (out.empty() || out.back() != '#') out += '#';
    } else if (!out.empty() && out.back() == '#' && (c == 'x' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      // the rest of a number: 0x84, 1e308
    } else {
      out += c;
    }
    if (out.size() >= 240) break;
  }
  return out;
}

RunnerReport run_mutations(const std::vector<SeedModel>& seeds, const Target& target, const RunnerOptions& options,
                           const InputHook& before_each) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto elapsed_s = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };

  RunnerReport report;
  std::map<std::string, std::size_t> new_index, known_index;  // normalised message -> position in the list
  auto record_finding = [&](std::uint64_t iteration, const SeedModel& parent, const std::string& input,
                            const Outcome& outcome) {
    bool known = options.known.message_is_known(outcome.message);
    auto& list = known ? report.known : report.findings;
    auto [it, is_new] = (known ? known_index : new_index).emplace(normalise_message(outcome.message), list.size());
    if (is_new) list.push_back({iteration, parent.name, input, outcome.message, 1});
    else ++list[it->second].repeats;
  };

  for (const auto& s : seeds) {
    if (options.known.input_is_known(s.text)) continue;
    if (before_each) before_each(0, s.text);
    Outcome o = target(s.text, s.base_dir);
    if (o.kind == Outcome::Kind::finding) record_finding(0, s, s.text, o);
  }
  if (seeds.empty()) return report;

  std::vector<std::string> seed_texts;
  for (const auto& s : seeds) seed_texts.push_back(s.text);
  const ModelMutator mutator(seed_texts);
  std::vector<SeedModel> corpus = seeds;
  FuzzRandom rng(options.seed);
  Fnv1a digest;

  for (std::uint64_t i = 1; i <= options.iterations; ++i) {
    if (options.max_seconds > 0 && elapsed_s() > options.max_seconds) {
      report.stopped_by_clock = true;
      break;
    }
    // Half the parents are the seeds themselves, so the mutants never drift far from real models.
    std::size_t parent_index = rng.one_in(2) ? rng.below(seeds.size()) : rng.below(corpus.size());
    std::size_t other_index = rng.below(corpus.size());
    const SeedModel parent = corpus[parent_index];
    std::string input = mutator.mutate(parent.text, corpus[other_index].text, rng, options.max_steps);
    digest.add(input.data(), input.size());
    digest.add("\0", 1);  // "ab","c" and "a","bc" differ
    ++report.iterations;
    if (options.known.input_is_known(input)) {
      ++report.skipped;
      continue;
    }

    if (before_each) before_each(i, input);
    Outcome outcome = target(input, parent.base_dir);
    ++report.outcomes[static_cast<std::size_t>(outcome.kind)];
    if (outcome.kind == Outcome::Kind::finding) {
      record_finding(i, parent, input, outcome);
      continue;
    }
    bool keep = false;
    if (outcome.kind == Outcome::Kind::ran) {
      keep = rng.one_in(4);  // a valid mutant: a new starting point for the engine
    } else {
      keep = ++report.messages[normalise_message(outcome.message)] == 1;
    }
    if (keep && corpus.size() < options.max_corpus) corpus.push_back({parent.name, std::move(input), parent.base_dir});
  }
  report.digest = digest.value();
  report.corpus_size = corpus.size();
  report.wall_s = elapsed_s();
  return report;
}

}  // namespace sluice::fuzz
