// A cap in front of CAF's BASP. CAF 0.17 allocates whatever payload a BASP header
// announces (up to 4 GiB) before a byte of it arrives, so one 32-byte header from
// anyone who reaches the port costs that much memory. The guard listens on the
// public port and forwards each connection to the real BASP port on 127.0.0.1,
// reading the framing of what the peer sends (a 32-byte header whose big-endian
// payload length sits at offset 4, then that many bytes); a connection whose header
// announces more than the cap is cut before the header reaches CAF. Over TLS the
// framing is encrypted, so there is no guard: only peers with a certificate the CA
// signed reach BASP.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>

#include "apps/cluster/endpoint.hpp"

namespace admf {

/// Reads BASP framing as it streams by; false once a header announces more than the cap.
class basp_framing {
public:
  static constexpr std::size_t header_size = 32;
  explicit basp_framing(std::uint32_t max_payload) : max_payload_(max_payload) {}

  /// Takes the next `n` bytes of the stream. False when a header among them (or
  /// completed by them) announces a payload over the cap; `announced()` says how much.
  bool feed(const char* bytes, std::size_t n);
  std::uint32_t announced() const { return announced_; }

private:
  std::uint32_t max_payload_;
  unsigned char header_[header_size] = {};
  std::size_t have_ = 0;           ///< header bytes seen so far
  std::uint64_t payload_left_ = 0;  ///< payload bytes still to pass
  std::uint32_t announced_ = 0;
};

/// The forwarder: a thread of its own, one poll loop for every connection.
class basp_guard {
public:
  /// Listens on `at` (port 0: any free one) and forwards to 127.0.0.1:`backend`;
  /// at most `max_connections` at a time (more are closed at once). Each cut
  /// connection is one line on stderr naming the peer. Throws std::runtime_error
  /// when `at` cannot be bound.
  basp_guard(const endpoint& at, std::uint16_t backend, std::uint32_t max_payload,
             std::size_t max_connections = 64);
  ~basp_guard();
  basp_guard(const basp_guard&) = delete;
  basp_guard& operator=(const basp_guard&) = delete;

  std::uint16_t port() const { return port_; }

private:
  void run();

  int listener_ = -1;
  int wake_[2] = {-1, -1};  ///< a pipe: the destructor's write ends the loop
  std::uint16_t port_ = 0, backend_;
  std::uint32_t max_payload_;
  std::size_t max_connections_;
  std::thread thread_;
};

}  // namespace admf
