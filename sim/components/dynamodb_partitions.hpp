#pragma once
// A DynamoDB table's partitions (aws-facts §5): how many a table has, which one an item's key
// lands on, and each partition's own throughput limit of 3,000 RCU and 1,000 WCU per second
// (also the most a single hot item can take).
//
// Adaptive capacity, simplified: AWS boosts a hot partition with the table's unused capacity
// "instantly" and isolates hot items. Here a partition may use any of the table's capacity up
// to its per-partition limit: the table's capacity is not split evenly among its partitions, so
// only the per-partition limit and the table's total apply. A hot key therefore throttles at
// 1,000 WCU/s even when the table as a whole is under capacity, and never below that.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "components/token_bucket.hpp"
#include "kernel/key_hash.hpp"
#include "kernel/sim_time.hpp"

namespace sluice::components {

inline constexpr double kPartitionReadUnits = 3000;   // RCU per second per partition (aws-facts §5)
inline constexpr double kPartitionWriteUnits = 1000;  // WCU per second per partition (aws-facts §5)
// Assumption (not in aws-facts): a partition holds up to 10 GB of items, the figure of AWS's
// partition documentation; a table larger than its throughput needs has more partitions.
inline constexpr double kPartitionBytes = 10.0 * 1024 * 1024 * 1024;

// Partitions for a table's throughput (per second) and size: max(ceil(RCU/3000 + WCU/1000),
// ceil(size / 10 GB), 1).
inline std::uint32_t partitions_for(double read_units, double write_units, double table_bytes) {
  double by_throughput = std::ceil(read_units / kPartitionReadUnits + write_units / kPartitionWriteUnits - 1e-9);
  double by_size = std::ceil(table_bytes / kPartitionBytes);
  return static_cast<std::uint32_t>(std::max({by_throughput, by_size, 1.0}));
}

// Each partition's read and write limit, as buckets one second deep. Partitions only ever split
// (grow() with a larger count); a table's partitions never merge when its capacity falls.
class DynamoDbPartitions {
 public:
  explicit DynamoDbPartitions(std::uint32_t count = 1) { grow(count); }

  std::uint32_t count() const { return static_cast<std::uint32_t>(read_.size()); }
  std::uint32_t of_key(std::uint64_t key) const { return static_cast<std::uint32_t>(kernel::key_hash(key) % count()); }
  // Splits to `count` partitions (if more than now): keys are spread afresh, each new partition
  // starting with its full second of throughput.
  void grow(std::uint32_t count) {
    if (count <= read_.size()) return;
    read_.assign(count, TokenBucket(kPartitionReadUnits, kPartitionReadUnits));
    write_.assign(count, TokenBucket(kPartitionWriteUnits, kPartitionWriteUnits));
  }
  TokenBucket& read(std::uint32_t p) { return read_[p]; }
  TokenBucket& write(std::uint32_t p) { return write_[p]; }

 private:
  std::vector<TokenBucket> read_, write_;
};

}  // namespace sluice::components
