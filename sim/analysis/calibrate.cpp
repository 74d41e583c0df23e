#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "sluice/analysis.hpp"
#include "sluice/units.hpp"

namespace sluice {
namespace {

constexpr double kMbPerVcpu = 1769;
constexpr int kMaxThreads = 6;

struct Fit {
  double io = 0, cpu = 0, sse = std::numeric_limits<double>::infinity();
};

// Least squares of duration = io + cpu * x with io, cpu >= 0 (a negative coefficient has no
// physical meaning: it falls back to the one-parameter fit without it).
Fit fit_line(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
  Eigen::MatrixXd a(x.size(), 2);
  a.col(0).setOnes();
  a.col(1) = x;
  Eigen::Vector2d coef = a.colPivHouseholderQr().solve(y);
  Fit f{coef(0), coef(1), 0};
  if (f.io < 0) {
    f.io = 0;
    f.cpu = x.dot(y) / x.squaredNorm();
  }
  if (f.cpu < 0) {
    f.cpu = 0;
    f.io = y.mean();
  }
  f.sse = (y - (f.io + f.cpu * x.array()).matrix()).squaredNorm();
  return f;
}

Eigen::VectorXd regressor(const std::vector<Measurement>& ms, int threads) {
  Eigen::VectorXd x(static_cast<Eigen::Index>(ms.size()));
  for (std::size_t i = 0; i < ms.size(); ++i)
    x(static_cast<Eigen::Index>(i)) = 1.0 / std::min(ms[i].memory_mb / kMbPerVcpu, static_cast<double>(threads));
  return x;
}

}  // namespace

Calibration calibrate(const std::vector<Measurement>& ms) {
  if (ms.size() < 3)
    throw std::invalid_argument(fmt::format("calibration needs at least 3 measurements, got {}", ms.size()));
  for (const auto& m : ms) {
    if (!(m.memory_mb >= 128 && m.memory_mb <= 10240))
      throw std::invalid_argument(fmt::format("memory {} MB is outside Lambda's 128-10240 MB", m.memory_mb));
    if (!(m.duration_ms > 0) || !std::isfinite(m.duration_ms))
      throw std::invalid_argument(fmt::format("duration {} ms is not a positive duration", m.duration_ms));
  }
  double lowest = ms.front().memory_mb, highest = lowest;
  for (const auto& m : ms) {
    lowest = std::min(lowest, m.memory_mb);
    highest = std::max(highest, m.memory_mb);
    if (m.duration_ms > 1e9)
      throw std::invalid_argument(fmt::format("duration {} ms is beyond any Lambda timeout", m.duration_ms));
  }
  if (lowest == highest) throw std::invalid_argument("calibration needs measurements at two or more memory sizes");
  Eigen::VectorXd y(static_cast<Eigen::Index>(ms.size()));
  for (std::size_t i = 0; i < ms.size(); ++i) y(static_cast<Eigen::Index>(i)) = ms[i].duration_ms;
  Calibration best;
  Fit best_fit;
  // Fewer threads win ties: with every memory below 1,769 MB the data cannot tell them apart.
  for (int threads = 1; threads <= kMaxThreads; ++threads) {
    Fit f = fit_line(regressor(ms, threads), y);
    if (f.sse < best_fit.sse * (1 - 1e-9)) {
      best_fit = f;
      best.threads = threads;
    }
  }
  best.cpu_ms = best_fit.cpu;
  best.io_ms = best_fit.io;
  best.measurements = ms.size();
  Eigen::VectorXd fitted = (best_fit.io + best_fit.cpu * regressor(ms, best.threads).array()).matrix();
  best.fitted_ms.assign(fitted.data(), fitted.data() + fitted.size());
  double sst = (y.array() - y.mean()).square().sum();
  best.r_squared = sst > 0 ? 1 - best_fit.sse / sst : 1.0;
  best.rmse_ms = std::sqrt(best_fit.sse / static_cast<double>(ms.size()));
  return best;
}

std::vector<Measurement> read_measurements_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ModelError(SourceLocation{path, 0, 0}, "", "cannot read the measurements file");
  std::vector<Measurement> out;
  std::string line;
  int line_no = 0;
  auto cell_value = [&](std::string cell, bool is_memory, int column) {
    while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\r')) cell.pop_back();
    while (!cell.empty() && cell.front() == ' ') cell.erase(cell.begin());
    double v = 0;
    auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    if (ec == std::errc() && ptr == cell.data() + cell.size()) return v;
    auto with_unit = is_memory ? units::parse_size_bytes(cell) : units::parse_duration_ns(cell);
    if (with_unit) return is_memory ? *with_unit / (1024.0 * 1024) : *with_unit / 1e6;
    throw ModelError(SourceLocation{path, line_no, column}, "",
                     fmt::format("'{}' is not a {}", cell,
                                 is_memory ? "memory size (MB, or like 512MB)" : "duration (ms, or like 120ms)"));
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#' || line == "\r") continue;
    auto comma = line.find(',');
    if (comma == std::string::npos)
      throw ModelError(SourceLocation{path, line_no, 1}, "", "expected two columns: memory,duration");
    std::string first = line.substr(0, comma), second = line.substr(comma + 1);
    second = second.substr(0, second.find(','));
    if (out.empty() && line_no == 1 && !first.empty() && std::isalpha(static_cast<unsigned char>(first[0]))) continue;
    out.push_back(Measurement{cell_value(first, true, 1), cell_value(second, false, static_cast<int>(comma) + 2)});
  }
  return out;
}

}  // namespace sluice
