// Must NOT compile: a POSITION_CLOSE subscription without a container filter (the event
// belongs to one portfolio; an unfiltered subscriber would see every portfolio's).
#include "runtime/bus/router.hpp"

int main() {
  admf::router<int> bus;
  bus.subscribe<admf::event_type::position_close>(1);
}
