// Whole reads and writes on pipes and sockets, for the job processes and the job
// server: retried on EINTR and short counts, false at the end or on an error.
#pragma once
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace admf {

/// Moves all `size` bytes with `move(pointer, count)` (a read, write, send or recv
/// returning ssize_t); false at the end of the stream or on an error.
template <class Byte, class Move>
bool move_all(Byte* data, std::size_t size, Move move) {
  while (size > 0) {
    const ssize_t n = move(data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

/// Reads `size` bytes from a pipe or socket.
inline bool read_all(int fd, char* data, std::size_t size) {
  return move_all(data, size, [fd](char* p, std::size_t n) { return read(fd, p, n); });
}

/// Writes `size` bytes to a pipe (a reader that is gone raises SIGPIPE).
inline bool write_all(int fd, const char* data, std::size_t size) {
  return move_all(data, size, [fd](const char* p, std::size_t n) { return write(fd, p, n); });
}

/// Sends `size` bytes on a socket; a peer that is gone is an error, not a SIGPIPE.
inline bool send_all(int fd, const char* data, std::size_t size) {
  return move_all(data, size,
                  [fd](const char* p, std::size_t n) { return send(fd, p, n, MSG_NOSIGNAL); });
}

}  // namespace admf
