// The plugin's entry points, apart so the strategy class can be compiled into other binaries.
#include "plugins/mean_reversion/mean_reversion.hpp"

ADMF_STRATEGY_PLUGIN(admf::plugins::mean_reversion)
