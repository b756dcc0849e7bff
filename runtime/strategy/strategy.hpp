// What a strategy is to the runtime: the plugin API's strategy (runtime/plugin/
// strategy_plugin.hpp), whether it comes from a shared library or is registered in
// process (tests, benchmarks, programs embedding admf).
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "runtime/config/backtest_config.hpp"
#include "runtime/plugin/strategy_plugin.hpp"

namespace admf {

/// Owns a strategy; the deleter destroys it where it was made (inside its plugin)
/// and keeps the plugin's library loaded until then.
using strategy_ptr = std::unique_ptr<plugin::strategy, std::function<void(plugin::strategy*)>>;

using strategy_factory = std::function<strategy_ptr(const plugin::params&)>;

/// Registers an in-process strategy type; configs name it with `type:`.
void register_strategy(const std::string& type, strategy_factory factory);

/// Builds the strategy a config names: a registered type, else a plugin found by
/// name (`type:` or `plugin:`) on the search path, or by path (`plugin:`). Throws
/// input_error naming the plugin and the cause. `library`, when given, gets the
/// plugin library's path ("" for a registered type).
strategy_ptr make_strategy(const strategy_config& config, std::string* library = nullptr);

} // namespace admf
