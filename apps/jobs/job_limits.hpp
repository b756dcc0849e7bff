// What one optimization job may take before it is stopped: wall time and memory,
// from the config's `optimization: {job_timeout: 60s, job_memory: 2GiB}`.
#pragma once
#include <cstdint>

namespace admf {

struct job_limits {
  std::uint64_t timeout_ms = 0;    ///< wall time from the job's start; 0 = unlimited
  std::uint64_t memory_bytes = 0;  ///< heap the job may add to what it starts with; 0 = unlimited
};

}  // namespace admf
