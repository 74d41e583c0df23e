// The memory the per-bucket latency percentiles hold after a run (BENCHMARKS.md, issue 12): each
// bucket keeps counts only over the 10% bins its latencies span, instead of all 242.
//
//   percentile_memory MODEL [DURATION]     e.g. percentile_memory models/default.yaml 24h
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "engine/engine.hpp"
#include "sluice/model.hpp"
#include "sluice/run.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: percentile_memory MODEL [DURATION]\n");
    return 2;
  }
  std::vector<sluice::Override> overrides;
  if (argc > 2) overrides.push_back(sluice::Override{"run.duration", argv[2]});
  sluice::ModelSpec model = sluice::load_model(argv[1], overrides);
  sluice::engine::Engine engine(model, sluice::RunOptions{});
  engine.run();
  const auto& ts = engine.series();
  const double sources = static_cast<double>(model.sources.size());
  const double buckets = static_cast<double>(ts.buckets());
  fmt::print(
      "{} sources x {} buckets: {:.0f} bytes of percentile counts, {:.1f} bytes per source per bucket "
      "(242 bins of 4 bytes before: 968)\n",
      model.sources.size(), ts.buckets(), ts.percentile_bytes(), ts.percentile_bytes() / sources / buckets);
  return 0;
}
