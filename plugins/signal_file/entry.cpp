// The plugin's entry points, apart so the strategy class can be compiled into other binaries.
#include "plugins/signal_file/signal_file.hpp"

ADMF_STRATEGY_PLUGIN(admf::plugins::signal_file)
