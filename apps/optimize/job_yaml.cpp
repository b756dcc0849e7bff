#include "apps/optimize/job_yaml.hpp"

#include <filesystem>

namespace admf {

namespace {

namespace fs = std::filesystem;

std::string absolute_path(const fs::path& path) {
  return fs::absolute(path).lexically_normal().string();
}

/// Looks a key up without yaml-cpp's non-const operator[], which adds it.
bool has(const YAML::Node& map, const char* key) { return map[key].IsDefined(); }

/// A config's relative paths resolve from the working directory or the config's;
/// job configs live elsewhere, so their paths are made absolute.
void pin_paths(YAML::Node root, const study& s) {
  YAML::Node data = root["data"];
  if (has(data, "sources"))
    for (std::size_t i = 0; i < s.config.data.sources.size(); ++i)
      data["sources"][i]["csv"] = absolute_path(s.config.data.sources[i].path);
  else
    data["csv"] = absolute_path(s.config.data.sources.at(0).path);
  if (has(root, "plugin_path")) {
    const fs::path base = fs::path(s.config_path).parent_path();
    YAML::Node dirs = root["plugin_path"];
    for (std::size_t i = 0; i < dirs.size(); ++i)
      dirs[i] = absolute_path(base / dirs[i].Scalar());
  }
  for (auto portfolio : root["portfolios"])
    for (auto strategy : portfolio["strategies"])
      if (has(strategy, "plugin") && strategy["plugin"].Scalar().find('/') != std::string::npos)
        strategy["plugin"] = absolute_path(strategy["plugin"].Scalar());
}

}  // namespace

YAML::Node job_config_file(const study& s, std::size_t i) {
  YAML::Node root = YAML::Clone(s.yaml);
  root.remove("optimization");
  pin_paths(root, s);
  put_grid_values(
    s.spec.grid, s.values(i), root["portfolios"][s.spec.portfolio]["strategies"],
    [](const YAML::Node& strategy) { return strategy["id"].Scalar(); },
    [](YAML::Node& strategy, const std::string& param, const std::string& value) {
      strategy["params"][param] = value;
    });
  return root;
}

std::string remote_job_yaml(const study& s, std::size_t i) {
  YAML::Node root = job_config_file(s, i);
  YAML::Node portfolios(YAML::NodeType::Sequence);
  portfolios.push_back(YAML::Clone(root["portfolios"][s.spec.portfolio]));
  root["portfolios"] = portfolios;
  root.remove("trace_settings");
  // A worker loads plugins by name from its own plugin path only: a plugin given by
  // path goes by its file name, and the coordinator's directories are not sent.
  root.remove("plugin_path");
  for (auto strategy : root["portfolios"][0]["strategies"])
    if (has(strategy, "plugin")) {
      const fs::path file = fs::path(strategy["plugin"].Scalar()).filename();
      strategy["plugin"] = file.extension() == ".so" ? file.stem().string() : file.string();
    }
  root["name"] = s.config.name;
  YAML::Emitter emitter;
  emitter << root;
  return std::string(emitter.c_str()) + "\n";
}

}  // namespace admf
