// The libFuzzer target (clang only; see README.md): the same checks as sluice_fuzz, driven by
// libFuzzer's coverage feedback. Half of its mutations are the YAML-aware ones of ModelMutator.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "known_findings.hpp"
#include "model_mutator.hpp"
#include "model_target.hpp"
#include "seed_models.hpp"

namespace {

const std::vector<sluice::fuzz::SeedModel>& seeds() {
  static const auto s =
      sluice::fuzz::load_seed_models({SLUICE_SOURCE_DIR "/models", SLUICE_SOURCE_DIR "/tests/data/good"});
  return s;
}

// Bugs recorded in tests/fuzz/crashes/ and not fixed yet: not reported again.
const sluice::fuzz::KnownFindings& known() {
  static const auto k = sluice::fuzz::load_known_findings(SLUICE_SOURCE_DIR "/tests/fuzz/crashes");
  return k;
}

const sluice::fuzz::ModelMutator& mutator() {
  static const sluice::fuzz::ModelMutator m = [] {
    std::vector<std::string> texts;
    for (const auto& s : seeds()) texts.push_back(s.text);
    return sluice::fuzz::ModelMutator(texts);
  }();
  return m;
}

}  // namespace

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (known().input_is_known(text)) return -1;  // would crash or hang on a known bug; not kept in the corpus
  // Trace files are found next to the shipped models (models/traces/).
  auto outcome = sluice::fuzz::check_model_text(text, SLUICE_SOURCE_DIR "/models");
  if (outcome.kind == sluice::fuzz::Outcome::Kind::finding && !known().message_is_known(outcome.message)) {
    std::fprintf(stderr, "sluice finding: %s\n", outcome.message.c_str());
    std::abort();  // libFuzzer saves the input as crash-<sha1>
  }
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  sluice::fuzz::FuzzRandom rng(seed);
  if (rng.one_in(2) || seeds().empty()) return LLVMFuzzerMutate(data, size, max_size);
  const std::string& other = seeds()[rng.below(seeds().size())].text;
  std::string out = mutator().mutate(std::string(reinterpret_cast<const char*>(data), size), other, rng, 4, max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
