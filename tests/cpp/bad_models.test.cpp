// The corpus of malformed models (tests/data/bad/): each file must be refused with one
// ModelError whose message contains the fragment on its first line ("# expect: ..."). Lines
// "# set: key.path=value" right after it are passed as --set overrides. tests/bad_models.sh
// runs the same corpus through the sluice command.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "sluice/model.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kExpect = "# expect: ";
const std::string kSet = "# set: ";

struct BadModel {
  fs::path path;
  std::string expect;             // a fragment of the message
  std::vector<std::string> sets;  // raw "key.path=value" texts
};

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(SLUICE_SOURCE_DIR) / "tests" / "data" / "bad"))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

BadModel read_header(const fs::path& path) {
  BadModel m{path, "", {}};
  std::ifstream in(path);
  std::string line;
  if (std::getline(in, line) && line.rfind(kExpect, 0) == 0) m.expect = line.substr(kExpect.size());
  while (std::getline(in, line) && line.rfind(kSet, 0) == 0) m.sets.push_back(line.substr(kSet.size()));
  return m;
}

}  // namespace

TEST_CASE("the corpus of malformed models is large enough", "[model][bad]") { CHECK(corpus_files().size() >= 40); }

TEST_CASE("every malformed model is refused with its expected message", "[model][bad]") {
  for (const auto& file : corpus_files()) {
    BadModel bad = read_header(file);
    DYNAMIC_SECTION(file.filename().string()) {
      INFO("model: " << file.string());
      INFO("expected fragment: " << bad.expect);
      REQUIRE_FALSE(bad.expect.empty());  // the first line must be "# expect: <fragment>"
      std::string message;
      bool refused = false;
      try {
        std::vector<sluice::Override> overrides;
        for (const auto& s : bad.sets) overrides.push_back(sluice::parse_override(s));
        sluice::load_model(file.string(), overrides);
      } catch (const sluice::ModelError& e) {
        refused = true;
        message = e.what();
      } catch (const std::exception& e) {
        FAIL("threw something other than a ModelError: " << e.what());
      }
      INFO("message: " << message);
      REQUIRE(refused);
      CHECK(message.find(bad.expect) != std::string::npos);
    }
  }
}
