// Hostile and extreme YAML: a model file too large to read, aliases that would expand without
// bound, nesting deeper than any model needs, CR-only and CRLF line endings, bytes that are not
// UTF-8. Each is refused at once with file:line:column, by the loader and by every walk of the
// text (effective_yaml, effective_json). The inputs are generated here: binary bytes and CR-only
// lines do not survive the corpus's "# expect:" header, and megabytes do not belong in the
// repository.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "model_helpers.hpp"
#include "sluice/model.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kModel = R"(sluice: 1
sources:
  s: {target: f, arrivals: {rate: 1/s}}
components:
  f: {type: lambda, steps: [{cpu: 1ms}]}
)";

using sluice::test::refusal;

std::string load_refusal(const std::string& yaml, const std::vector<sluice::Override>& overrides = {}) {
  return refusal([&] { sluice::load_model_from_string(yaml, overrides, "<test>"); });
}

// A "billion laughs": ten anchors, each a list of ten aliases of the one before, so the last
// stands for 10^9 scalars in a few hundred bytes. `description` is read by nobody, so before
// aliases were refused the loader accepted the model and only a walk of the text blew up.
std::string billion_laughs() {
  std::string yaml = kModel + "description:\n  - &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level < 10; ++level) {
    yaml += "  - &a" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) yaml += (i ? ", *a" : "*a") + std::to_string(level - 1);
    yaml += "]\n";
  }
  return yaml;
}

// A file in a fresh temporary folder, removed with it.
struct TempFile {
  fs::path dir;
  fs::path path;
  TempFile(const std::string& name, const std::string& bytes) {
    dir = fs::temp_directory_path() / ("sluice-yaml-limits-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    path = dir / name;
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("a model file above 4 MB is refused by its size, before it is read", "[model][limits]") {
  const std::size_t limit = 4 * 1024 * 1024;
  // The model itself is valid: only its size (a comment as padding) is wrong.
  std::string padded = kModel + "# " + std::string(limit - kModel.size() - 3, 'x') + "\n";
  REQUIRE(padded.size() == limit);
  {
    TempFile at_limit("at-limit.yaml", padded);
    CHECK(refusal([&] { sluice::load_model(at_limit.path.string()); }).empty());
  }
  TempFile above("above.yaml", padded + "\n");
  CHECK(refusal([&] { sluice::load_model(above.path.string()); }) ==
        above.path.string() + ": the model file is 4194305 bytes; a model file may hold at most 4194304 bytes (4 MB)");
}

TEST_CASE("a model file that never ends (a device) is read no further than the limit", "[model][limits]") {
  // Before the limit, /dev/zero was read until memory ran out.
  CHECK(refusal([] { sluice::load_model("/dev/zero"); }) ==
        "/dev/zero: the model file holds more than 4194304 bytes (4 MB), the most a model file may hold");
}

TEST_CASE("a YAML alias is refused where it is written, before anything expands it", "[model][limits]") {
  const std::string yaml = billion_laughs();
  const std::string expected =
      "<test>:8:10: '*a0' is a YAML alias; a model may not use aliases: write the value out in full";
  CHECK(load_refusal(yaml) == expected);
  // effective_yaml and effective_json (Python's to_dict, == and hash) walk the whole text: they
  // would have expanded 10^9 nodes (gigabytes); they refuse it in the same words.
  CHECK(refusal([&] { sluice::effective_json(yaml, {}, "<test>"); }) == expected);
  CHECK(refusal([&] { sluice::effective_yaml(yaml, {}, "<test>"); }) == expected);
}

TEST_CASE("an alias in a --set value is refused, naming the override", "[model][limits]") {
  std::vector<sluice::Override> set{sluice::parse_override("description=[&a [x, x], [*a, *a]]")};
  const std::string expected =
      "--set description=[&a [x, x], [*a, *a]]: description: '*a' is a YAML alias; a value may not use "
      "aliases: write the value out in full";
  CHECK(load_refusal(kModel, set) == expected);
  CHECK(refusal([&] { sluice::effective_json(kModel, set, "<test>"); }) == expected);
}

TEST_CASE("an anchor that no alias uses is harmless and accepted", "[model][limits]") {
  CHECK(load_refusal(kModel + "description: &about a model\n").empty());
}

TEST_CASE("a model of more than 500,000 nodes is refused at the node that goes over", "[model][limits]") {
  // kModel holds 24 nodes (its 8 mappings and lists, 16 keys and values); description: and its
  // list add 2, so n items make 26 + n.
  auto with_items = [](int n) {
    std::string list;
    for (int i = 0; i < n; ++i) list += i ? ",1" : "1";
    return kModel + "description: [" + list + "]\n";
  };
  CHECK(load_refusal(with_items(500'000 - 26)).empty());
  std::string yaml = with_items(500'001 - 26);
  // The last item is the 100,001st node: on line 6, after "description: [" and 99,974 "1,".
  CHECK(load_refusal(yaml) == "<test>:6:" + std::to_string(15 + 2 * (500'000 - 26)) +
                                  ": the model holds more than 500000 nodes (values, lists and mappings); a "
                                  "model may hold at most 500000");
  CHECK(refusal([&] { sluice::effective_json(yaml, {}, "<test>"); }) == load_refusal(yaml));
}

TEST_CASE("YAML nested deeper than 100 levels is refused where level 101 opens", "[model][limits]") {
  SECTION("flow: 100,000 brackets (no stack overflow, no 'bad file')") {
    std::string yaml = kModel + "description: " + std::string(500'000, '[') + std::string(500'000, ']') + "\n";
    // The model's mapping is level 1, so the 100th bracket opens level 101: column 13 + 100.
    const std::string expected =
        "<test>:6:113: the model nests deeper than 100 levels (lists and mappings inside each other)";
    CHECK(load_refusal(yaml) == expected);
    CHECK(refusal([&] { sluice::effective_json(yaml, {}, "<test>"); }) == expected);
  }
  SECTION("flow: 99 brackets (100 levels) are read") {
    CHECK(load_refusal(kModel + "description: " + std::string(99, '[') + std::string(99, ']') + "\n").empty());
  }
  SECTION("block: 101 mappings, one inside the other") {
    std::string yaml = kModel + "description:\n";
    for (int level = 2; level <= 101; ++level) yaml += std::string(level - 1, ' ') + "k:\n";
    yaml += std::string(101, ' ') + "k: end\n";
    // Line 7 opens level 2 (its mapping starts at column 2); line 106 opens level 101.
    CHECK(load_refusal(yaml) ==
          "<test>:106:101: the model nests deeper than 100 levels (lists and mappings inside each other)");
  }
  SECTION("a --set value nested too deeply names the override") {
    std::vector<sluice::Override> set{sluice::parse_override("description=" + std::string(200, '['))};
    CHECK(load_refusal(kModel, set).find(": description: the value nests deeper than 100 levels") != std::string::npos);
  }
  SECTION("a --set key path of more than 100 levels") {
    std::string path = "description";
    for (int i = 0; i < 100'000; ++i) path += ".k";
    std::vector<sluice::Override> set{sluice::parse_override(path + "=1")};
    // Before the limit, effective_json recursed 100,000 levels into the mappings the path created.
    std::string message = refusal([&] { sluice::effective_json(kModel, set, "<test>"); });
    CHECK(message.find("the key path has 100001 levels; a key path may have at most 100") != std::string::npos);
    CHECK(message.size() < 500);
  }
}

TEST_CASE("CR-only and CRLF line endings read like LF, with the same line numbers", "[model][limits]") {
  // An error on line 5 (an unknown type) must say line 5 whatever ends the lines.
  const std::string lf =
      "sluice: 1\nsources:\n  s: {target: f, arrivals: {rate: 1/s}}\ncomponents:\n"
      "  f: {type: lambdaa, steps: [{cpu: 1ms}]}\n";
  auto with_breaks = [](std::string text, const std::string& br) {
    std::string out;
    for (char c : text) out += c == '\n' ? br : std::string(1, c);
    return out;
  };
  const std::string expected_start = "<test>:5:13: components.f.type: unknown component type 'lambdaa'";
  for (const std::string br : {"\n", "\r\n", "\r"}) {
    DYNAMIC_SECTION("line break of " << br.size() << " bytes, " << (br[0] == '\r' ? "CR" : "LF") << " first") {
      CHECK(load_refusal(with_breaks(lf, br)).rfind(expected_start, 0) == 0);
      // And a valid model reads the same whatever its line endings.
      CHECK(sluice::load_model_from_string(with_breaks(kModel, br)) == sluice::load_model_from_string(kModel));
      CHECK(sluice::effective_json(with_breaks(kModel, br), {}) == sluice::effective_json(kModel, {}));
    }
  }
  // A CR inside a quoted value is a line break too (YAML folds it like LF).
  CHECK(sluice::effective_json(kModel + "description: \"a\rb\"\n", {}) ==
        sluice::effective_json(kModel + "description: \"a\nb\"\n", {}));
}

TEST_CASE("bytes that are not UTF-8 are refused at their line and column", "[model][limits]") {
  struct Case {
    const char* what;
    std::string bytes;
    std::string byte_shown;
  };
  const std::vector<Case> cases{
      {"a byte that never starts a character", "\xff", "0xff"},
      {"a lead byte without its continuation", "\xc3(", "0xc3"},
      {"an overlong encoding of '/'", "\xc0\xaf", "0xc0"},
      {"a UTF-16 surrogate", "\xed\xa0\x80", "0xed"},
      {"a code point above U+10FFFF", "\xf4\x90\x80\x80", "0xf4"},
      {"a continuation byte alone", "\x80", "0x80"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.what) {
      // In a name (line 5, column 5) and in a value (line 6, column 15, after "description: ab").
      std::string in_name = "sluice: 1\nsources:\n  s: {target: f, arrivals: {rate: 1/s}}\ncomponents:\n  f" + c.bytes +
                            ": {type: lambda, steps: [{cpu: 1ms}]}\n";
      std::string in_value = kModel + "description: ab" + c.bytes + "cd\n";
      const std::string problem = "invalid UTF-8 byte " + c.byte_shown + ": the model must be UTF-8 text";
      CHECK(load_refusal(in_name) == "<test>:5:4: " + problem);
      CHECK(load_refusal(in_value) == "<test>:6:16: " + problem);
      // effective_json used to fail inside the JSON library ("[json.exception.type_error.316]").
      CHECK(refusal([&] { sluice::effective_json(in_name, {}, "<test>"); }) == "<test>:5:4: " + problem);
    }
  }
  SECTION("a file cut in the middle of a character") {
    CHECK(load_refusal(kModel + "description: \xe2\x82") ==
          "<test>:6:14: invalid UTF-8 byte 0xe2: the model must be UTF-8 text");
  }
  SECTION("UTF-8 itself (names, accents, a byte order mark) is read") {
    CHECK(load_refusal("\xef\xbb\xbf" + kModel + "description: caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80\n").empty());
  }
}

TEST_CASE("control characters other than tab and line breaks are refused", "[model][limits]") {
  CHECK(load_refusal(kModel + "description: a" + std::string(1, '\0') + "b\n") ==
        "<test>:6:15: control character 0x00 is not allowed in YAML (only tab and line breaks are)");
  CHECK(load_refusal(kModel + "description: a\x1b[31mb\n") ==
        "<test>:6:15: control character 0x1b is not allowed in YAML (only tab and line breaks are)");
  CHECK(load_refusal(kModel + "description: a\tb\n").empty());
}

TEST_CASE("a price file gets the same reading: size, line endings, UTF-8", "[model][limits]") {
  auto model_with_prices = [](const fs::path& prices) {
    return kModel + "account: {pricing: " + prices.filename().string() + "}\n";
  };
  SECTION("CR-only line endings") {
    TempFile prices("prices.yaml", "lambda:\r  request_per_million: 0.25\r");
    auto spec = sluice::load_model_from_string(model_with_prices(prices.path), {}, "<test>", prices.dir.string());
    CHECK(spec.account.prices.at("lambda.request_per_million") == 0.25);
  }
  SECTION("invalid UTF-8, named in the price file") {
    TempFile prices("prices.yaml", "lambda:\n  request_per_million: 0.25 \xff\n");
    CHECK(refusal([&] {
            sluice::load_model_from_string(model_with_prices(prices.path), {}, "<test>", prices.dir.string());
          }) ==
          (prices.dir / "prices.yaml").string() + ":2:29: invalid UTF-8 byte 0xff: the price file must be UTF-8 text");
  }
  SECTION("above the size limit, named where the model names the file") {
    TempFile prices("prices.yaml", "# " + std::string(4 * 1024 * 1024, 'x') + "\n");
    CHECK(refusal([&] {
            sluice::load_model_from_string(model_with_prices(prices.path), {}, "<test>", prices.dir.string());
          }) ==
          "<test>:6:20: account.pricing: the price file 'prices.yaml' is 4194307 bytes; a price file may hold at "
          "most 4194304 bytes (4 MB)");
  }
}

TEST_CASE("override values within the limits are refused when they take the model over them", "[model][limits]") {
  SECTION("nesting: a value of 100 levels under a key of the model's mapping is 101 deep") {
    std::vector<sluice::Override> set{
        sluice::parse_override("description=" + std::string(100, '[') + std::string(100, ']'))};
    CHECK(load_refusal(kModel, set).find("description: with this value the model nests deeper than 100 levels") !=
          std::string::npos);
  }
  SECTION("nodes: a model of 500,000 nodes and an override that adds 4") {
    std::string list;
    for (int i = 0; i < 500'000 - 26; ++i) list += i ? ",1" : "1";  // kModel's 24, description's 2
    const std::string full = kModel + "description: [" + list + "]\n";
    REQUIRE(load_refusal(full).empty());
    std::vector<sluice::Override> set{sluice::parse_override("run.seed=7")};  // run:, its mapping, seed: and 7
    const std::string expected =
        "--set run.seed=7: run.seed: with this value the model holds more than 500000 nodes (values, lists and "
        "mappings)";
    CHECK(load_refusal(full, set) == expected);
    // The same check stands between the overrides and the effective model's JSON.
    CHECK(refusal([&] { sluice::effective_json(full, set, "<test>"); }) == expected);
  }
}
