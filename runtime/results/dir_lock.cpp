#include "runtime/results/dir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "runtime/core/error.hpp"

namespace admf {

namespace {

std::string failure(const std::filesystem::path& file, const char* what, int error) {
  return file.string() + ": " + what + ": " + std::strerror(error);
}

/// The pid the holder wrote, or "?" while it has not yet written it.
std::string holder_of(int fd) {
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  std::string pid(text, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' '))
    pid.pop_back();
  return pid.empty() ? "?" : pid;
}

}  // namespace

dir_lock::dir_lock(const std::filesystem::path& dir, const std::filesystem::path& file,
                   const std::string& who, bool remove_when_released)
  : file_(file), remove_when_released_(remove_when_released) {
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw io_error(failure(file, "cannot create", errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string pid = holder_of(fd_);
    ::close(fd_);
    if (error == EWOULDBLOCK)
      throw input_error(dir.string() + ": in use by another admf " + who + " (pid " + pid
                        + "; lock " + file.string() + ")");
    throw io_error(failure(file, "cannot lock", error));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0
      || ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int error = errno;
    ::close(fd_);
    throw io_error(failure(file, "write failed", error));
  }
}

dir_lock::~dir_lock() {
  if (remove_when_released_) {
    std::error_code ignored;  // a lock file left behind is harmless: the next one reuses it
    std::filesystem::remove(file_, ignored);
  }
  ::close(fd_);
}

}  // namespace admf
