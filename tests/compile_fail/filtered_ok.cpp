// Control case: the same subscriptions WITH their filters compile, so a failure of
// the other cases is the filter rule and not a broken include.
#include "runtime/bus/router.hpp"

int main() {
  admf::router<int> bus;
  bus.subscribe<admf::event_type::signal>(1, admf::strategy_filter{7});
  bus.subscribe<admf::event_type::fill>(1, admf::container_filter{3});
  bus.subscribe<admf::event_type::bar>(2);
  bus.subscribe<admf::event_type::bar>(3, admf::symbol_filter{std::vector<admf::symbol_id>{1}});
}
