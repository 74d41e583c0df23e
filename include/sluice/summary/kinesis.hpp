#pragma once
// A Kinesis data stream's section of summary.json (CloudWatch's AWS/Kinesis metrics); also a
// DynamoDB table's stream, with the type dynamodb_stream.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/summary/figures.hpp"

namespace sluice::summary {

// What the stream counts as it runs (after the warm-up): the component keeps these in its own
// copy, which becomes the section's.
struct KinesisCounts {
  std::uint64_t incoming_records = 0;
  double incoming_bytes = 0;
  std::uint64_t put_success = 0, write_throttled = 0;
  std::uint64_t get_records_calls = 0, get_records_records = 0;
  double get_records_bytes = 0;
  std::uint64_t read_throttled = 0;
};

struct KinesisMetrics : KinesisCounts {
  MeanMax backlog;  // records not yet read by every consumer
  template <class V>
  void fields(V& v) const {
    v("IncomingRecords", incoming_records);
    v("IncomingBytes", incoming_bytes);
    v("PutRecord.Success", put_success);
    v("WriteProvisionedThroughputExceeded", write_throttled);
    v("RecordsBacklog", backlog);
    v("GetRecords.Success", get_records_calls);
    v("GetRecords.Records", get_records_records);
    v("GetRecords.Bytes", get_records_bytes);
    v("ReadProvisionedThroughputExceeded", read_throttled);
  }
};

struct Kinesis {
  bool table_stream = false;  // a DynamoDB table's stream (type dynamodb_stream)
  bool on_demand = false;
  std::uint32_t shards = 0;
  std::uint64_t consumers = 0;
  KinesisMetrics metrics;
  Failed failed;
  Cost cost_usd;
  template <class V>
  void fields(V& v) const {
    v("type", std::string_view(table_stream ? "dynamodb_stream" : "kinesis"));
    v("mode", std::string_view(on_demand ? "on_demand" : "provisioned"));
    v("shards", shards);
    v("consumers", consumers);
    v("metrics", metrics);
    v("failed", failed);
    v("cost_usd", cost_usd);
  }

  static constexpr std::string_view kTableTitle = "stream";
  static constexpr std::array<Column, 4> kColumns{{{"records", 10}, {"throttled", 10}, {"backlog", 14}, {"cost", 10}}};
  std::array<Cell, 4> table_row() const {
    return {Cell::count(metrics.incoming_records), Cell::count(metrics.write_throttled),
            Cell::mean_max(metrics.backlog, 1), Cell::usd(cost_usd.total)};
  }
  // Records not yet read, and writes refused for throughput.
  Pressure pressure() const { return {metrics.backlog.max, 0, metrics.write_throttled, 0, 0}; }
};

}  // namespace sluice::summary
