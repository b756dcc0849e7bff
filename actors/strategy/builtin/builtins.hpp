// The strategies admf ships in its own binary (they move to plugins later).
#pragma once

namespace admf {

/// Registers buy_and_hold and sma_crossover with the strategy registry.
void register_builtin_strategies();

} // namespace admf
