// Warnings through the real sluice command: `validate` exits 0, prints its "ok" line on stdout
// and each warning on stderr as "warning: file:line:column: key.path: message".
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "catch.hpp"
#include "file_helpers.hpp"

namespace fs = std::filesystem;

namespace {

using sluice::test::read_all;

}  // namespace

TEST_CASE("validate prints warnings on stderr with file:line and exits 0", "[model][messaging][cli]") {
  std::string sluice = SLUICE_BINARY;
  if (sluice.empty()) {
    WARN("the sluice command is not built: nothing to check");
    return;
  }
  fs::path dir = fs::temp_directory_path() / ("sluice-warnings-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path model = dir / "unconsumed.yaml";
  std::ofstream(model) << R"(sluice: 1
sources:
  s: {target: f, arrivals: {rate: 1/s}}
components:
  f: {type: lambda, timeout: 10s, steps: [{send: orphan}, {send: q}]}
  orphan: {type: sqs}
  q: {type: sqs, visibility_timeout: 30s}
  g: {type: lambda, timeout: 10s, steps: [{cpu: 1ms}], trigger: {source: q}}
)";
  std::string command = "'" + sluice + "' validate '" + model.string() + "' >'" + (dir / "out").string() + "' 2>'" +
                        (dir / "err").string() + "'";
  int status = std::system(command.c_str());
  std::string out = read_all(dir / "out"), err = read_all(dir / "err");
  fs::remove_all(dir);
  INFO("stderr: " << err);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(out.find("ok (1 sources, 4 components)") != std::string::npos);
  CHECK(err.find("warning: " + model.string() +
                 ":6:11: components.orphan: nothing consumes this queue (no function has a trigger on it)") !=
        std::string::npos);
  CHECK(err.find("warning: " + model.string() +
                 ":8:65: components.g.trigger: the queue 'q' has a visibility timeout of 30s, below the 6 x") !=
        std::string::npos);
}
