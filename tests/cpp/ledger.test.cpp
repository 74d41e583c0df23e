// Conservation: every request ends completed, failed with a reason, or in flight, for every
// model shipped in models/ (its subfolders too) and tests/data/good/, faults included.
#include <filesystem>

#include <fmt/format.h>

#include "catch.hpp"
#include "model_helpers.hpp"
#include "summary_helpers.hpp"

using sluice::test::doc;

namespace {
// Every figure of a summary is a count, a time, a size, a share or money: never negative (an
// overflowing time once made latencies of -9.2e12 ms and a negative bill).
void check_no_negative(const nlohmann::ordered_json& j, const std::string& path) {
  if (j.is_number()) {
    INFO(path << " = " << j.dump());
    CHECK(j.get<double>() >= 0);
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) check_no_negative(value, path + "." + key);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) check_no_negative(j[i], path + "[" + std::to_string(i) + "]");
  }
}
}  // namespace

TEST_CASE("The ledger balances for every example and test model", "[ledger]") {
  std::vector<std::filesystem::path> files;
  for (const char* dir : {"models", "tests/data/good"}) {
    std::filesystem::path p = std::filesystem::path(SLUICE_SOURCE_DIR) / dir;
    if (!std::filesystem::exists(p)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(p))
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 4);
  for (const auto& f : files) {
    INFO(f.string());
    sluice::ModelSpec m = sluice::load_model(f.string());
    sluice::RunOptions o;
    o.duration_ns = std::min(m.run.duration_ns, std::max(m.run.warmup_ns + 300e9, 1200e9));
    auto r = sluice::run(m, o);
    const auto l = doc(r)["ledger"];
    CHECK(l["balanced"].get<bool>());
    check_no_negative(doc(r), "summary");
    CHECK(l["created"].get<std::uint64_t>() ==
          l["completed"].get<std::uint64_t>() + l["failed"].get<std::uint64_t>() + l["in_flight"].get<std::uint64_t>());
    CHECK(l["created"].get<std::uint64_t>() > 0);
    // The split the table prints: source requests and messages, each balanced, adding up to the whole.
    for (const char* key : {"created", "completed", "failed", "in_flight"})
      CHECK(l["requests"][key].get<std::uint64_t>() + l["messages"][key].get<std::uint64_t>() ==
            l[key].get<std::uint64_t>());
    CHECK(l["requests"]["in_flight"] == l["requests_in_flight"]);
    // End to end, over the measured requests: requests = completed + failed + in flight.
    const auto e2e = doc(r)["end_to_end"];
    std::uint64_t e2e_failed = 0;
    for (const auto& [reason, n] : e2e["failed"].items()) e2e_failed += n.get<std::uint64_t>();
    CHECK(e2e["requests"].get<std::uint64_t>() ==
          e2e["completed"].get<std::uint64_t>() + e2e_failed + e2e["in_flight"].get<std::uint64_t>());
    // Per source: measured requests end in exactly one state.
    const auto sources = doc(r)["sources"];
    for (const auto& [name, s] : sources.items()) {
      std::uint64_t failed = 0;
      for (const auto& [reason, n] : s["failed"].items()) failed += n.get<std::uint64_t>();
      INFO(name);
      CHECK(s["requests"].get<std::uint64_t>() ==
            s["completed"].get<std::uint64_t>() + failed + s["in_flight"].get<std::uint64_t>());
    }
  }
}
