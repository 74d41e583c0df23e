// How the loader's messages quote values from the model: never more than 80 characters of a
// value, with its length when it was cut, and control characters escaped, so that a huge or
// multi-line scalar still gives one short line. (The corpus, tests/data/bad/, holds the
// messages themselves; these values are generated here, to keep the repository small.)
#include <string>

#include "catch.hpp"
#include "model/suggest.hpp"
#include "sluice/model.hpp"
#include "spec_helpers.hpp"

using sluice::model::quote;
using sluice::model::shorten;

namespace {

// The message the model is refused with.
std::string refusal(const std::string& yaml) {
  try {
    sluice::test::load(yaml);
  } catch (const sluice::ModelError& e) {
    return e.what();
  }
  FAIL("the model was accepted");
  return "";
}

const std::string kHead = R"(sluice: 1
sources:
  s: {target: f, arrivals: {rate: 1/s}}
components:
)";

}  // namespace

TEST_CASE("a quoted value keeps at most 80 characters and says its length when cut", "[model][messages]") {
  CHECK(quote("10S") == "'10S'");
  CHECK(quote(std::string(80, 'x')) == "'" + std::string(80, 'x') + "'");
  CHECK(quote(std::string(81, 'x')) == "'" + std::string(80, 'x') + "...' (81 bytes in all)");
  CHECK(shorten(std::string(81, 'x')) == std::string(80, 'x') + "... (81 bytes in all)");
  CHECK(shorten("-0.2") == "-0.2");
  // Line breaks, tabs and other control characters are escaped: one error stays one line.
  CHECK(quote("10\nseconds\n") == "'10\\nseconds\\n'");
  CHECK(quote("a\tb\rc\x01") == "'a\\tb\\rc\\x01'");
  // A multi-byte character is never split: 79 ASCII letters and a 2-byte 'é' stop before the 'é'.
  std::string accented = std::string(79, 'a') + "\xC3\xA9" + "tail";
  CHECK(quote(accented) == "'" + std::string(79, 'a') + "...' (85 bytes in all)");
}

TEST_CASE("a scalar of megabytes is cut in the message, not echoed whole", "[model][messages]") {
  // The issue's case was a 200 MB scalar echoed whole; 2 MB shows the cut as well.
  const std::string digits(2 * 1024 * 1024, '9');
  std::string message = refusal(kHead + "  f: {type: lambda, timeout: " + digits + "s, steps: [{cpu: 1ms}]}\n");
  INFO(message.substr(0, 500));
  CHECK(message.size() < 300);
  CHECK(message == "<test>:5:30: components.f.timeout: '" + std::string(80, '9') + "...' (" +
                       std::to_string(digits.size() + 1) +
                       " bytes in all) is too large: a duration must be at most 366d (the longest run)");
}

TEST_CASE("long names, keys and words are cut wherever a message quotes them", "[model][messages]") {
  const std::string big(100 * 1024, 'x');
  const std::string cut = std::string(80, 'x') + "...' (102400 bytes in all)";
  struct Case {
    const char* what;
    std::string yaml;
    std::string fragment;
  };
  const std::vector<Case> cases{
      {"a target that is not a component", kHead + "  f: {type: lambda, steps: [{send: " + big + "}]}\n",
       "components.f.steps.0.send: '" + cut + " is not a component of this model"},
      {"an unknown component type", kHead + "  f: {type: " + big + "}\n",
       "components.f.type: unknown component type '" + cut + "; supported types:"},
      {"an unknown key (written as an explicit key: YAML limits implicit keys to 1024 characters)",
       kHead + "  f:\n    type: lambda\n    steps: [{cpu: 1ms}]\n    ? " + big + "\n    : 1\n",
       "components.f." + std::string(80, 'x') + "... (102400 bytes in all): unknown key '" + cut + "; allowed here:"},
      {"a name that is not valid",
       kHead + "  f: {type: lambda, steps: [{cpu: 1ms}]}\n  ? " + big + "\n  : {type: sqs}\n",
       "'" + cut + " is not a valid name"},
      {"a choice", kHead + "  f: {type: lambda, architecture: " + big + ", steps: [{cpu: 1ms}]}\n",
       "components.f.architecture: '" + cut + " is not one of:"},
      {"a whole number",
       kHead + "  f: {type: lambda, steps: [{cpu: 1ms, threads: " + std::string(100 * 1024, '7') + "}]}\n",
       std::string(80, '7') + "... (102400 bytes in all) is out of range: allowed 1..64"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.what) {
      std::string message = refusal(c.yaml);
      INFO(message.substr(0, 600));
      CHECK(message.size() < 500);
      CHECK(message.find(c.fragment) != std::string::npos);
    }
  }
}
