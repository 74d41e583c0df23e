// The lognormal latencies the readers default to, given as a median and a p99.
#include "kernel/sampling.hpp"
#include "model/readers.hpp"

namespace sluice::model {

Distribution lognormal_median_p99(double median, double p99) {
  auto p = kernel::lognormal_from_median_p99(median, p99);
  return Distribution{Distribution::Kind::lognormal, p.mu, p.sigma, {}};
}

}  // namespace sluice::model
