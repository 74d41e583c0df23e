#pragma once
// Keeps the input being checked, and writes it to a file when the process dies on it (a signal,
// a sanitizer report) or hangs on it, so every crash the runner finds can be replayed. The
// sanitizers stop the process at their first report; this only makes sure the input survives.
#include <cstdint>
#include <string>

namespace sluice::fuzz {

// Installs the handlers (once per process). Files go to crash_dir, which must exist, as
// crash-, hang- or memory-<digest>.yaml. A check running longer than hang_seconds, or the
// process growing beyond rss_limit_mb of resident memory, saves the input and exits with code 3
// (0: no limit).
void install_crash_guard(const std::string& crash_dir, double hang_seconds, double rss_limit_mb = 0);

// The input about to be checked; `text` must stay alive until the next call.
void guard_input(std::uint64_t iteration, const std::string& text);

// The 16 hex digits naming a saved input (FNV-1a of its bytes).
std::string input_digest(const std::string& text);

}  // namespace sluice::fuzz
