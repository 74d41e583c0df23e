// Writing results: summary.json and timeseries.csv, byte-identical for the same run.
#include <fmt/format.h>

#include "sluice/results.hpp"

namespace sluice {

std::string summary_to_json(const Results& results) { return results.summary.dump(2) + "\n"; }

std::string timeseries_to_csv(const Results& results) {
  const TimeSeries& ts = results.timeseries;
  std::string out = "time_s,component,metric,value\n";
  out.reserve(ts.rows() * 40);
  for (std::size_t i = 0; i < ts.rows(); ++i)
    fmt::format_to(std::back_inserter(out), "{},{},{},{}\n", ts.time_s[i], ts.components[ts.component[i]],
                   ts.metrics[ts.metric[i]], ts.value[i]);
  return out;
}

}  // namespace sluice
