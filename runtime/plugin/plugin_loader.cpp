#include "runtime/plugin/plugin_loader.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>

#include "runtime/core/error.hpp"

namespace admf {

namespace fs = std::filesystem;

loaded_plugin::~loaded_plugin() { dlclose(handle_); }

namespace {

fs::path executable_dir() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path{} : exe.parent_path();
}

std::string find_library(const std::string& name, const std::vector<std::string>& dirs) {
  if (name.find('/') != std::string::npos)
    return fs::exists(name) ? fs::absolute(name).lexically_normal().string() : std::string{};
  for (const auto& dir : dirs)
    for (const auto& file : {name + ".so", "lib" + name + ".so"}) {
      const auto candidate = fs::path(dir) / file;
      if (fs::exists(candidate))
        return fs::absolute(candidate).lexically_normal().string();
    }
  return {};
}

} // namespace

bool plugin_exists(const std::string& name_or_path, const std::vector<std::string>& search_path) {
  return !find_library(name_or_path, search_path).empty();
}

std::vector<std::string> plugin_search_path(const std::vector<std::string>& configured) {
  std::vector<std::string> dirs = configured;
  if (const char* env = std::getenv("ADMF_PLUGIN_PATH")) {
    std::string list = env;
    for (std::size_t start = 0; start <= list.size();) {
      const auto end = std::min(list.find(':', start), list.size());
      if (end > start)
        dirs.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  const auto exe = executable_dir();
  if (!exe.empty()) {
    dirs.push_back((exe / "plugins").string());  // the build tree, beside admf
    dirs.push_back((exe / ".." / "plugins").lexically_normal().string());  // tests/, examples/
    dirs.push_back((exe / ".." / "lib" / "admf" / "plugins").lexically_normal().string());
  }
  return dirs;
}

std::shared_ptr<loaded_plugin> load_plugin(const std::string& name_or_path,
                                           const std::vector<std::string>& search_path,
                                           const std::string& where) {
  auto fail = [&](const std::string& cause) -> std::shared_ptr<loaded_plugin> {
    throw input_error(where + ": plugin '" + name_or_path + "': " + cause);
  };
  const auto path = find_library(name_or_path, search_path);
  if (path.empty()) {
    std::string dirs;
    for (const auto& d : search_path)
      dirs += (dirs.empty() ? "" : ", ") + d;
    return fail(name_or_path.find('/') != std::string::npos
                  ? "no such file"
                  : "not found (searched: " + dirs + ")");
  }
  // One handle per library per process, kept open: the strategies of a sweep's many
  // backtests share it instead of reloading it per run.
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<loaded_plugin>> open;
  std::lock_guard<std::mutex> guard{mutex};
  if (auto existing = open[path])
    return existing;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return fail(std::string("cannot load: ") + dlerror());
  auto version = reinterpret_cast<admf_plugin_version_fn>(dlsym(handle, "admf_plugin_api_version"));
  auto create = reinterpret_cast<admf_plugin_create_fn>(dlsym(handle, "admf_plugin_create"));
  auto destroy = reinterpret_cast<admf_plugin_destroy_fn>(dlsym(handle, "admf_plugin_destroy"));
  if (!version || !create || !destroy) {
    dlclose(handle);
    return fail(path + " is not an admf plugin (missing entry points admf_plugin_api_version, "
                       "admf_plugin_create, admf_plugin_destroy)");
  }
  // Version 2 only appended to version 1 (strategy_plugin.hpp), so both load.
  if (const auto got = version(); got < plugin::oldest_api_version || got > plugin::api_version) {
    dlclose(handle);
    return fail(path + " was built for plugin API version " + std::to_string(got)
                + ", this admf loads versions " + std::to_string(plugin::oldest_api_version)
                + " to " + std::to_string(plugin::api_version));
  }
  auto plugin = std::make_shared<loaded_plugin>(path, handle, create, destroy);
  open[path] = plugin;
  return plugin;
}

} // namespace admf
