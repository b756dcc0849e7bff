// Must NOT compile: a filter that names nobody.
#include "runtime/bus/router.hpp"

int main() {
  admf::router<int> bus;
  bus.subscribe<admf::event_type::signal>(1, admf::strategy_filter{});
}
