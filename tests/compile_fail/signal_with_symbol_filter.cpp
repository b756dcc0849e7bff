// Must NOT compile: a SIGNAL subscription through a symbol filter (only BAR may carry
// one; SIGNAL requires a strategy_filter).
#include "runtime/bus/router.hpp"

int main() {
  admf::router<int> bus;
  bus.subscribe<admf::event_type::signal>(1, admf::symbol_filter{std::vector<admf::symbol_id>{7}});
}
