// An exclusive lock on a lock file, so that one admf process at a time writes a
// directory: one sweep coordinator per optimize output (DIR/optimize.lock), one run per
// staging directory (OUT/.staging-RUN.lock). It is an flock(2), which the kernel releases
// when its holder exits however it ends (even SIGKILL): a lock left by a killed process
// is never in the way. The file keeps the holder's pid for the message the next one
// prints. flock needs a local file system (not NFS).
#pragma once
#include <filesystem>
#include <string>

namespace admf {

class dir_lock {
public:
  /// Takes the lock of `file` (its directory must exist) for `dir`. Throws input_error
  /// "DIR: in use by another admf WHO (pid N; lock FILE)" when a live process holds it,
  /// io_error "FILE: what failed: OS error" when the file cannot be made or locked.
  /// `remove_when_released`: the destructor deletes the file before letting go, for
  /// locks that should leave nothing behind.
  dir_lock(const std::filesystem::path& dir, const std::filesystem::path& file,
           const std::string& who, bool remove_when_released = false);
  /// Releases the lock (closing the file does).
  ~dir_lock();
  dir_lock(const dir_lock&) = delete;
  dir_lock& operator=(const dir_lock&) = delete;

private:
  std::filesystem::path file_;
  int fd_ = -1;
  bool remove_when_released_;
};

}  // namespace admf
