#include "cli/progress_bar.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sluice/units.hpp"

namespace sluice::cli {

void ProgressBar::update(const Progress& p) {
  constexpr int kWidth = 30;
  double fraction = p.total_s > 0 ? std::clamp(p.simulated_s / p.total_s, 0.0, 1.0) : 1.0;
  int filled = static_cast<int>(fraction * kWidth);
  double rate = p.wall_s > 0 ? static_cast<double>(p.events) / p.wall_s : 0;
  double left = fraction > 0 ? p.wall_s * (1 - fraction) / fraction : 0;
  std::string bar(static_cast<std::size_t>(filled), '=');
  bar.resize(kWidth, ' ');
  fmt::print(stderr, "\r[{}] {:3.0f}%  sim {} / {}  {:.2f}M events/s  {:.0f}s left   ", bar, fraction * 100,
             units::format_duration_ns(p.simulated_s * 1e9), units::format_duration_ns(p.total_s * 1e9), rate / 1e6,
             left);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::update_runs(std::size_t done, std::size_t total, double wall_s) {
  constexpr int kWidth = 30;
  double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  std::string bar(static_cast<std::size_t>(fraction * kWidth), '=');
  bar.resize(kWidth, ' ');
  double left = fraction > 0 ? wall_s * (1 - fraction) / fraction : 0;
  fmt::print(stderr, "\r[{}] {:3.0f}%  {} / {} runs  {:.0f}s left   ", bar, fraction * 100, done, total, left);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::done() {
  if (drawn_) fmt::print(stderr, "\r{:100}\r", "");
}

}  // namespace sluice::cli
