#include "seed_models.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sluice::fuzz {

std::vector<SeedModel> load_seed_models(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& p : paths) {
    if (fs::is_directory(p)) {
      for (const auto& entry : fs::recursive_directory_iterator(p))
        if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
    } else if (fs::is_regular_file(p)) {
      files.emplace_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  std::vector<SeedModel> seeds;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    seeds.push_back({f.string(), text.str(), f.parent_path().string()});
  }
  return seeds;
}

}  // namespace sluice::fuzz
