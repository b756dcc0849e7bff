#include "runtime/tracing/trace_record.hpp"

#include <chrono>

namespace admf {

std::int64_t wall_clock_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace admf
