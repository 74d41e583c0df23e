// sluice_fuzz: the deterministic mutation runner over the model loader and a short run of what
// loads. See README.md in this folder for how to run it, and what to do with what it finds.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "crash_guard.hpp"
#include "model_target.hpp"
#include "mutation_runner.hpp"
#include "seed_models.hpp"

namespace fuzz = sluice::fuzz;

namespace {

constexpr const char* kUsage = R"(usage: sluice_fuzz [options] [--replay FILE...]
  --seed N          the run's seed (default 1); a seed and an iteration count give the same inputs everywhere
  --iterations N    mutants to check (default 1000)
  --max-seconds S   stop after S seconds of wall-clock time even if iterations remain (default: no limit)
  --hang-seconds S  a single input running longer than S is a hang: saved, exit code 3 (default 120)
  --rss-limit-mb M  resident memory beyond M MB is a finding too: saved, exit code 3 (default 4096)
  --corpus PATH     a seed model or a folder of them (repeatable; default: models/ and tests/data/good/)
  --out DIR         where findings, crashes and hangs are saved (default: fuzz-findings in the build)
  --known DIR       bugs recorded but not fixed yet, reported apart (default: tests/fuzz/crashes)
  --no-known        treat every finding as new
  --messages        print every distinct error message seen, with its count
  --replay FILE...  check these files once each instead of mutating (last: takes every argument after it)
Exit code: 0 no new finding, 1 new findings, 2 bad usage, 3 a hang or runaway memory; a crash
ends the process (the sanitizer's exit code, or the signal) after saving the input.
)";

struct Args {
  fuzz::RunnerOptions runner;
  double hang_seconds = 120;
  double rss_limit_mb = 4096;
  std::string known = SLUICE_SOURCE_DIR "/tests/fuzz/crashes";
  std::vector<std::string> corpus;
  std::string out = SLUICE_FUZZ_BINARY_DIR "/fuzz-findings";
  bool messages = false;
  std::vector<std::string> replay;
};

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--seed") a.runner.seed = std::stoull(value());
    else if (arg == "--iterations") a.runner.iterations = std::stoull(value());
    else if (arg == "--max-seconds") a.runner.max_seconds = std::stod(value());
    else if (arg == "--hang-seconds") a.hang_seconds = std::stod(value());
    else if (arg == "--rss-limit-mb") a.rss_limit_mb = std::stod(value());
    else if (arg == "--known") a.known = value();
    else if (arg == "--no-known") a.known.clear();
    else if (arg == "--corpus") a.corpus.push_back(value());
    else if (arg == "--out") a.out = value();
    else if (arg == "--messages") a.messages = true;
    else if (arg == "--replay") {
      while (i + 1 < argc) a.replay.push_back(argv[++i]);
      if (a.replay.empty()) throw std::invalid_argument("--replay needs files");
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else {
      throw std::invalid_argument("unknown option " + arg);
    }
  }
  return true;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const char* kind_name(fuzz::Outcome::Kind k) {
  switch (k) {
    case fuzz::Outcome::Kind::ran:
      return "ran";
    case fuzz::Outcome::Kind::model_error:
      return "model error";
    case fuzz::Outcome::Kind::run_aborted:
      return "stopped at its budget";
    case fuzz::Outcome::Kind::finding:
      return "FINDING";
  }
  return "?";
}

int replay(const Args& a) {
  int findings = 0;
  for (const auto& path : a.replay) {
    std::string text = read_file(path);
    fuzz::guard_input(0, text);
    std::string dir = std::filesystem::path(path).parent_path().string();
    fuzz::Outcome o = fuzz::check_model_text(text, dir.empty() ? "." : dir, {}, path);
    std::printf("%s: %s%s%s\n", path.c_str(), kind_name(o.kind), o.message.empty() ? "" : ": ", o.message.c_str());
    if (o.kind == fuzz::Outcome::Kind::finding) ++findings;
  }
  return findings ? 1 : 0;
}

std::string save(const std::string& dir, const std::string& text) {
  std::string path = dir + "/finding-" + fuzz::input_digest(text) + ".yaml";
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  try {
    parse(argc, argv, a);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n%s", e.what(), kUsage);
    return 2;
  }
  std::filesystem::create_directories(a.out);
  fuzz::install_crash_guard(a.out, a.hang_seconds, a.rss_limit_mb);
  if (!a.replay.empty()) return replay(a);

  if (a.corpus.empty()) a.corpus = {SLUICE_SOURCE_DIR "/models", SLUICE_SOURCE_DIR "/tests/data/good"};
  std::vector<fuzz::SeedModel> seeds = fuzz::load_seed_models(a.corpus);
  if (!a.known.empty()) a.runner.known = fuzz::load_known_findings(a.known);
  if (seeds.empty()) {
    std::fprintf(stderr, "error: no .yaml seed model found in the corpus paths\n");
    return 2;
  }
  fuzz::RunnerReport r = fuzz::run_mutations(
      seeds,
      [](const std::string& text, const std::string& base_dir) { return fuzz::check_model_text(text, base_dir); },
      a.runner, fuzz::guard_input);

  using K = fuzz::Outcome::Kind;
  auto n = [&](K k) { return static_cast<unsigned long long>(r.outcomes[static_cast<std::size_t>(k)]); };
  std::printf("sluice_fuzz: seed %llu: %llu mutants of %zu seed models in %.1f s\n",
              static_cast<unsigned long long>(a.runner.seed), static_cast<unsigned long long>(r.iterations),
              seeds.size(), r.wall_s);
  if (r.stopped_by_clock)
    std::printf("  stopped by the wall-clock cap (%g s) after %llu of %llu iterations\n", a.runner.max_seconds,
                static_cast<unsigned long long>(r.iterations), static_cast<unsigned long long>(a.runner.iterations));
  std::printf(
      "  outcomes: %llu model errors, %llu ran, %llu stopped at their budget, %llu findings (distinct: %zu new, %zu "
      "known)\n",
      n(K::model_error), n(K::ran), n(K::run_aborted), n(K::finding), r.findings.size(), r.known.size());
  std::printf("  distinct error messages: %zu; corpus grew to %zu inputs; digest of the mutants: %016llx\n",
              r.messages.size(), r.corpus_size, static_cast<unsigned long long>(r.digest));
  if (a.messages)
    for (const auto& [message, count] : r.messages)
      std::printf("  %6llu  %s\n", static_cast<unsigned long long>(count), message.c_str());
  for (const auto& f : r.findings) {
    std::string when = f.iteration == 0 ? "the seed itself" : "iteration " + std::to_string(f.iteration);
    std::printf("FINDING (%s, from %s; %llu inputs alike): %s\n  saved to %s\n", when.c_str(), f.parent.c_str(),
                static_cast<unsigned long long>(f.repeats), f.message.c_str(), save(a.out, f.input).c_str());
  }
  // Known findings, counted per bug (the fragment of its crash file) rather than per message.
  for (const auto& fragment : a.runner.known.messages) {
    unsigned long long inputs = 0;
    for (const auto& f : r.known)
      if (f.message.find(fragment) != std::string::npos) inputs += f.repeats;
    if (inputs)
      std::printf("  known finding, not a failure (%s): %llu mutants gave '%s'\n", a.known.c_str(), inputs,
                  fragment.c_str());
  }
  if (r.skipped)
    std::printf("  %llu mutants not checked: they hold a known-input marker of %s\n",
                static_cast<unsigned long long>(r.skipped), a.known.c_str());
  if (r.findings.empty()) std::printf("  no new findings\n");
  return r.findings.empty() ? 0 : 1;
}
