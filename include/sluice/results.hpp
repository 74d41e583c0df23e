#pragma once
// Results of one run: the summary (typed; written as summary.json, schema 1) and the time series
// in long form. Plain data: nothing here points into the engine.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/summary.hpp"

namespace sluice {

// Long-form time series, stored column-wise so they reach numpy and pandas without copies:
// row i is (time_s[i], components[component[i]], metrics[metric[i]], value[i]).
struct TimeSeries {
  std::vector<std::string> components;
  std::vector<std::string> metrics;
  std::vector<double> time_s;
  std::vector<std::uint32_t> component;
  std::vector<std::uint32_t> metric;
  std::vector<double> value;
  std::size_t rows() const { return time_s.size(); }
};

struct Results {
  summary::Summary summary;  // summary.json, schema 1: see docs/model-reference.md
  TimeSeries timeseries;
  std::vector<std::string> warnings;
  // Wall-clock time of the simulation (s). Not part of the summary: the same model, seed and
  // options give byte-identical summary.json and timeseries.csv, and the wall clock never does.
  double wall_s = 0;
};

// The summary as the JSON document of summary.json, keys in summary.json's order.
nlohmann::ordered_json summary_document(const summary::Summary& summary);
// summary.json text: deterministic (keys in a fixed order, shortest round-trip numbers).
std::string summary_to_json(const Results& results);
// timeseries.csv text: "time_s,component,metric,value".
std::string timeseries_to_csv(const Results& results);

}  // namespace sluice
