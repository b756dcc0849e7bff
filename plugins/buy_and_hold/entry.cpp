#include "plugins/buy_and_hold/buy_and_hold.hpp"

ADMF_STRATEGY_PLUGIN(admf::plugins::buy_and_hold)
