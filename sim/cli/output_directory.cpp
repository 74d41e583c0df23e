#include "cli/output_directory.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

namespace sluice::cli {
namespace fs = std::filesystem;

namespace {

std::string reason(const std::error_code& ec) { return ec.message(); }

// Swaps two paths atomically (Linux renameat2 with RENAME_EXCHANGE); false where the file system
// or kernel cannot, in which case the caller falls back to two renames.
bool exchange(const fs::path& a, const fs::path& b) {
#if defined(__linux__) && defined(RENAME_EXCHANGE)
  return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0;
#else
  (void)a;
  (void)b;
  return false;
#endif
}

}  // namespace

OutputDirectory::OutputDirectory(fs::path dir, std::vector<std::string> file_names)
    : dir_(std::move(dir)), file_names_(std::move(file_names)) {
  if (dir_.empty()) throw OutputError("--out: no directory given");
  if (!dir_.has_filename()) dir_ = dir_.parent_path();  // "out/" names "out"
  parent_ = dir_.has_parent_path() ? dir_.parent_path() : fs::path(".");
  std::error_code ec;
  auto status = fs::status(dir_, ec);
  if (fs::exists(status) && !fs::is_directory(status))
    throw OutputError(fmt::format("--out {}: exists and is not a directory", dir_.string()));
  if (fs::is_directory(status)) {
    // The whole directory is replaced: refuse to throw away files sluice did not write.
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
      std::string name = entry.path().filename().string();
      if (std::find(file_names_.begin(), file_names_.end(), name) == file_names_.end())
        throw OutputError(
            fmt::format("--out {}: holds '{}', which sluice did not write; sluice replaces the whole "
                        "directory, so give it a new or empty one",
                        dir_.string(), name.substr(0, 80)));
    }
    if (ec) throw OutputError(fmt::format("--out {}: cannot read the directory: {}", dir_.string(), reason(ec)));
  }
  fs::create_directories(parent_, ec);
  if (ec) throw OutputError(fmt::format("--out {}: cannot create {}: {}", dir_.string(), parent_.string(), reason(ec)));
  // The real test of writability: make (and remove) the staging directory the run will use.
  fs::path probe = sibling("tmp");
  fs::remove_all(probe, ec);
  if (!fs::create_directory(probe, ec) || ec)
    throw OutputError(fmt::format("--out {}: cannot write in {}: {}", dir_.string(), parent_.string(),
                                  ec ? reason(ec) : "a file of that name exists"));
  fs::remove(probe, ec);
}

fs::path OutputDirectory::sibling(const char* what) const {
  return parent_ / fmt::format(".{}.{}-{}", dir_.filename().string(), what, ::getpid());
}

void OutputDirectory::publish(const std::vector<std::pair<std::string, std::string>>& files) const {
  fs::path staging = sibling("tmp");
  std::error_code ec;
  auto fail = [&](const std::string& what) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    throw OutputError(fmt::format("--out {}: {}", dir_.string(), what));
  };
  fs::remove_all(staging, ec);
  if (!fs::create_directory(staging, ec)) fail(fmt::format("cannot create {}: {}", staging.string(), reason(ec)));
  for (const auto& [name, text] : files) {
    fs::path path = staging / name;
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.flush();
    if (!out) fail(fmt::format("cannot write {}: {}", name, std::strerror(errno)));
    out.close();
    if (!out) fail(fmt::format("cannot write {}: {}", name, std::strerror(errno)));
  }
  if (!fs::exists(dir_)) {
    fs::rename(staging, dir_, ec);
    if (ec) fail(fmt::format("cannot move the results into place: {}", reason(ec)));
    return;
  }
  if (!exchange(staging, dir_)) {
    // No atomic exchange here: move the old directory aside, the new one in, and back on failure.
    fs::path old = sibling("old");
    fs::remove_all(old, ec);
    fs::rename(dir_, old, ec);
    if (ec) fail(fmt::format("cannot move the previous results aside: {}", reason(ec)));
    fs::rename(staging, dir_, ec);
    if (ec) {
      std::error_code ignored;
      fs::rename(old, dir_, ignored);
      fail(fmt::format("cannot move the results into place: {}", reason(ec)));
    }
    staging = old;
  }
  fs::remove_all(staging, ec);  // now the previous results
}

}  // namespace sluice::cli
