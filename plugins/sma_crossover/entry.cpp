// The plugin's entry points (kept apart so the strategy class can be compiled into
// other binaries, e.g. the benchmark's built-in comparison).
#include "plugins/sma_crossover/sma_crossover.hpp"

ADMF_STRATEGY_PLUGIN(admf::plugins::sma_crossover)
