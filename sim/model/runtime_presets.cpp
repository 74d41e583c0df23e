#include "model/runtime_presets.hpp"

#include "kernel/sampling.hpp"

namespace sluice::model {
namespace {

struct Preset {
  const char* runtime;
  double init_ms_x86;    // hello-world Init Duration at 512 MB x86_64 (S-L12, 2026-08-22)
  double init_ms_arm64;  // the same at 512 MB arm64
};

// Hello-world values: a real function's init is heavier; set cold_start in the model when known.
constexpr Preset kPresets[] = {
    {"python3.12", 83, 80},      {"python3.13", 86, 77},   {"python3.14", 101, 94}, {"nodejs20.x", 139, 127},
    {"nodejs22.x", 139, 130},    {"nodejs24.x", 131, 114}, {"java17", 202, 224},    {"java21", 231, 245},
    {"java25", 193, 197},        {"dotnet8", 268, 282},    {"dotnet10", 247, 247},  {"ruby3.4", 252, 286},
    {"provided.al2023", 49, 44}, {"provided.al2", 49, 44},
};

// SnapStart restore on hello-world: about 500-770 ms for java11/17/21 at 512-1024 MB (S-L12, 2024).
constexpr double kSnapStartMedianMs = 600;
// Assumption (docs/assumptions.md): the tail of a preset is p99 = 3 x median.
constexpr double kPresetP99OverMedian = 3.0;

Distribution lognormal_ms(double median_ms) {
  auto p = kernel::lognormal_from_median_p99(median_ms * 1e6, kPresetP99OverMedian * median_ms * 1e6);
  return Distribution{Distribution::Kind::lognormal, p.mu, p.sigma, {}};
}

}  // namespace

const std::vector<std::string>& known_runtimes() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& p : kPresets) v.emplace_back(p.runtime);
    return v;
  }();
  return names;
}

std::optional<Distribution> cold_start_preset(const std::string& runtime, LambdaSpec::Architecture arch,
                                              bool snap_start) {
  for (const auto& p : kPresets) {
    if (runtime != p.runtime) continue;
    if (snap_start) return lognormal_ms(kSnapStartMedianMs);
    return lognormal_ms(arch == LambdaSpec::Architecture::arm64 ? p.init_ms_arm64 : p.init_ms_x86);
  }
  return std::nullopt;
}

}  // namespace sluice::model
