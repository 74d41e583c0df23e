// The fuzzers' own machinery: the mutation runner is deterministic, finds a planted bug, and the
// crash guard keeps the input a process dies on.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

#include "catch.hpp"
#include "crash_guard.hpp"
#include "model_mutator.hpp"
#include "model_target.hpp"
#include "mutation_runner.hpp"
#include "seed_models.hpp"
#include "sluice/model.hpp"

namespace fz = sluice::fuzz;

namespace {

std::vector<fz::SeedModel> shipped_seeds() {
  return fz::load_seed_models({SLUICE_SOURCE_DIR "/models", SLUICE_SOURCE_DIR "/tests/data/good"});
}

// The loader alone (no run): real messages for the corpus feedback, and fast.
fz::Outcome load_only(const std::string& text, const std::string& base_dir) {
  try {
    sluice::load_model_from_string(text, {}, "<fuzz>", base_dir);
    return {};
  } catch (const sluice::ModelError& e) {
    return {fz::Outcome::Kind::model_error, e.what()};
  }
}

// A target with a planted bug: any input holding the marker is a finding. Every other input is
// "rejected" with its first line as the message (cheap, and still feeds the corpus).
constexpr const char* kMarker = "1e308";
fz::Outcome planted_bug(const std::string& text, const std::string&) {
  if (text.find(kMarker) != std::string::npos) return {fz::Outcome::Kind::finding, "planted bug"};
  return {fz::Outcome::Kind::model_error, text.substr(0, text.find('\n'))};
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("sluice-fuzz-test-" + std::to_string(getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Runs `body` in a child process (which must not return into Catch) and returns its wait status.
template <typename Body>
int in_child(Body body) {
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

}  // namespace

TEST_CASE("The fuzz target tells a clean run, a model error and a run stopped at its budget apart", "[fuzz]") {
  const std::string model =
      "sluice: 1\nname: small\nrun: {duration: 10m, warmup: 1m}\nsources:\n  users:\n    target: f\n"
      "    arrivals: {process: poisson, rate: 5/s}\ncomponents:\n  f:\n    type: lambda\n    memory: 128MB\n"
      "    steps:\n      - cpu: 5ms\n";
  auto clean = fz::check_model_text(model, SLUICE_SOURCE_DIR);
  CHECK(clean.kind == fz::Outcome::Kind::ran);
  CHECK(clean.message.empty());

  auto bad = fz::check_model_text(model + "    memory: 256MB\n", SLUICE_SOURCE_DIR);
  CHECK(bad.kind == fz::Outcome::Kind::model_error);
  CHECK_THAT(bad.message, Catch::Contains("<fuzz>:14:"));

  fz::TargetLimits tight;
  tight.max_events = 100;  // 5/s over 1m + 30s makes about 450 requests
  auto stopped = fz::check_model_text(model, SLUICE_SOURCE_DIR, tight);
  CHECK(stopped.kind == fz::Outcome::Kind::run_aborted);
}

TEST_CASE("A mutation run derives the same mutants from the same seed and iteration count", "[fuzz]") {
  auto seeds = shipped_seeds();
  REQUIRE(seeds.size() >= 4);
  fz::RunnerOptions o;
  o.iterations = 200;
  o.seed = 7;
  std::vector<std::string> first_inputs;
  auto first = fz::run_mutations(seeds, load_only, o, [&](std::uint64_t i, const std::string& t) {
    if (i > 0) first_inputs.push_back(t);
  });
  auto again = fz::run_mutations(seeds, load_only, o);
  CHECK(first.iterations == 200);
  CHECK(again.digest == first.digest);
  CHECK(again.messages == first.messages);
  CHECK(again.corpus_size == first.corpus_size);

  o.seed = 8;
  CHECK(fz::run_mutations(seeds, load_only, o).digest != first.digest);

  // The mutants are mutants: nearly all differ from every seed, and the loader rejects them
  // for many different reasons.
  std::set<std::string> seed_texts;
  for (const auto& s : seeds) seed_texts.insert(s.text);
  auto unchanged = std::count_if(first_inputs.begin(), first_inputs.end(),
                                 [&](const std::string& t) { return seed_texts.count(t) > 0; });
  CHECK(first_inputs.size() == 200);
  CHECK(unchanged < 10);
  CHECK(first.messages.size() >= 20);
  CHECK(first.findings.empty());
}

TEST_CASE("A mutation run finds a planted bug and reports its input", "[fuzz]") {
  auto seeds = shipped_seeds();
  for (const auto& s : seeds) REQUIRE(s.text.find(kMarker) == std::string::npos);  // only a mutant can hold it
  fz::RunnerOptions o;
  o.iterations = 1000;
  auto r = fz::run_mutations(seeds, planted_bug, o);
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings[0];
  CHECK(f.message == "planted bug");
  CHECK(f.iteration > 0);
  CHECK(f.input.find(kMarker) != std::string::npos);
  CHECK(f.repeats == r.outcomes[static_cast<std::size_t>(fz::Outcome::Kind::finding)]);
  // The same seed finds it at the same iteration.
  CHECK(fz::run_mutations(seeds, planted_bug, o).findings.at(0).iteration == f.iteration);

  // Recorded as known (tests/fuzz/crashes/), it is reported apart and is no failure ...
  o.known.messages = {"planted"};
  auto known = fz::run_mutations(seeds, planted_bug, o);
  CHECK(known.findings.empty());
  REQUIRE(known.known.size() == 1);
  CHECK(known.known[0].iteration == f.iteration);
  // ... and an input marker keeps such inputs from the target altogether.
  o.known = {{}, {kMarker}};
  auto skipped = fz::run_mutations(seeds, planted_bug, o);
  CHECK(skipped.findings.empty());
  CHECK(skipped.known.empty());
  CHECK(skipped.skipped == f.repeats);
  CHECK(skipped.digest == r.digest);
}

TEST_CASE("Known findings are read from the header comments of the crash files", "[fuzz]") {
  auto dir = fresh_dir("known");
  std::ofstream(dir / "01-a.yaml")
      << "# expect: UTF-8\n# known-finding: type_error.316\n# known-input: *loop\nsluice: 1\n"
         "# known-finding: not in the header\n";
  std::ofstream(dir / "notes.md") << "# known-finding: not a crash file\n";
  auto known = fz::load_known_findings(dir.string());
  CHECK(known.messages == std::vector<std::string>{"type_error.316"});
  CHECK(known.inputs == std::vector<std::string>{"*loop"});
  CHECK(known.message_is_known("effective_json threw type_error: [json.exception.type_error.316] invalid UTF-8"));
  CHECK_FALSE(known.message_is_known("run threw std::out_of_range"));
  CHECK(known.input_is_known("description: &loop [*loop]"));
  CHECK(fz::load_known_findings((dir / "missing").string()).messages.empty());
  std::filesystem::remove_all(dir);
}

TEST_CASE("Each mutation changes a model and the line mutations round-trip its text", "[fuzz]") {
  auto seeds = shipped_seeds();
  std::vector<std::string> texts;
  for (const auto& s : seeds) texts.push_back(s.text);
  fz::ModelMutator mutator(texts);
  CHECK(std::find(mutator.keys().begin(), mutator.keys().end(), "memory") != mutator.keys().end());
  const std::string model = "sluice: 1\nrun: {duration: 10m}\ncomponents:\n  f:\n    type: lambda\n    memory: 512MB\n";
  CHECK(fz::join_lines(fz::split_lines(model)) == model);
  for (std::size_t k = 0; k < fz::kMutationKinds; ++k) {
    INFO("mutation " << k);
    fz::FuzzRandom rng(k);
    bool changed = false;
    for (int attempt = 0; attempt < 20 && !changed; ++attempt)
      changed = mutator.apply(static_cast<fz::Mutation>(k), model, texts.front(), rng) != model;
    CHECK(changed);
  }
  // A number mutation replaces the number and keeps its unit.
  fz::FuzzRandom rng(3);
  for (int i = 0; i < 20; ++i) {
    std::string out = mutator.apply(fz::Mutation::extreme_number, "memory: 512MB", "", rng);
    CHECK(out.rfind("memory: ", 0) == 0);
    CHECK(out.size() > 10);
    CHECK(out.substr(out.size() - 2) == "MB");
  }
}

// Pinned: the mutants of a fixed text are the same with every compiler and standard library
// (the GCC and clang builds agree). Changing a mutation changes this digest, deliberately.
TEST_CASE("The mutator's output for a fixed seed is the same everywhere", "[fuzz]") {
  const std::string model =
      "sluice: 1\nname: pinned\nrun: {duration: 10m, warmup: 1m, seed: 42}\nsources:\n  users:\n"
      "    target: api\n    arrivals: {process: poisson, rate: 50/s}\n    payload: {size: 2KB}\n"
      "components:\n  api:\n    type: api_gateway\n    timeout: 29s\n    target: f\n"
      "  f:\n    type: lambda\n    memory: 512MB\n    steps:\n      - cpu: 20ms\n";
  fz::ModelMutator mutator({model});
  fz::FuzzRandom rng(2024);
  fz::Fnv1a digest;
  for (int i = 0; i < 500; ++i) {
    std::string out = mutator.mutate(model, model.substr(0, 120), rng);
    digest.add(out.data(), out.size());
  }
  CHECK(digest.value() == 0x828627f951e3429cULL);
}

TEST_CASE("The crash guard saves the input a process aborts on", "[fuzz]") {
  auto dir = fresh_dir("abort");
  auto seeds = shipped_seeds();
  int status = in_child([&] {
    fz::install_crash_guard(dir.string(), 0);
    fz::RunnerOptions o;
    o.iterations = 1000;
    fz::run_mutations(
        seeds,
        [](const std::string& text, const std::string& base_dir) {
          if (text.find(kMarker) != std::string::npos) std::abort();
          return load_only(text, base_dir);
        },
        o, fz::guard_input);
  });
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGABRT);
  auto files = files_in(dir);
  REQUIRE(files.size() == 1);
  CHECK(files[0].filename().string().rfind("crash-", 0) == 0);
  std::string saved = read(files[0]);
  CHECK(saved.find(kMarker) != std::string::npos);
  CHECK(files[0].filename().string() == "crash-" + fz::input_digest(saved) + ".yaml");
  std::filesystem::remove_all(dir);
}

// GCC defines __SANITIZE_ADDRESS__; clang 14 only answers __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define SLUICE_FUZZ_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLUICE_FUZZ_TEST_ASAN 1
#endif
#endif

#if defined(SLUICE_FUZZ_TEST_ASAN)
TEST_CASE("The crash guard saves the input of an AddressSanitizer report", "[fuzz]") {
  auto dir = fresh_dir("asan");
  auto log = dir.parent_path() / (dir.filename().string() + ".log");
  int status = in_child([&] {
    std::freopen(log.c_str(), "w", stderr);  // the report is expected: keep it out of the test's output
    fz::install_crash_guard(dir.string(), 0);
    std::string input = "sluice: 1\nname: overflow\n";
    fz::guard_input(1, input);
    std::vector<char> buffer(input.size());
    volatile char* p = buffer.data();
    p[input.size()] = 'x';  // a heap-buffer-overflow: ASan reports it and ends the process
  });
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) != 0);
  CHECK(read(log).find("AddressSanitizer: heap-buffer-overflow") != std::string::npos);
  auto files = files_in(dir);
  REQUIRE(files.size() == 1);
  CHECK(read(files[0]) == "sluice: 1\nname: overflow\n");
  std::filesystem::remove_all(dir);
  std::filesystem::remove(log);
}
#endif
