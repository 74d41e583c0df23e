#include "crash_guard.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include "fuzz_random.hpp"

// Present when a sanitizer runtime is linked in (GCC's and clang's): called before the
// sanitizer ends the process after its report. Weak, so a plain build links without it.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace sluice::fuzz {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

char g_dir[4096];
std::atomic<const std::string*> g_input{nullptr};
std::atomic<std::uint64_t> g_iteration{0};
std::atomic<std::int64_t> g_started_ms{0};
std::atomic<bool> g_saved{false};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Everything below runs in a signal handler or a dying process: no allocation, no stdio.
void append(char* buf, std::size_t& len, std::size_t cap, const char* s) {
  while (*s && len + 1 < cap) buf[len++] = *s++;
  buf[len] = '\0';
}

void append_hex(char* buf, std::size_t& len, std::size_t cap, std::uint64_t v) {
  char digits[17];
  for (int i = 15; i >= 0; --i, v >>= 4) digits[i] = "0123456789abcdef"[v & 15];
  digits[16] = '\0';
  append(buf, len, cap, digits);
}

void append_decimal(char* buf, std::size_t& len, std::size_t cap, std::uint64_t v) {
  char digits[21];
  int i = 20;
  digits[i] = '\0';
  do digits[--i] = static_cast<char>('0' + v % 10);
  while ((v /= 10) != 0);
  append(buf, len, cap, digits + i);
}

void say(const char* text) {
  ssize_t ignored = write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

void save_input(const char* kind) {
  if (g_saved.exchange(true)) return;
  const std::string* input = g_input.load();
  if (!input) return;
  Fnv1a digest;
  digest.add(input->data(), input->size());
  char path[4200];
  std::size_t len = 0;
  append(path, len, sizeof path, g_dir);
  append(path, len, sizeof path, "/");
  append(path, len, sizeof path, kind);
  append(path, len, sizeof path, "-");
  append_hex(path, len, sizeof path, digest.value());
  append(path, len, sizeof path, ".yaml");
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    for (std::size_t done = 0; done < input->size();) {
      ssize_t n = write(fd, input->data() + done, input->size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    close(fd);
  }
  char line[4400];
  std::size_t n = 0;
  append(line, n, sizeof line, "\nsluice_fuzz: ");
  append(line, n, sizeof line, kind);
  append(line, n, sizeof line, " on iteration ");
  append_decimal(line, n, sizeof line, g_iteration.load());
  append(line, n, sizeof line, fd >= 0 ? "; input saved to " : "; could not save the input to ");
  append(line, n, sizeof line, path);
  append(line, n, sizeof line, "\n");
  say(line);
}

void on_signal(int sig) {
  save_input("crash");
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void on_sanitizer_death() { save_input("crash"); }

// Resident memory in MB (Linux), 0 if unknown.
double resident_mb() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return n == 2 ? static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0) : 0;
}

// A hang or a runaway allocation never returns to the runner: this thread notices it instead.
void watch(double hang_seconds, double rss_limit_mb) {
  const auto limit_ms = static_cast<std::int64_t>(hang_seconds * 1000);
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    std::int64_t started = g_started_ms.load();
    if (hang_seconds > 0 && started > 0 && now_ms() - started > limit_ms) {
      save_input("hang");
      say("sluice_fuzz: one input ran longer than the hang limit (--hang-seconds)\n");
      _exit(3);
    }
    if (rss_limit_mb > 0 && resident_mb() > rss_limit_mb) {
      save_input("memory");
      say("sluice_fuzz: the process grew beyond the memory limit (--rss-limit-mb)\n");
      _exit(3);
    }
  }
}

}  // namespace

std::string input_digest(const std::string& text) {
  Fnv1a digest;
  digest.add(text.data(), text.size());
  char hex[20];
  std::size_t len = 0;
  append_hex(hex, len, sizeof hex, digest.value());
  return hex;
}

void install_crash_guard(const std::string& crash_dir, double hang_seconds, double rss_limit_mb) {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  std::size_t len = 0;
  append(g_dir, len, sizeof g_dir, crash_dir.c_str());
  // AddressSanitizer reports SIGSEGV, SIGBUS and SIGFPE itself (and then calls the death
  // callback); a handler of ours would replace its report. It leaves SIGABRT alone.
  // The handler runs on a stack of its own: a stack overflow leaves none to run on.
  static char alternate_stack[1 << 16];
  stack_t ss{};
  ss.ss_sp = alternate_stack;
  ss.ss_size = sizeof alternate_stack;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  if (!kAddressSanitizer) sigaltstack(&ss, nullptr);  // ASan has its own, for its own handler
  sigaction(SIGABRT, &sa, nullptr);
  if (!kAddressSanitizer)
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL}) sigaction(sig, &sa, nullptr);
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(on_sanitizer_death);
  if (hang_seconds > 0 || rss_limit_mb > 0) std::thread(watch, hang_seconds, rss_limit_mb).detach();
}

void guard_input(std::uint64_t iteration, const std::string& text) {
  g_input.store(&text);
  g_iteration.store(iteration);
  g_started_ms.store(now_ms());
}

}  // namespace sluice::fuzz
