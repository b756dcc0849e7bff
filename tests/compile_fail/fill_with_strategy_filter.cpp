// Must NOT compile: a FILL subscription through the wrong kind of filter.
#include "runtime/bus/router.hpp"

int main() {
  admf::router<int> bus;
  bus.subscribe<admf::event_type::fill>(1, admf::strategy_filter{7});
}
