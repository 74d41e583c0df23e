#pragma once
// A call to a DynamoDB table from a function's step: what it does and the capacity it consumes.
#include <cstdint>

namespace sluice::engine {

struct TableRequest {
  enum class Operation : std::uint8_t { read, write, query, transact_write };
  Operation operation = Operation::read;
  double read_units = 0, write_units = 0;  // capacity units the call consumes (see dynamodb_capacity.hpp)
  std::uint32_t items = 1;
  bool replay = false;  // the record was processed before: its writes are duplicate writes
  bool writes() const { return operation == Operation::write || operation == Operation::transact_write; }
};

}  // namespace sluice::engine
