#include <map>
#include <mutex>

#include "actors/strategy/builtin/builtins.hpp"
#include "runtime/core/error.hpp"
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

std::string known_types(const registry& r) {
  std::string out;
  for (const auto& [name, f] : r.factories)
    out += (out.empty() ? "" : ", ") + name;
  return out;
}

} // namespace

void register_strategy(const std::string& type, strategy_factory factory) {
  auto& r = instance();
  std::lock_guard<std::mutex> guard{r.mutex};
  r.factories[type] = std::move(factory);
}

std::unique_ptr<strategy> make_strategy(const strategy_config& config) {
  // Built-ins register on first use: a static initializer in a static library would
  // be dropped by the linker.
  static std::once_flag builtins;
  std::call_once(builtins, register_builtin_strategies);
  auto& r = instance();
  strategy_factory factory;
  {
    std::lock_guard<std::mutex> guard{r.mutex};
    auto it = r.factories.find(config.type);
    if (it == r.factories.end()) {
      const auto where = config.type_location.empty() ? "strategy '" + config.id + "'"
                                                      : config.type_location;
      throw input_error(where + ": unknown strategy type '" + config.type
                        + "' (known: " + known_types(r) + ")");
    }
    factory = it->second;
  }
  return factory(config.params);
}

} // namespace admf
