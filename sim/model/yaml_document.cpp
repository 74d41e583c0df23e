#include "model/yaml_document.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include "model/suggest.hpp"
#include "model/utf8.hpp"

namespace sluice::model {
namespace {

[[noreturn]] void refuse(const YamlOrigin& origin, int line, int column, const std::string& problem) {
  SourceLocation where{origin.name, 0, 0};
  if (origin.positions) where = SourceLocation{origin.name, line + 1, column + 1};
  throw ModelError(where, origin.key_path, problem);
}

// CR and CRLF become LF, so that every line break counts once, as YAML reads it: a file saved
// with CR-only line endings would otherwise read as a single line.
std::string with_lf_line_breaks(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') out += text[i];
    else if (i + 1 == text.size() || text[i + 1] != '\n') out += '\n';
  }
  return out;
}

// YAML text is Unicode without control characters other than tab and line breaks. Checked
// here, with a position, because yaml-cpp passes such bytes through to names and values (and
// the JSON of the effective model then fails deep inside the JSON library).
void check_characters(const std::string& text, const YamlOrigin& origin) {
  int line = 0;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto b = static_cast<unsigned char>(text[i]);
    int column = static_cast<int>(i - line_start);
    if (b == '\n') {
      ++line;
      line_start = ++i;
    } else if (b < 0x80) {
      if ((b < 0x20 && b != '\t') || b == 0x7F)
        refuse(origin, line, column,
               fmt::format("control character 0x{:02x} is not allowed in YAML (only tab and line breaks are)", b));
      ++i;
    } else if (std::size_t length = utf8_length(text, i); length > 0) {
      i += length;
    } else {
      refuse(origin, line, column,
             fmt::format("invalid UTF-8 byte 0x{:02x}: the {} must be UTF-8 text", b, origin.what));
    }
  }
}

// Reads the parser's events before any tree is built: refuses the first alias, the first
// collection nested too deeply and the first node over the count, each where it is written.
class LimitChecker : public YAML::EventHandler {
 public:
  LimitChecker(const std::string& text, const YamlOrigin& origin) : text_(text), origin_(origin) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { count(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    count(mark);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    refuse(origin_, mark.line, mark.column,
           fmt::format("{} is a YAML alias; a {} may not use aliases: write the value out in full",
                       quote(alias_at(mark)), origin_.what));
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(mark);
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(mark);
  }
  void OnMapEnd() override { --depth_; }

 private:
  void open(const YAML::Mark& mark) {
    if (++depth_ > kMaxNesting)
      refuse(origin_, mark.line, mark.column,
             fmt::format("the {} nests deeper than {} levels (lists and mappings inside each other)", origin_.what,
                         kMaxNesting));
    count(mark);
  }
  void count(const YAML::Mark& mark) {
    if (++nodes_ > kMaxNodes)
      refuse(origin_, mark.line, mark.column,
             fmt::format("the {0} holds more than {1} nodes (values, lists and mappings); a {0} may hold at most {1}",
                         origin_.what, kMaxNodes));
  }
  // "*name" as written (the event gives only the anchor's number).
  std::string alias_at(const YAML::Mark& mark) const {
    auto start = static_cast<std::size_t>(mark.pos);
    auto end = text_.find_first_of(" \t\n,[]{}", start);
    return text_.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }

  const std::string& text_;
  const YamlOrigin& origin_;
  int depth_ = 0;
  std::int64_t nodes_ = 0;
};

[[noreturn]] void refuse_syntax(const std::string& text, const YAML::ParserException& e, const YamlOrigin& origin) {
  if (!origin.positions) refuse(origin, 0, 0, fmt::format("the {} is not valid YAML: {}", origin.what, e.msg));
  // yaml-cpp reports a tab in indentation as some other fault ("illegal map value"): name it.
  std::string hint;
  std::istringstream lines(text);
  std::string line;
  for (int n = 0; std::getline(lines, line) && n <= e.mark.line; ++n)
    if (auto indent = line.find_first_not_of(" \t"); indent != std::string::npos && line.find('\t') < indent) {
      hint = fmt::format(" (line {} is indented with a tab: YAML allows only spaces)", n + 1);
      break;
    }
  refuse(origin, e.mark.line, e.mark.column, "YAML syntax error: " + e.msg + hint);
}

// Counts the nodes and levels of a tree, stopping at the first over a limit.
struct TreeWalk {
  std::int64_t nodes = 0;
  std::string problem;

  bool over(const YAML::Node& node, int enclosing_levels) {
    if (++nodes > kMaxNodes) {
      problem = fmt::format("holds more than {} nodes (values, lists and mappings)", kMaxNodes);
      return true;
    }
    if (!node.IsMap() && !node.IsSequence()) return false;
    int level = enclosing_levels + 1;
    if (level > kMaxNesting) {
      problem = fmt::format("nests deeper than {} levels (lists and mappings inside each other)", kMaxNesting);
      return true;
    }
    if (node.IsSequence()) {
      for (const auto& item : node)
        if (over(item, level)) return true;
    } else {
      for (auto it = node.begin(); it != node.end(); ++it)
        if (over(it->first, level) || over(it->second, level)) return true;
    }
    return false;
  }
};

}  // namespace

std::string over_limits(const YAML::Node& root) {
  TreeWalk walk;
  walk.over(root, 0);
  return walk.problem;
}

std::string read_yaml_file(const std::string& path, const std::string& kind, const std::string& shown,
                           const SourceLocation& named_at, const std::string& key_path) {
  const std::string what = "the " + kind + (shown.empty() ? "" : " " + shown);
  auto fail = [&](const std::string& problem) { throw ModelError(named_at, key_path, problem); };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(fmt::format("cannot read {}: it is a directory", what));
  // A file names its size: a large one is refused without reading a byte of it.
  if (std::filesystem::is_regular_file(path, ec)) {
    auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxFileBytes)
      fail(fmt::format("{} is {} bytes; a {} may hold at most {} bytes (4 MB)", what, size, kind, kMaxFileBytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(fmt::format("cannot read {}: {}", what, std::strerror(errno)));
  // Read in blocks, and no further than the limit: a device or a pipe has no size to check first.
  std::string text;
  char block[64 * 1024];
  while (in.read(block, sizeof block) || in.gcount() > 0) {
    text.append(block, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes)
      fail(fmt::format("{} holds more than {} bytes (4 MB), the most a {} may hold", what, kMaxFileBytes, kind));
  }
  if (in.bad()) fail(fmt::format("cannot read {}: {}", what, std::strerror(errno)));
  return text;
}

YAML::Node parse_yaml(const std::string& raw, const YamlOrigin& origin) {
  const std::string text = with_lf_line_breaks(raw);
  check_characters(text, origin);
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    LimitChecker checker(text, origin);
    parser.HandleNextDocument(checker);  // only the first document, as YAML::Load reads
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    refuse_syntax(text, e, origin);
  }
}

}  // namespace sluice::model
