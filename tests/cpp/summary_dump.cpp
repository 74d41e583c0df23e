// Every summary the C++ tests make, written to $SLUICE_TEST_SUMMARY_DIR (when it is set) so that
// tests/python/test_summary_schema.py can validate them against docs/summary.schema.json. The
// link wraps sluice::run (tests/CMakeLists.txt: --wrap, GNU ld and lld on ELF), so every run is
// seen, the ones compare() and power_tune() make inside the library included, without a hook in
// the engine.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "sluice/run.hpp"

#define SLUICE_RUN_SYMBOL "_ZN6sluice3runERKNS_9ModelSpecERKNS_10RunOptionsE"

sluice::Results real_run(const sluice::ModelSpec& model,
                         const sluice::RunOptions& options) __asm__("__real_" SLUICE_RUN_SYMBOL);
sluice::Results wrapped_run(const sluice::ModelSpec& model,
                            const sluice::RunOptions& options) __asm__("__wrap_" SLUICE_RUN_SYMBOL);

sluice::Results wrapped_run(const sluice::ModelSpec& model, const sluice::RunOptions& options) {
  sluice::Results results = real_run(model, options);
  if (const char* dir = std::getenv("SLUICE_TEST_SUMMARY_DIR"); dir && *dir) {
    static std::atomic<unsigned> written{0};
    std::filesystem::path file = std::filesystem::path(dir) /
                                 ("summary-" + std::to_string(::getpid()) + "-" + std::to_string(written++) + ".json");
    std::ofstream(file) << sluice::summary_to_json(results);
  }
  return results;
}
