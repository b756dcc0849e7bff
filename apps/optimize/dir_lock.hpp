// One sweep coordinator per output directory: two writing one optimize.csv would
// interleave and duplicate rows. The lock is an flock(2) on DIR/optimize.lock, which the
// kernel releases when its holder exits however it ends (even SIGKILL), so a lock left
// by a killed coordinator is never in the way; the file keeps the holder's pid for the
// message the next one prints. flock needs a local file system (not NFS).
#pragma once
#include <filesystem>

namespace admf {

class dir_lock {
public:
  /// Takes the lock of `dir` (which must exist). Throws input_error "DIR: in use by
  /// another admf optimize (pid N; lock DIR/optimize.lock)" when a live process holds
  /// it, io_error "DIR/optimize.lock: what failed: OS error" when the file cannot be
  /// made or locked.
  explicit dir_lock(const std::filesystem::path& dir);
  /// Releases the lock (closing the file does); the file stays, empty of meaning.
  ~dir_lock();
  dir_lock(const dir_lock&) = delete;
  dir_lock& operator=(const dir_lock&) = delete;

private:
  int fd_ = -1;
};

}  // namespace admf
