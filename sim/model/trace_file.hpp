#pragma once
// Traffic traces in CSV: one arrival time in seconds per row (format: timestamps), or one count
// of arrivals per row for consecutive intervals (format: counts). The first column is used; a
// header row is allowed; LF, CRLF and CR alone end rows. Errors name the CSV file and its line.
#include "sluice/model.hpp"

namespace sluice::model {

// Fills trace.times_ns or trace.counts from `path`. Throws ModelError; `path_shown` is how the
// model wrote the file name, `key_path` the model key that named it.
void read_trace_file(Trace& trace, const std::string& path, const std::string& path_shown, const std::string& key_path,
                     const SourceLocation& named_at);

}  // namespace sluice::model
