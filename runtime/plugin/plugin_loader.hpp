// Loading strategy plugins: dlopen, entry points, API version. A library is opened
// once per process and stays open; every strategy made from it also holds it, so
// it is never closed under a live object.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "runtime/plugin/strategy_plugin.hpp"

namespace admf {

/// An open plugin library and its entry points; closes the library when destroyed.
class loaded_plugin {
public:
  loaded_plugin(std::string path, void* handle, admf_plugin_create_fn create,
                admf_plugin_destroy_fn destroy)
    : path_(std::move(path)), handle_(handle), create_(create), destroy_(destroy) {}
  ~loaded_plugin();
  loaded_plugin(const loaded_plugin&) = delete;
  loaded_plugin& operator=(const loaded_plugin&) = delete;

  admf_plugin_create_fn create() const { return create_; }
  admf_plugin_destroy_fn destroy() const { return destroy_; }
  /// The library's file, absolute.
  const std::string& path() const { return path_; }

private:
  std::string path_;
  void* handle_;
  admf_plugin_create_fn create_;
  admf_plugin_destroy_fn destroy_;
};

/// Directories searched for a plugin given by name: the config's plugin_path, then
/// $ADMF_PLUGIN_PATH (colon-separated), then, relative to the running binary,
/// plugins/ and ../plugins (a build tree) and ../lib/admf/plugins (an install).
std::vector<std::string> plugin_search_path(const std::vector<std::string>& configured);

/// Whether `name_or_path` names a library on `search_path` (or an existing file).
bool plugin_exists(const std::string& name_or_path, const std::vector<std::string>& search_path);

/// Finds and loads the plugin `name_or_path` (a path if it contains '/'). Throws
/// input_error "<where>: plugin '<name>': <cause>".
std::shared_ptr<loaded_plugin> load_plugin(const std::string& name_or_path,
                                           const std::vector<std::string>& search_path,
                                           const std::string& where);

} // namespace admf
