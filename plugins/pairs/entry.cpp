// The plugin's entry points, apart so the strategy class can be compiled into other binaries.
#include "plugins/pairs/pairs.hpp"

ADMF_STRATEGY_PLUGIN(admf::plugins::pairs)
