// Where a cluster process listens or connects: `host:port` as given on the command line.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace admf {

struct endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string text() const { return host + ":" + std::to_string(port); }
};

/// "host:port[,host:port...]"; throws input_error naming `what` on a bad entry.
std::vector<endpoint> parse_endpoints(const std::string& list, const std::string& what);

/// True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost).
bool is_loopback(const std::string& host);

}  // namespace admf
