// User-space instructions retired, counted by the CPU (perf_event_open): unlike wall or
// CPU time they barely move when other work shares the cores. Needs a PMU: inside a
// VM without one (or with perf_event_paranoid > 2) there is no count, and benches
// print null instead.
#pragma once
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <optional>

namespace admf::bench {

class instruction_counter {
public:
  /// Starts counting this thread's instructions from now; with `children`, also those
  /// of threads and processes it starts from now on, added as each of them ends.
  explicit instruction_counter(bool children = false) {
    perf_event_attr attr;
    std::memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_HARDWARE;
    attr.config = PERF_COUNT_HW_INSTRUCTIONS;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    attr.inherit = children ? 1 : 0;
    fd_ = static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
  }
  ~instruction_counter() {
    if (fd_ >= 0)
      close(fd_);
  }
  instruction_counter(const instruction_counter&) = delete;
  instruction_counter& operator=(const instruction_counter&) = delete;

  /// Instructions counted so far; nullopt when the CPU's counter is not available.
  std::optional<std::uint64_t> read() const {
    std::uint64_t n = 0;
    if (fd_ < 0 || ::read(fd_, &n, sizeof n) != static_cast<ssize_t>(sizeof n))
      return std::nullopt;
    return n;
  }

private:
  int fd_ = -1;
};

}  // namespace admf::bench
