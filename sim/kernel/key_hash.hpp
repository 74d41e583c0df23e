#pragma once
// The hash that places a key (a record's partition key, an item's key) on a shard, a partition
// or a consumer's lane. Kinesis and DynamoDB both use it: a key that models a hot customer lands
// alike in both, and neither's placement can change without the other's.
#include <cstdint>

namespace sluice::kernel {

// SplitMix64's finaliser (Steele, Lea & Flood 2014): spreads keys, which are small integers, evenly
// over shards and partitions. Changing it moves every key: results for a seed would change.
inline std::uint64_t key_hash(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace sluice::kernel
