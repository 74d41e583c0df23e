// Reading a trace CSV: CR, CRLF and LF end rows alike, and a line too long to be a row (a file
// without line breaks, a device) is refused at once instead of being read into one string. The
// files are generated here: CR-only line endings do not survive an editor or git's text rules.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "catch.hpp"
#include "sluice/model.hpp"

namespace fs = std::filesystem;

namespace {

// A model whose one source replays `trace` (a path, relative to base_dir or absolute).
std::string model_with_trace(const std::string& trace, const char* format) {
  return std::string("sluice: 1\nsources:\n  s:\n    target: f\n    arrivals:\n      trace: {file: ") + trace +
         ", format: " + format + (std::string(format) == "counts" ? ", interval: 1m" : "") +
         "}\ncomponents:\n  f: {type: lambda, steps: [{cpu: 1ms}]}\n";
}

struct TraceDir {
  fs::path dir = fs::temp_directory_path() / ("sluice-trace-file-" + std::to_string(::getpid()));
  TraceDir() { fs::create_directories(dir); }
  ~TraceDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void write(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir / name, std::ios::binary) << bytes;
  }
  sluice::ModelSpec load(const std::string& name, const char* format) const {
    return sluice::load_model_from_string(model_with_trace(name, format), {}, "<test>", dir.string());
  }
};

std::string refusal(const TraceDir& d, const std::string& name, const char* format) {
  try {
    d.load(name, format);
  } catch (const sluice::ModelError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a trace file reads the same with LF, CRLF or CR-only line endings", "[model][trace]") {
  TraceDir d;
  d.write("lf.csv", "time_s\n0.5\n1.25\n3\n");
  d.write("crlf.csv", "time_s\r\n0.5\r\n1.25\r\n3\r\n");
  d.write("cr.csv", "time_s\r0.5\r1.25\r3\r");
  const std::vector<double> expected{0.5e9, 1.25e9, 3e9};
  for (const char* name : {"lf.csv", "crlf.csv", "cr.csv"}) {
    INFO(name);
    // A CR-only file used to be one line: "time_s\r0.5\r..." read as a header, then no values.
    CHECK(d.load(name, "timestamps").sources.at(0).arrivals.trace.times_ns == expected);
  }
  // Line numbers in messages count CR-only lines too.
  d.write("cr-bad.csv", "time_s\r0.5\r1.25\r2.x\r");
  CHECK(refusal(d, "cr-bad.csv", "timestamps") ==
        (d.dir / "cr-bad.csv").string() +
            ":4:1: sources.s.arrivals.trace.file: '2.x' is not a number (an arrival time in seconds)");
}

TEST_CASE("a trace line longer than 4096 bytes is refused at its line", "[model][trace]") {
  TraceDir d;
  d.write("long.csv", "count\n3\n" + std::string(5000, '7') + "\n");
  CHECK(refusal(d, "long.csv", "counts") ==
        (d.dir / "long.csv").string() +
            ":3:1: sources.s.arrivals.trace.file: the line is longer than 4096 bytes (a trace row holds a number in "
            "its first column)");
  // A device that never ends a line: read up to the limit, not until memory runs out.
  CHECK(refusal(d, "/dev/zero", "counts") ==
        "/dev/zero:1:1: sources.s.arrivals.trace.file: the line is longer than 4096 bytes (a trace row holds a "
        "number in its first column)");
}

TEST_CASE("a trace cell that is neither a number nor UTF-8 is refused without echoing its bytes", "[model][trace]") {
  TraceDir d;
  d.write("latin1.csv", "time_s\n0.5\n  caf\xe9\n");
  // The message used to quote the byte as it was, and Python then failed to decode the message.
  CHECK(refusal(d, "latin1.csv", "timestamps") ==
        (d.dir / "latin1.csv").string() +
            ":3:6: sources.s.arrivals.trace.file: invalid UTF-8 byte 0xe9: a trace file must be UTF-8 text");
  // A header is skipped, not quoted: Latin-1 there is harmless.
  d.write("latin1-header.csv",
          "temps_\xe9"
          "coul\xe9\n0.5\n");
  CHECK(d.load("latin1-header.csv", "timestamps").sources.at(0).arrivals.trace.times_ns == std::vector<double>{0.5e9});
}
