#include "actors/strategy/builtin/builtins.hpp"

#include <set>

#include "actors/strategy/builtin/buy_and_hold.hpp"
#include "actors/strategy/builtin/sma_crossover.hpp"
#include "runtime/core/error.hpp"

namespace admf {

namespace {

void expect_only(const strategy_params& params, const std::set<std::string>& known) {
  for (const auto& [key, value] : params.values)
    if (!known.count(key))
      throw input_error(params.location(key) + ": unknown parameter");
}

int window_param(const strategy_params& params, const std::string& key) {
  const auto v = params.integer(key);
  if (v < 1 || v > 1'000'000)
    throw input_error(params.location(key) + ": must be between 1 and 1000000, got "
                      + params.values.at(key));
  return static_cast<int>(v);
}

} // namespace

void register_builtin_strategies() {
  register_strategy("buy_and_hold", [](const strategy_params& params) {
    expect_only(params, {});
    return std::make_unique<buy_and_hold>();
  });
  register_strategy("sma_crossover", [](const strategy_params& params) {
    expect_only(params, {"fast", "slow"});
    const int fast = window_param(params, "fast");
    const int slow = window_param(params, "slow");
    if (fast >= slow)
      throw input_error(params.location("fast") + ": fast (" + std::to_string(fast)
                        + ") must be less than slow (" + std::to_string(slow) + ")");
    return std::make_unique<sma_crossover>(fast, slow);
  });
}

} // namespace admf
