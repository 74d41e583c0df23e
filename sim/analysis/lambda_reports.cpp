// Reading Lambda's REPORT lines from CloudWatch Logs exports (aws-facts §1.6): the plain-text
// REPORT line, the JSON `platform.report` record of the JSON log format, and both as the
// messages of `aws logs filter-log-events` output.
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "model/suggest.hpp"
#include "model/utf8.hpp"
#include "sluice/log_calibration.hpp"

namespace sluice {
namespace {

constexpr std::string_view kReportMarker = "REPORT RequestId:";

// A word of a REPORT line and the 1-based column it starts at.
struct Word {
  std::string_view text;
  int column = 0;
};

std::vector<Word> words_of(std::string_view line, std::size_t from) {
  std::vector<Word> out;
  std::size_t i = from;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (i < line.size()) {
    while (i < line.size() && space(line[i])) ++i;
    std::size_t start = i;
    while (i < line.size() && !space(line[i])) ++i;
    if (i > start) out.push_back({line.substr(start, i - start), static_cast<int>(start) + 1});
  }
  return out;
}

// The REPORT fields sluice reads, with their units (aws-facts §1.6).
enum class Field { duration, billed_duration, memory_size, max_memory_used, init, restore, billed_restore, other };

struct FieldInfo {
  std::string_view label;
  Field field;
  std::string_view unit;
};

constexpr FieldInfo kFields[] = {
    {"Duration", Field::duration, "ms"},
    {"Billed Duration", Field::billed_duration, "ms"},
    {"Memory Size", Field::memory_size, "MB"},
    {"Max Memory Used", Field::max_memory_used, "MB"},
    {"Init Duration", Field::init, "ms"},
    {"Restore Duration", Field::restore, "ms"},
    {"Billed Restore Duration", Field::billed_restore, "ms"},
};

class LineError : public std::invalid_argument {
 public:
  LineError(int at_column, const std::string& what) : std::invalid_argument(what), column(at_column) {}
  int column;
};

double number(std::string_view text, std::string_view label, int column) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v) || v < 0)
    throw LineError(column, fmt::format("REPORT line: {} is {}, not a number", label, model::quote(text)));
  return v;
}

int whole_mb(double v, std::string_view label, int column) {
  if (v != std::floor(v) || v > 1e6)
    throw LineError(column, fmt::format("REPORT line: {} is {} MB, not a whole number of MB", label, v));
  return static_cast<int>(v);
}

void check_report(const LambdaReport& r, int column) {
  if (r.memory_size_mb < 128 || r.memory_size_mb > 10240)
    throw LineError(
        column, fmt::format("Memory Size {} MB is outside Lambda's 128-10240 MB (aws-facts §1.1)", r.memory_size_mb));
}

}  // namespace

std::optional<LambdaReport> parse_report_line(std::string_view line) {
  std::size_t at = line.find(kReportMarker);
  if (at == std::string_view::npos) return std::nullopt;
  // Its text reaches messages and JSON output: refused here when it is not UTF-8.
  if (auto bad = model::invalid_utf8_at(line))
    throw LineError(static_cast<int>(*bad) + 1, "REPORT line: a byte that is not UTF-8");
  std::vector<Word> words = words_of(line, at + kReportMarker.size());
  LambdaReport r;
  if (words.empty() || words[0].text.back() == ':')
    throw LineError(static_cast<int>(at + kReportMarker.size()) + 1, "REPORT line: the RequestId is missing");
  r.request_id = std::string(words[0].text);
  bool seen[7] = {};
  std::size_t i = 1;
  while (i < words.size()) {
    // A label is the words up to one that ends in ':' ("Max Memory Used:").
    std::string label;
    int label_column = words[i].column;
    while (i < words.size()) {
      std::string_view w = words[i++].text;
      if (!label.empty()) label += ' ';
      if (w.back() == ':') {
        label += w.substr(0, w.size() - 1);
        break;
      }
      label += w;
      if (i == words.size())
        throw LineError(label_column,
                        fmt::format("REPORT line: {} has no value (is the line cut short?)", model::quote(label)));
    }
    const FieldInfo* info = nullptr;
    for (const auto& f : kFields)
      if (f.label == label) info = &f;
    if (i == words.size())
      throw LineError(label_column, fmt::format("REPORT line: {} has no value (is the line cut short?)", label));
    Word value = words[i++];
    if (!info) {
      // Fields sluice does not use (XRAY TraceId, SegmentId, Sampled, Status, Error Type, and
      // any newer one): kept where they say how the invocation ended, else skipped with a unit.
      if (label == "Status") r.status = std::string(value.text);
      if (i < words.size() && (words[i].text == "ms" || words[i].text == "MB")) ++i;
      continue;
    }
    auto index = static_cast<std::size_t>(info->field);
    if (seen[index]) throw LineError(label_column, fmt::format("REPORT line: {} appears twice", label));
    seen[index] = true;
    if (i == words.size() || words[i].text != info->unit)
      throw LineError(value.column, fmt::format("REPORT line: {} {} has no unit: expected '{} {}'", label,
                                                model::shorten(value.text), model::shorten(value.text), info->unit));
    ++i;
    double v = number(value.text, label, value.column);
    switch (info->field) {
      case Field::duration:
        r.duration_ms = v;
        break;
      case Field::billed_duration:
        r.billed_duration_ms = v;
        break;
      case Field::memory_size:
        r.memory_size_mb = whole_mb(v, label, value.column);
        break;
      case Field::max_memory_used:
        r.max_memory_used_mb = whole_mb(v, label, value.column);
        break;
      case Field::init:
        r.init_duration_ms = v;
        break;
      case Field::restore:
        r.restore_duration_ms = v;
        break;
      case Field::billed_restore:
        r.billed_restore_duration_ms = v;
        break;
      case Field::other:
        break;
    }
  }
  for (const auto& f : kFields) {
    if (f.field == Field::init) break;  // the first four are on every REPORT line
    if (!seen[static_cast<std::size_t>(f.field)])
      throw LineError(static_cast<int>(line.size()) + 1,
                      fmt::format("REPORT line: {} is missing (is the line cut short?)", f.label));
  }
  check_report(r, static_cast<int>(at) + 1);
  return r;
}

std::optional<LambdaReport> parse_platform_report(const nlohmann::json& record) {
  if (!record.is_object() || !record.contains("type") || record["type"] != "platform.report") return std::nullopt;
  auto fail = [](const std::string& what) { throw LineError(1, "platform.report: " + what); };
  if (!record.contains("record") || !record["record"].is_object()) fail("has no \"record\" object");
  const auto& rec = record["record"];
  if (!rec.contains("metrics") || !rec["metrics"].is_object()) fail("record has no \"metrics\" object");
  const auto& m = rec["metrics"];
  auto get = [&](const char* key, bool required) -> std::optional<double> {
    if (!m.contains(key)) {
      if (required) fail(fmt::format("record.metrics.{} is missing", key));
      return std::nullopt;
    }
    if (!m[key].is_number() || !std::isfinite(m[key].get<double>()) || m[key].get<double>() < 0)
      fail(fmt::format("record.metrics.{} is {}, not a number", key, m[key].dump().substr(0, 40)));
    return m[key].get<double>();
  };
  LambdaReport r;
  if (rec.contains("requestId") && rec["requestId"].is_string()) r.request_id = rec["requestId"];
  r.duration_ms = *get("durationMs", true);
  r.billed_duration_ms = *get("billedDurationMs", true);
  r.memory_size_mb = whole_mb(*get("memorySizeMB", true), "record.metrics.memorySizeMB", 1);
  r.max_memory_used_mb = whole_mb(*get("maxMemoryUsedMB", true), "record.metrics.maxMemoryUsedMB", 1);
  r.init_duration_ms = get("initDurationMs", false);
  r.restore_duration_ms = get("restoreDurationMs", false);
  r.billed_restore_duration_ms = get("billedRestoreDurationMs", false);
  if (rec.contains("status") && rec["status"].is_string() && rec["status"] != "success") r.status = rec["status"];
  check_report(r, 1);
  return r;
}

namespace {

struct FileReader {
  const std::string& path;
  bool skip_bad_lines;
  ReportReading& out;
  ReportFileSummary summary;
  bool saw_text = false, saw_json = false;
  bool columns = true;  // false in JSON events, where a column within a message says nothing of the file

  void bad(int line, int column, const std::string& key_path, const std::string& problem) {
    SourceLocation where{path, line, line > 0 ? (columns ? std::max(column, 1) : 1) : 0};
    if (!skip_bad_lines)
      throw ModelError(where, key_path, problem + " (--skip-bad-lines skips such lines and counts them)");
    out.bad_lines.push_back({where, key_path.empty() ? problem : key_path + ": " + problem});
    ++summary.bad_lines;
  }

  void add(LambdaReport r, int line, std::string log_group = {}) {
    r.where = SourceLocation{path, line, 0};
    r.log_group = std::move(log_group);
    out.reports.push_back(std::move(r));
    ++summary.reports;
  }

  // One event's text: a plain-text REPORT line, a JSON system-log record, or anything else.
  void read_message(std::string_view text, int line, int column_offset, const std::string& key_path,
                    const std::string& log_group) {
    try {
      if (auto r = parse_report_line(text)) {
        saw_text = true;
        add(std::move(*r), line, log_group);
        return;
      }
      if (text.find("platform.report") == std::string_view::npos) return;
      std::size_t brace = text.find('{');
      if (brace == std::string_view::npos) return;
      nlohmann::json record = nlohmann::json::parse(text.substr(brace), nullptr, false);
      if (record.is_discarded()) {
        // Only a line that claims to be a platform.report record is held to being one.
        if (text.find("\"type\":\"platform.report\"") != std::string_view::npos ||
            text.find("\"type\": \"platform.report\"") != std::string_view::npos)
          bad(line, column_offset + static_cast<int>(brace) + 1, key_path,
              "platform.report: the record is not valid JSON (is the line cut short?)");
        return;
      }
      if (auto r = parse_platform_report(record)) {
        saw_json = true;
        add(std::move(*r), line, log_group);
      }
    } catch (const LineError& e) {
      bad(line, column_offset + e.column, key_path, e.what());
    }
  }

  void read_text(std::istream& in) {
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      read_message(line, line_no, 0, "", "");
    }
  }

  // `aws logs filter-log-events` (and get-log-events) output: {"events": [{"message": ...}]}.
  void read_events_json(const std::string& text) {
    nlohmann::json doc;
    try {
      doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      auto [line, column] = position(text, e.byte);
      throw ModelError(SourceLocation{path, line, column}, "",
                       "not valid JSON (expected the output of aws logs filter-log-events)");
    }
    if (!doc.is_object() || !doc.contains("events") || !doc["events"].is_array())
      throw ModelError(SourceLocation{path, 0, 0}, "",
                       "expected {\"events\": [...]} as aws logs filter-log-events writes it");
    columns = false;
    std::vector<int> lines = message_lines(text);
    const auto& events = doc["events"];
    if (lines.size() != events.size()) lines.clear();  // an unusual layout: name the event instead
    for (std::size_t i = 0; i < events.size(); ++i) {
      const auto& e = events[i];
      int line = lines.empty() ? 0 : lines[i];
      std::string key = fmt::format("events[{}].message", i);
      if (!e.is_object() || !e.contains("message") || !e["message"].is_string()) {
        bad(line, 1, fmt::format("events[{}]", i), "an event without a \"message\" text");
        continue;
      }
      std::string group =
          e.contains("logGroupName") && e["logGroupName"].is_string() ? e["logGroupName"].get<std::string>() : "";
      read_message(e["message"].get<std::string>(), line, 0, key, group);
    }
  }

  static std::pair<int, int> position(const std::string& text, std::size_t byte) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < std::min(byte, text.size()); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return {line, std::max(1, column - 1)};
  }

  // The line of every "message" key, in document order (a JSON string that closes and is
  // followed by ':' is a key; an escaped quote never closes one).
  static std::vector<int> message_lines(const std::string& text) {
    std::vector<int> out;
    int line = 1;
    bool in_string = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '\n') ++line;
      if (in_string) {
        if (c == '\\') {
          ++i;
        } else if (c == '"') {
          in_string = false;
          if (std::string_view(text).substr(start, i - start) == "message") {
            std::size_t j = i + 1;
            while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n')) ++j;
            if (j < text.size() && text[j] == ':') out.push_back(line);
          }
        }
      } else if (c == '"') {
        in_string = true;
        start = i + 1;
      }
    }
    return out;
  }
};

// The output of filter-log-events starts {"events": ...; anything else is read line by line.
bool is_events_json(const std::string& head) {
  std::size_t i = head.find_first_not_of(" \t\r\n");
  if (i == std::string::npos || head[i] != '{') return false;
  i = head.find_first_not_of(" \t\r\n", i + 1);
  return i != std::string::npos && head.compare(i, 8, "\"events\"") == 0;
}

}  // namespace

ReportReading read_lambda_reports(const std::vector<std::string>& paths, bool skip_bad_lines) {
  if (paths.empty()) throw ModelError(SourceLocation{"--logs", 0, 0}, "", "no log file given");
  ReportReading out;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ModelError(SourceLocation{path, 0, 0}, "", "cannot read the log file");
    FileReader reader{path, skip_bad_lines, out, ReportFileSummary{path, "", 0, 0}};
    std::string head(256, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    in.clear();
    in.seekg(0);
    if (is_events_json(head)) {
      std::ostringstream text;
      text << in.rdbuf();
      reader.read_events_json(text.str());
      reader.summary.format = "filter-log-events";
    } else {
      reader.read_text(in);
      reader.summary.format = reader.saw_json && reader.saw_text ? "text+platform.report"
                              : reader.saw_json                  ? "platform.report"
                                                                 : "text";
    }
    if (in.bad()) throw ModelError(SourceLocation{path, 0, 0}, "", "cannot read the log file");
    out.files.push_back(reader.summary);
  }
  if (out.reports.empty()) {
    std::string names;
    for (const auto& p : paths) names += (names.empty() ? "" : ", ") + p;
    throw ModelError(SourceLocation{names, 0, 0}, "",
                     "no REPORT line (plain text 'REPORT RequestId: ...' or a JSON platform.report record): "
                     "is this the log group of a Lambda function?");
  }
  return out;
}

}  // namespace sluice
