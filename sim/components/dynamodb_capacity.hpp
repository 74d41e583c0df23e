#pragma once
// DynamoDB capacity units from item sizes (aws-facts §5): a write unit per 1 KB, a read unit per
// 4 KB (strongly consistent; eventually consistent at half), transactional operations at double.
#include <cmath>

#include "engine/table_request.hpp"

namespace sluice::components {

inline constexpr double kWriteUnitBytes = 1024, kReadUnitBytes = 4096;

// Units of one item of `bytes` (at least 1 byte is billed as a whole unit).
inline double write_units(double bytes) { return std::ceil(std::max(bytes, 1.0) / kWriteUnitBytes); }
inline double read_units(double bytes, bool consistent) {
  return std::ceil(std::max(bytes, 1.0) / kReadUnitBytes) * (consistent ? 1.0 : 0.5);
}

// The capacity a call consumes: GetItem/BatchGetItem per item; Query on the items' total size;
// PutItem per item; TransactWriteItems at twice the items' write units.
inline engine::TableRequest table_request(engine::TableRequest::Operation op, std::uint32_t items, double item_bytes,
                                          bool consistent) {
  using Op = engine::TableRequest::Operation;
  engine::TableRequest r;
  r.operation = op;
  r.items = items;
  switch (op) {
    case Op::read:
      r.read_units = items * read_units(item_bytes, consistent);
      break;
    case Op::query:
      r.read_units = read_units(items * item_bytes, consistent);
      break;
    case Op::write:
      r.write_units = items * write_units(item_bytes);
      break;
    case Op::transact_write:
      r.write_units = 2 * items * write_units(item_bytes);
      break;
  }
  return r;
}

}  // namespace sluice::components
