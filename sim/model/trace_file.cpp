#include "model/trace_file.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "model/suggest.hpp"
#include "model/utf8.hpp"

namespace sluice::model {
namespace {

std::string first_column(const std::string& line) {
  std::string cell = line.substr(0, line.find(','));
  auto not_space = [](char c) { return c != ' ' && c != '\t' && c != '\r'; };
  auto begin = std::find_if(cell.begin(), cell.end(), not_space);
  auto end = std::find_if(cell.rbegin(), cell.rend(), not_space).base();
  return begin < end ? std::string(begin, end) : std::string();
}

// A row holds a number or two: a longer line is no trace (a binary file, a device, a file without
// line breaks), and must not be read into one string.
constexpr std::size_t kMaxLineBytes = 4096;

enum class Line { read, end_of_file, too_long };

// The next line, however it ends: LF, CRLF or CR alone (a file saved with CR-only line endings
// is otherwise one long line).
Line next_line(std::streambuf& in, std::string& line) {
  line.clear();
  int c = in.sbumpc();
  if (c == std::char_traits<char>::eof()) return Line::end_of_file;
  for (; c != std::char_traits<char>::eof() && c != '\n'; c = in.sbumpc()) {
    if (c == '\r') {
      if (in.sgetc() == '\n') in.sbumpc();
      break;
    }
    if (line.size() == kMaxLineBytes) return Line::too_long;
    line += static_cast<char>(c);
  }
  return Line::read;
}

}  // namespace

void read_trace_file(Trace& trace, const std::string& path, const std::string& path_shown, const std::string& key_path,
                     const SourceLocation& named_at) {
  std::error_code fs_error;
  if (std::filesystem::is_directory(path, fs_error))
    throw ModelError(named_at, key_path,
                     fmt::format("cannot read the trace file {}: it is a directory", quote(path_shown)));
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ModelError(named_at, key_path,
                     fmt::format("cannot read the trace file {}: {}", quote(path_shown), std::strerror(errno)));
  std::string line;
  int line_no = 0;
  bool any_value = false;
  double previous = -1;
  for (Line read = next_line(*in.rdbuf(), line); read != Line::end_of_file; read = next_line(*in.rdbuf(), line)) {
    ++line_no;
    SourceLocation here{path, line_no, 1};  // the path as resolved, so the user can open it from here
    if (read == Line::too_long)
      throw ModelError(here, key_path,
                       fmt::format("the line is longer than {} bytes (a trace row holds a number in its first column)",
                                   kMaxLineBytes));
    std::string cell = first_column(line);
    if (cell.empty() || cell[0] == '#') continue;
    double v = 0;
    auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    bool numeric = ec == std::errc() && ptr == cell.data() + cell.size() && std::isfinite(v);
    if (!numeric) {
      if (!any_value && line_no == 1) continue;  // a header row
      if (auto bad = invalid_utf8_at(cell))      // not quoted in the message: say which byte, and where
        throw ModelError(SourceLocation{path, line_no, static_cast<int>(line.find(cell) + *bad + 1)}, key_path,
                         fmt::format("invalid UTF-8 byte 0x{:02x}: a trace file must be UTF-8 text",
                                     static_cast<unsigned char>(cell[*bad])));
      throw ModelError(here, key_path,
                       fmt::format("{} is not a number ({})", quote(cell),
                                   trace.format == Trace::Format::timestamps ? "an arrival time in seconds"
                                                                             : "a count of arrivals"));
    }
    if (v < 0) throw ModelError(here, key_path, fmt::format("{} must not be negative", shorten(cell)));
    if (trace.format == Trace::Format::timestamps) {
      if (v < previous)
        throw ModelError(
            here, key_path,
            fmt::format("timestamps must be in ascending order: {} comes after {}", shorten(cell), previous));
      previous = v;
      trace.times_ns.push_back(v * 1e9);
    } else {
      if (v != std::floor(v))
        throw ModelError(here, key_path, fmt::format("a count must be a whole number, got {}", shorten(cell)));
      trace.counts.push_back(static_cast<std::int64_t>(v));
    }
    any_value = true;
  }
  if (!any_value)
    throw ModelError(named_at, key_path, fmt::format("the trace file {} holds no values", quote(path_shown)));
}

}  // namespace sluice::model
