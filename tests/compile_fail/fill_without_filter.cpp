// Must NOT compile: a FILL subscription without a container filter.
#include "runtime/bus/router.hpp"

int main() {
  admf::router<int> bus;
  bus.subscribe<admf::event_type::fill>(1);
}
