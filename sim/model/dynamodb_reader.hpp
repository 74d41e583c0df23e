#pragma once
// What the DynamoDB reader (dynamodb_reader.cpp) offers besides the table's spec: the function
// steps that call a table, and the warnings about tables.
#include <string>

#include "model/yaml_reader.hpp"

namespace sluice::model {

// A function's read, write, query or transact_write step (`kind`), read into `s`.
void read_table_step(const LoadContext& ctx, const YAML::Node& node, const std::string& path, const std::string& kind,
                     Step& s);
// Warnings about tables: a capacity outside its auto scaling range.
void check_tables(const LoadContext& ctx, const YAML::Node& root, ModelSpec& m);

}  // namespace sluice::model
