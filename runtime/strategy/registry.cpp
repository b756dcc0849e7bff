#include <map>
#include <mutex>

#include "runtime/core/error.hpp"
#include "runtime/plugin/config_params.hpp"
#include "runtime/plugin/plugin_loader.hpp"
#include "runtime/strategy/strategy.hpp"

namespace admf {

namespace {

struct registry {
  std::mutex mutex;
  std::map<std::string, strategy_factory> factories;
};

registry& instance() {
  static registry r;
  return r;
}

strategy_factory registered(const std::string& type) {
  auto& r = instance();
  std::lock_guard<std::mutex> guard{r.mutex};
  auto it = r.factories.find(type);
  return it == r.factories.end() ? strategy_factory{} : it->second;
}

strategy_ptr from_plugin(const strategy_config& config, const std::string& name,
                         const std::string& where, std::string* library) {
  auto lib = load_plugin(name, plugin_search_path(config.plugin_path), where);
  if (library)
    *library = lib->path();
  const config_params params{config.params};
  char error[512] = "";
  plugin::strategy* made = lib->create()(&params, error, sizeof error);
  if (!made)
    throw input_error(error[0] ? std::string(error) + " (plugin '" + name + "')"
                               : where + ": plugin '" + name + "': create failed");
  // The deleter holds the library: it stays loaded while this strategy lives.
  return strategy_ptr{made, [lib](plugin::strategy* s) { lib->destroy()(s); }};
}

} // namespace

void register_strategy(const std::string& type, strategy_factory factory) {
  auto& r = instance();
  std::lock_guard<std::mutex> guard{r.mutex};
  r.factories[type] = std::move(factory);
}

strategy_ptr make_strategy(const strategy_config& config, std::string* library) {
  const auto where = config.type_location.empty() ? "strategy '" + config.id + "'"
                                                  : config.type_location;
  if (!config.plugin.empty())
    return from_plugin(config, config.plugin, where, library);
  if (auto factory = registered(config.type))
    return factory(config_params{config.params});
  const auto dirs = plugin_search_path(config.plugin_path);
  if (!plugin_exists(config.type, dirs)) {
    std::string searched;
    for (const auto& d : dirs)
      searched += (searched.empty() ? "" : ", ") + d;
    throw input_error(where + ": unknown strategy type '" + config.type
                      + "' (no plugin of that name in: " + searched + ")");
  }
  return from_plugin(config, config.type, where, library);
}

} // namespace admf
