#include "apps/optimize/top_configs.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include <fmt/format.h>

#include "apps/optimize/job_yaml.hpp"
#include "runtime/results/files.hpp"

namespace admf {

namespace {

namespace fs = std::filesystem;

bool is_top_config(const fs::path& file) {
  const std::string name = file.filename().string();
  if (name.size() <= 9 || name.rfind("top_", 0) != 0 || file.extension() != ".yaml")
    return false;
  const std::string rank = name.substr(4, name.size() - 9);
  return std::all_of(rank.begin(), rank.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string top_config(const study& s, std::size_t i, std::size_t rank) {
  YAML::Emitter emitter;
  emitter << job_config_file(s, i);
  return fmt::format("# admf optimize {}: rank {} by {}, job {}\n{}\n", s.config_path, rank,
                     s.spec.metric, i + 1, emitter.c_str());
}

}  // namespace

void remove_top_configs(const fs::path& dir) {
  std::vector<fs::path> stale;
  for (const auto& entry : fs::directory_iterator(dir))
    if (is_top_config(entry.path()))
      stale.push_back(entry.path());
  for (const auto& file : stale)
    fs::remove(file);
}

void write_top_configs(const study& s, const std::vector<std::size_t>& shown) {
  remove_top_configs(s.dir);
  for (std::size_t r = 0; r < shown.size(); ++r)
    write_file_atomically(s.dir / fmt::format("top_{}.yaml", r + 1),
                          top_config(s, shown[r], r + 1));
}

}  // namespace admf
