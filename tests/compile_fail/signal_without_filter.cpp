// Must NOT compile: a SIGNAL subscription without a strategy filter.
#include "runtime/bus/router.hpp"

int main() {
  admf::router<int> bus;
  bus.subscribe<admf::event_type::signal>(1);
}
