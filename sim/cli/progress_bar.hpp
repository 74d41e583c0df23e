#pragma once
// A one-line progress bar on stderr: simulated time, events per second, time left.
#include <cstddef>
#include <cstdio>

#include "sluice/run.hpp"

namespace sluice::cli {

class ProgressBar {
 public:
  void update(const Progress& p);
  // A sweep's bar: runs done of all runs, and the time left at the pace so far.
  void update_runs(std::size_t done, std::size_t total, double wall_s);
  void done();

 private:
  bool drawn_ = false;
};

}  // namespace sluice::cli
