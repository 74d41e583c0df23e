// Reading a CloudWatch metric export (get-metric-data JSON, or timestamp,value CSV) into counts
// per period. aws-facts §8: timestamps come newest first by default, the output does not say the
// period, a period with no requests has no data point, and PartialData means pages are missing.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numeric>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sluice/metric_traffic.hpp"

namespace sluice {
namespace {

constexpr std::size_t kSkippedShown = 10;
constexpr double kMaxRatePerS = 10e6;  // the model's own ceiling for a source's rate (model-reference)
constexpr const char* kHeaders =
    "'memory,duration' (measurements to fit a function: sluice calibrate FILE) or 'timestamp,value' (a "
    "CloudWatch metric as traffic: sluice calibrate --metrics FILE)";

std::string trim(std::string s) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
  return s;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string read_whole(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ModelError(SourceLocation{path, 0, 0}, "", "cannot read the file: it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelError(SourceLocation{path, 0, 0}, "", "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  if (s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);  // a UTF-8 byte-order mark (spreadsheet exports)
  return s;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) cells.push_back(trim(cell));
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

// A point of the series as read, with where it was written.
struct DataPoint {
  std::int64_t epoch_s = 0;
  std::int64_t count = 0;
  int line = 0;
};

// Collects malformed data points: an error, or (skip_bad_lines) counted and listed.
struct BadLines {
  const std::string& file;
  bool skip;
  MetricTraffic& out;
  void report(int line, const std::string& what) {
    if (!skip)
      throw ModelError(SourceLocation{file, line, 1}, "",
                       what + " (--skip-bad-lines skips such lines and counts them)");
    ++out.skipped_lines;
    if (out.skipped.size() < kSkippedShown) out.skipped.push_back(format_error({file, line, 1}, "", what));
  }
};

// Unix epoch seconds from 1970 to the end of 9999 (ISO 8601's four-digit years): a number outside
// is not seconds (milliseconds, most likely), and the period arithmetic stays far from overflow.
constexpr std::int64_t kLastEpochS = 253402300799;  // 9999-12-31T23:59:59Z
std::optional<std::int64_t> epoch_seconds(double s) {
  if (!(s >= 0 && s <= static_cast<double>(kLastEpochS)) || s != std::floor(s)) return std::nullopt;
  return static_cast<std::int64_t>(s);
}

// ISO 8601 as the AWS CLI prints it ("2026-11-30T10:05:00+00:00", "...Z", a fraction of a second
// allowed when it is zero), or Unix epoch seconds. Returns nothing for anything else.
std::optional<std::int64_t> parse_timestamp(const std::string& text) {
  std::int64_t epoch = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), epoch);
  if (ec == std::errc() && end == text.data() + text.size()) return epoch_seconds(static_cast<double>(epoch));
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char sep = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &s, &used) != 7 ||
      (sep != 'T' && sep != 't' && sep != ' ') || used != 19)
    return std::nullopt;
  std::string rest = text.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    std::size_t digits = rest.find_first_not_of("0123456789", 1);
    if (digits == 1 || rest.find_first_not_of('0', 1) < digits) return std::nullopt;  // not a whole second
    rest = rest.substr(digits == std::string::npos ? rest.size() : digits);
  }
  int offset_s = 0;
  if (rest == "Z" || rest == "z" || rest.empty()) {
  } else if ((rest[0] == '+' || rest[0] == '-') && rest.size() == 6 && rest[3] == ':') {
    int oh = 0, om = 0;
    if (std::sscanf(rest.c_str() + 1, "%2d:%2d", &oh, &om) != 2 || oh > 23 || om > 59) return std::nullopt;
    offset_s = (rest[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  using namespace std::chrono;
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return epoch_seconds(
      static_cast<double>(sys_days(date).time_since_epoch().count() * 86400LL + h * 3600 + mi * 60 + s - offset_s));
}

// A Sum of Count or Invocations is a whole number of requests; a fraction means another statistic.
std::optional<std::string> count_problem(double v, const std::string& shown) {
  if (!std::isfinite(v)) return fmt::format("{} is not a number of requests", shown);
  if (v > 1e15) return fmt::format("{} is too large a number of requests", shown);
  if (v < 0) return fmt::format("{} is negative: a count of requests cannot be", shown);
  if (std::abs(v - std::round(v)) > 1e-6)
    return fmt::format(
        "{} is not a whole number of requests: export the Sum statistic (SampleCount for a REST "
        "API's Count), not Average",
        shown);
  return std::nullopt;
}

// --- get-metric-data JSON, read event by event so each value keeps its line. ---

// Counts lines as the JSON parser consumes characters: the line of the last character read is the
// line of the token just parsed (a number's one look-ahead character is on its own line or ends it).
struct LineCounter {
  int line = 1, line_of_last = 1;
  void consumed(char c) {
    line_of_last = line;
    if (c == '\n') ++line;
  }
};

struct CountingIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* p = nullptr;
  LineCounter* lines = nullptr;
  reference operator*() const { return *p; }
  CountingIterator& operator++() {
    lines->consumed(*p);
    ++p;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& o) const { return p == o.p; }
  bool operator!=(const CountingIterator& o) const { return p != o.p; }
};

struct JsonEntry {
  enum class Kind { number, text, other } kind = Kind::other;
  double number = 0;
  std::string text;
  std::string shown;  // as written, for messages
  int line = 0;
};

struct JsonResult {
  std::string id, label, status;
  int line = 0;
  std::vector<JsonEntry> timestamps, values;
  std::vector<std::string> messages;
};

struct GetMetricDataOutput {
  bool root_is_object = false, has_results = false, results_is_array = false;
  bool next_token = false;
  std::vector<JsonResult> results;
  std::vector<std::string> messages;
};

// Keeps only what the conversion needs; the path of keys says what each value is.
class GetMetricDataSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  GetMetricDataSax(GetMetricDataOutput& out, const LineCounter& lines) : out_(out), lines_(lines) {}

  bool null() override { return scalar(JsonEntry{JsonEntry::Kind::other, 0, "", "null", 0}); }
  bool boolean(bool b) override { return scalar(JsonEntry{JsonEntry::Kind::other, 0, "", b ? "true" : "false", 0}); }
  bool number_integer(number_integer_t v) override { return number(static_cast<double>(v), std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return number(static_cast<double>(v), std::to_string(v)); }
  bool number_float(number_float_t v, const string_t& s) override { return number(v, s); }
  bool string(string_t& s) override {
    return scalar(JsonEntry{JsonEntry::Kind::text, 0, s, fmt::format("'{}'", s.substr(0, 60)), 0});
  }
  bool binary(binary_t&) override { return scalar(JsonEntry{}); }
  bool key(string_t& k) override {
    frames_.back().key = k;
    return true;
  }
  bool start_object(std::size_t) override {
    if (frames_.empty()) out_.root_is_object = true;
    if (in_results() && frames_.size() == 2)
      out_.results.push_back(JsonResult{{}, {}, {}, lines_.line_of_last, {}, {}, {}});
    frames_.push_back(Frame{false, {}});
    return true;
  }
  bool end_object() override {
    frames_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    if (frames_.size() == 1 && frames_[0].key == "MetricDataResults") out_.results_is_array = true;
    frames_.push_back(Frame{true, {}});
    return true;
  }
  bool end_array() override {
    frames_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..." -> the reason.
    auto colon = what.find(": ", what.find("parse error"));
    error_line = lines_.line_of_last;
    error = colon == std::string::npos ? what : what.substr(colon + 2);
    return false;
  }

  int error_line = 0;
  std::string error;

 private:
  struct Frame {
    bool array;
    std::string key;
  };
  bool in_results() const { return !frames_.empty() && frames_[0].key == "MetricDataResults"; }
  bool number(double v, const std::string& shown) {
    return scalar(JsonEntry{JsonEntry::Kind::number, v, "", shown, 0});
  }
  bool scalar(JsonEntry e) {
    e.line = lines_.line_of_last;
    if (frames_.size() == 1 && frames_[0].key == "NextToken") out_.next_token = true;
    if (frames_.size() == 3 && frames_[0].key == "Messages" && frames_[2].key == "Value")
      out_.messages.push_back(e.text);
    if (!in_results() || out_.results.empty()) return true;
    JsonResult& r = out_.results.back();
    if (frames_.size() == 3 && !frames_[2].array) {
      const std::string& k = frames_[2].key;
      if (k == "Id") r.id = e.text;
      else if (k == "Label") r.label = e.text;
      else if (k == "StatusCode") r.status = e.text;
    } else if (frames_.size() == 4 && frames_[3].array) {
      if (frames_[2].key == "Timestamps") r.timestamps.push_back(std::move(e));
      else if (frames_[2].key == "Values") r.values.push_back(std::move(e));
    } else if (frames_.size() == 5 && frames_[2].key == "Messages" && frames_[4].key == "Value") {
      r.messages.push_back(e.text);
    }
    return true;
  }
  GetMetricDataOutput& out_;
  const LineCounter& lines_;
  std::vector<Frame> frames_;
};

std::vector<DataPoint> read_json(const std::string& path, const MetricReadOptions& options, MetricTraffic& out) {
  std::string text = read_whole(path);
  LineCounter lines;
  GetMetricDataOutput doc;
  GetMetricDataSax sax(doc, lines);
  CountingIterator first{text.data(), &lines}, last{text.data() + text.size(), &lines};
  if (!nlohmann::json::sax_parse(first, last, &sax) || !sax.error.empty())
    throw ModelError(SourceLocation{path, std::max(sax.error_line, 1), 1}, "",
                     fmt::format("not valid JSON: {}", sax.error));
  const char* expected =
      "expected the output of aws cloudwatch get-metric-data: {\"MetricDataResults\": [{\"Id\": ..., "
      "\"Timestamps\": [...], \"Values\": [...], \"StatusCode\": \"Complete\"}]}";
  if (!doc.root_is_object || !doc.results_is_array) throw ModelError(SourceLocation{path, 1, 1}, "", expected);
  if (doc.results.empty())
    throw ModelError(SourceLocation{path, 1, 1}, "", "MetricDataResults is empty: the query returned no metric");
  const JsonResult* chosen = nullptr;
  if (!options.id.empty()) {
    for (const auto& r : doc.results)
      if (r.id == options.id) chosen = &r;
  } else if (doc.results.size() == 1) {
    chosen = &doc.results[0];
  }
  if (!chosen) {
    std::string ids;
    for (const auto& r : doc.results) ids += (ids.empty() ? "" : ", ") + fmt::format("'{}'", r.id);
    throw ModelError(
        SourceLocation{path, doc.results.front().line, 1}, "",
        options.id.empty()
            ? fmt::format("{} metrics in MetricDataResults: choose one with --id ({})", doc.results.size(), ids)
            : fmt::format("no MetricDataResult has the Id '{}' (Ids: {})", options.id, ids));
  }
  const JsonResult& r = *chosen;
  out.id = r.id;
  out.label = r.label;
  if (r.status == "InternalError" || r.status == "Forbidden")
    throw ModelError(SourceLocation{path, r.line, 1}, "",
                     fmt::format("StatusCode {}: CloudWatch did not return this metric's data", r.status));
  if (r.status == "PartialData" || doc.next_token)
    out.warnings.push_back(
        fmt::format("{}: {}: CloudWatch returned only part of the data points; the rest is behind NextToken (run "
                    "get-metric-data again with --next-token and merge the pages), so the trace lacks periods",
                    path, r.status == "PartialData" ? "StatusCode PartialData" : "the output has a NextToken"));
  for (const auto& m : doc.messages) out.warnings.push_back(fmt::format("{}: CloudWatch says: {}", path, m));
  for (const auto& m : r.messages) out.warnings.push_back(fmt::format("{}: CloudWatch says: {}", path, m));
  if (r.timestamps.size() != r.values.size())
    throw ModelError(SourceLocation{path, r.line, 1}, "",
                     fmt::format("{} Timestamps but {} Values: each timestamp needs its value", r.timestamps.size(),
                                 r.values.size()));
  BadLines bad{path, options.skip_bad_lines, out};
  std::vector<DataPoint> points;
  for (std::size_t i = 0; i < r.timestamps.size(); ++i) {
    const JsonEntry& t = r.timestamps[i];
    const JsonEntry& v = r.values[i];
    std::optional<std::int64_t> when;
    if (t.kind == JsonEntry::Kind::text) when = parse_timestamp(t.text);
    else if (t.kind == JsonEntry::Kind::number) when = epoch_seconds(t.number);
    if (!when) {
      bad.report(t.line,
                 fmt::format("Timestamps[{}]: {} is not a timestamp like 2026-11-30T10:05:00+00:00 or Unix seconds "
                             "(1970 to 9999; milliseconds? divide by 1000)",
                             i, t.shown));
      continue;
    }
    if (v.kind != JsonEntry::Kind::number) {
      bad.report(v.line, fmt::format("Values[{}]: {} is not a number of requests", i, v.shown));
      continue;
    }
    if (auto problem = count_problem(v.number, fmt::format("Values[{}]: {}", i, v.shown))) {
      bad.report(v.line, *problem);
      continue;
    }
    points.push_back(DataPoint{*when, std::llround(v.number), v.line});
  }
  return points;
}

// --- timestamp,value CSV ---

std::vector<DataPoint> read_csv(const std::string& path, const MetricReadOptions& options, MetricTraffic& out) {
  std::string text = read_whole(path);
  std::istringstream in(text);
  BadLines bad{path, options.skip_bad_lines, out};
  std::vector<DataPoint> points;
  std::string line;
  int line_no = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (!header) {  // classify_calibration_file has checked it
      header = true;
      continue;
    }
    auto cells = split(t);
    if (cells.size() != 2) {
      bad.report(line_no, fmt::format("expected two cells, timestamp,value; got {}", cells.size()));
      continue;
    }
    auto when = parse_timestamp(cells[0]);
    if (!when) {
      bad.report(line_no,
                 fmt::format("'{}' is not a timestamp like 2026-11-30T10:05:00Z or Unix seconds (1970 to 9999; "
                             "milliseconds? divide by 1000)",
                             cells[0].substr(0, 60)));
      continue;
    }
    double v = 0;
    auto [end, ec] = std::from_chars(cells[1].data(), cells[1].data() + cells[1].size(), v);
    if (ec != std::errc() || end != cells[1].data() + cells[1].size()) {
      bad.report(line_no, fmt::format("'{}' is not a number of requests", cells[1].substr(0, 60)));
      continue;
    }
    if (auto problem = count_problem(v, fmt::format("'{}'", cells[1]))) {
      bad.report(line_no, *problem);
      continue;
    }
    points.push_back(DataPoint{*when, std::llround(v), line_no});
  }
  return points;
}

// Oldest first, one count per period; a period between two data points with none is zero
// requests (CloudWatch publishes no data point for an empty period, aws-facts §8).
void to_periods(std::vector<DataPoint> points, const MetricReadOptions& options, MetricTraffic& out) {
  const std::string& file = out.file;
  if (points.empty())
    throw ModelError(SourceLocation{file, 0, 0}, "",
                     out.skipped_lines ? "every data point was malformed: nothing is left to make a trace from"
                                       : "the export holds no data points");
  std::stable_sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.epoch_s < b.epoch_s; });
  for (std::size_t i = 1; i < points.size(); ++i)
    if (points[i].epoch_s == points[i - 1].epoch_s)
      throw ModelError(SourceLocation{file, std::max(points[i].line, points[i - 1].line), 1}, "",
                       fmt::format("the timestamp {} appears twice (lines {} and {}): merge the exports first",
                                   utc_timestamp(points[i].epoch_s), std::min(points[i].line, points[i - 1].line),
                                   std::max(points[i].line, points[i - 1].line)));
  // Count, Invocations and NumberOfMessagesSent are published per minute (aws-facts §8), so a
  // period is a whole number of minutes. Without --period it is the greatest common divisor of the
  // spacings: empty periods leave gaps of several periods, never of part of one.
  std::int64_t period = 0;
  if (options.period_s) {
    if (*options.period_s <= 0 || *options.period_s % 60 != 0)
      throw ModelError(SourceLocation{"--period", 0, 0}, "",
                       "a period of these metrics is a whole number of minutes (60s, 5m, 1h)");
    period = *options.period_s;
  } else if (points.size() == 1) {
    throw ModelError(SourceLocation{file, points[0].line, 1}, "",
                     "one data point: its period cannot be told from the spacing; give it with --period (e.g. 60s)");
  } else {
    std::int64_t smallest = points[1].epoch_s - points[0].epoch_s;
    for (std::size_t i = 1; i < points.size(); ++i) {
      std::int64_t gap = points[i].epoch_s - points[i - 1].epoch_s;
      if (gap % 60 != 0)
        throw ModelError(
            SourceLocation{file, points[i].line, 1}, "",
            fmt::format("irregular spacing: {} comes {} s after {}, not a whole number of minutes (these metrics "
                        "are published per minute): export one metric with one period",
                        utc_timestamp(points[i].epoch_s), gap, utc_timestamp(points[i - 1].epoch_s)));
      period = std::gcd(period, gap);
      smallest = std::min(smallest, gap);
    }
    out.period_inferred = true;
    if (period < smallest)
      out.warnings.push_back(fmt::format(
          "{}: no two data points are one period apart; the period is taken as {} s, the greatest common divisor "
          "of their spacings (give --period if the export's was shorter)",
          file, period));
  }
  for (std::size_t i = 1; i < points.size(); ++i) {
    std::int64_t gap = points[i].epoch_s - points[i - 1].epoch_s;
    if (gap % period != 0)
      throw ModelError(
          SourceLocation{file, points[i].line, 1}, "",
          fmt::format("irregular spacing: {} comes {} s after {}, not a whole number of --period {} s",
                      utc_timestamp(points[i].epoch_s), gap, utc_timestamp(points[i - 1].epoch_s), period));
  }
  out.period_s = period;
  out.start_epoch_s = points.front().epoch_s;
  out.data_points = points.size();
  std::int64_t periods = (points.back().epoch_s - points.front().epoch_s) / period + 1;
  if (periods > 50'000'000)
    throw ModelError(SourceLocation{file, points.back().line, 1}, "",
                     fmt::format("the data points span {} periods of {} s: too long a trace", periods, period));
  out.counts.assign(static_cast<std::size_t>(periods), 0);
  for (const auto& p : points) {
    if (static_cast<double>(p.count) / static_cast<double>(period) > kMaxRatePerS)
      throw ModelError(SourceLocation{file, p.line, 1}, "",
                       fmt::format("{} requests in {} s is above the 10,000,000/s a source can send", p.count, period));
    out.counts[static_cast<std::size_t>((p.epoch_s - out.start_epoch_s) / period)] = p.count;
  }
  out.missing_periods = static_cast<std::size_t>(periods) - points.size();
}

}  // namespace

std::string utc_timestamp(std::int64_t epoch_s) {
  using namespace std::chrono;
  std::int64_t days = epoch_s >= 0 ? epoch_s / 86400 : (epoch_s - 86399) / 86400;
  std::int64_t rest = epoch_s - days * 86400;
  year_month_day date{sys_days{std::chrono::days{days}}};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), rest / 3600,
                     rest / 60 % 60, rest % 60);
}

CalibrationFile classify_calibration_file(const std::string& path) {
  std::string text = read_whole(path);
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::string t = trim(line);
    if (t.empty()) continue;
    if (t[0] == '{') return CalibrationFile::metrics_json;
    auto cells = split(lower(t));
    if (cells.size() >= 2 && cells[0].rfind("memory", 0) == 0 && cells[1].rfind("duration", 0) == 0)
      return CalibrationFile::measurements;
    if (cells.size() == 2 && cells[0] == "timestamp" && cells[1] == "value") return CalibrationFile::metrics_csv;
    throw ModelError(SourceLocation{path, line_no, 1}, "",
                     fmt::format("the first line must be a header, {}; got '{}'", kHeaders, t.substr(0, 60)));
  }
  throw ModelError(SourceLocation{path, 0, 0}, "", fmt::format("the file is empty: expected a header, {}", kHeaders));
}

MetricTraffic read_metric_traffic(const std::string& path, const MetricReadOptions& options) {
  MetricTraffic out;
  out.file = path;
  CalibrationFile kind = classify_calibration_file(path);
  if (kind == CalibrationFile::measurements)
    throw ModelError(SourceLocation{path, 1, 1}, "",
                     "this is a measurements file (memory,duration), not a metric: fit it with sluice calibrate FILE "
                     "(sluice.calibrate), or give a metric with the header timestamp,value");
  std::vector<DataPoint> points;
  if (kind == CalibrationFile::metrics_json) {
    out.format = "get-metric-data JSON";
    points = read_json(path, options, out);
  } else {
    out.format = "timestamp,value CSV";
    points = read_csv(path, options, out);
  }
  for (const char* known : {"Count", "Invocations", "NumberOfMessagesSent"})
    if (out.label == known) out.metric = known;
  to_periods(std::move(points), options, out);
  return out;
}

}  // namespace sluice
