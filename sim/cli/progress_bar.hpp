#pragma once
// A one-line progress bar on stderr: simulated time, events per second, time left.
#include <cstdio>

#include "sluice/run.hpp"

namespace sluice::cli {

class ProgressBar {
 public:
  void update(const Progress& p);
  void done();

 private:
  bool drawn_ = false;
};

}  // namespace sluice::cli
