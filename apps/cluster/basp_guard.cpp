#include "apps/cluster/basp_guard.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

namespace admf {

bool basp_framing::feed(const char* bytes, std::size_t n) {
  while (n > 0) {
    if (payload_left_ > 0) {
      const auto skip = static_cast<std::size_t>(std::min<std::uint64_t>(payload_left_, n));
      payload_left_ -= skip;
      bytes += skip;
      n -= skip;
      continue;
    }
    const std::size_t take = std::min(header_size - have_, n);
    std::memcpy(header_ + have_, bytes, take);
    have_ += take;
    bytes += take;
    n -= take;
    if (have_ < header_size)
      break;
    have_ = 0;
    // caf/io/basp/header.hpp: operation, 2 padding bytes, flags, then payload_len,
    // written in network byte order by CAF's binary serializer.
    announced_ = (std::uint32_t{header_[4]} << 24) | (std::uint32_t{header_[5]} << 16)
                 | (std::uint32_t{header_[6]} << 8) | std::uint32_t{header_[7]};
    if (announced_ > max_payload_)
      return false;
    payload_left_ = announced_;
  }
  return true;
}

namespace {

/// Bytes read from one socket, waiting to be written to the other.
struct pending {
  std::vector<char> bytes = std::vector<char>(1 << 16);
  std::size_t len = 0, off = 0;
  bool empty() const { return off == len; }
};

struct link {
  int peer, basp;
  std::string name;  ///< the peer's address, for the line saying why it was cut
  pending up, down;  ///< peer -> BASP, BASP -> peer
  basp_framing framing;
  ~link() {
    ::close(peer);
    ::close(basp);
  }
};

std::string peer_name(const sockaddr_storage& addr) {
  char host[INET6_ADDRSTRLEN] = "?";
  unsigned port = 0;
  if (addr.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
    inet_ntop(AF_INET, &a.sin_addr, host, sizeof host);
    port = ntohs(a.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
    inet_ntop(AF_INET6, &a.sin6_addr, host, sizeof host);
    port = ntohs(a.sin6_port);
  }
  return std::string(host) + ":" + std::to_string(port);
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  set_nonblocking(fd);
  return fd;
}

/// Reads what `from` has into `to`; false at its end or an error.
bool read_into(int from, pending& to) {
  const ssize_t n = ::recv(from, to.bytes.data(), to.bytes.size(), 0);
  if (n < 0)
    return errno == EAGAIN || errno == EINTR;
  to.len = static_cast<std::size_t>(n);
  to.off = 0;
  return n > 0;
}

/// Writes what `from` holds to `to`; false at an error.
bool write_from(pending& from, int to) {
  const ssize_t n = ::send(to, from.bytes.data() + from.off, from.len - from.off, MSG_NOSIGNAL);
  if (n < 0)
    return errno == EAGAIN || errno == EINTR;
  from.off += static_cast<std::size_t>(n);
  return true;
}

}  // namespace

basp_guard::basp_guard(const endpoint& at, std::uint16_t backend, std::uint32_t max_payload,
                       std::size_t max_connections)
  : backend_(backend), max_payload_(max_payload), max_connections_(max_connections) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(at.port);
  if (const int rc = ::getaddrinfo(at.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    throw std::runtime_error(at.host + ": " + ::gai_strerror(rc));
  const std::unique_ptr<addrinfo, void (*)(addrinfo*)> owned{found, ::freeaddrinfo};
  listener_ = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  if (listener_ < 0 || ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0
      || ::bind(listener_, found->ai_addr, found->ai_addrlen) != 0
      || ::listen(listener_, 64) != 0) {
    const std::string why = std::strerror(errno);
    if (listener_ >= 0)
      ::close(listener_);
    throw std::runtime_error("cannot listen: " + why);
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6&>(bound).sin6_port
                                            : reinterpret_cast<sockaddr_in&>(bound).sin_port);
  set_nonblocking(listener_);
  if (::pipe2(wake_, O_CLOEXEC) != 0) {
    ::close(listener_);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  thread_ = std::thread([this] { run(); });
}

basp_guard::~basp_guard() {
  const char stop = 0;
  (void)!::write(wake_[1], &stop, 1);
  thread_.join();
  ::close(wake_[0]);
  ::close(wake_[1]);
  ::close(listener_);
}

void basp_guard::run() {
  std::vector<std::unique_ptr<link>> links;
  std::vector<pollfd> fds;
  for (;;) {
    fds.clear();
    fds.push_back({wake_[0], POLLIN, 0});
    fds.push_back({listener_, POLLIN, 0});
    // A direction reads only when what it read before is written: memory stays
    // two buffers per connection, and a slow side slows the other.
    for (const auto& l : links) {
      fds.push_back({l->peer, static_cast<short>((l->up.empty() ? POLLIN : 0)
                                                 | (l->down.empty() ? 0 : POLLOUT)),
                     0});
      fds.push_back({l->basp, static_cast<short>((l->down.empty() ? POLLIN : 0)
                                                 | (l->up.empty() ? 0 : POLLOUT)),
                     0});
    }
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR)
      return;
    if (fds[0].revents != 0)
      return;
    std::vector<bool> keep(links.size(), true);
    for (std::size_t i = 0; i < links.size(); ++i) {
      link& l = *links[i];
      const short peer = fds[2 + 2 * i].revents, basp = fds[3 + 2 * i].revents;
      bool ok = true;
      if (ok && (peer & (POLLIN | POLLHUP | POLLERR)) && l.up.empty()) {
        ok = read_into(l.peer, l.up);
        if (ok && !l.framing.feed(l.up.bytes.data(), l.up.len)) {
          std::fprintf(stderr, "cut connection from %s: a BASP header announces %u bytes "
                               "(at most %u are let through)\n",
                       l.name.c_str(), l.framing.announced(), max_payload_);
          std::fflush(stderr);
          ok = false;
        }
      }
      if (ok && (basp & (POLLIN | POLLHUP | POLLERR)) && l.down.empty())
        ok = read_into(l.basp, l.down);
      if (ok && (basp & POLLOUT) && !l.up.empty())
        ok = write_from(l.up, l.basp);
      if (ok && (peer & POLLOUT) && !l.down.empty())
        ok = write_from(l.down, l.peer);
      keep[i] = ok;
    }
    for (std::size_t i = links.size(); i-- > 0;)
      if (!keep[i])
        links.erase(links.begin() + static_cast<std::ptrdiff_t>(i));
    if (fds[1].revents & POLLIN) {
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      const int peer = ::accept4(listener_, reinterpret_cast<sockaddr*>(&addr), &len,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (peer >= 0 && links.size() >= max_connections_) {
        ::close(peer);
      } else if (peer >= 0) {
        const int basp = connect_loopback(backend_);
        if (basp < 0)
          ::close(peer);
        else
          links.push_back(std::unique_ptr<link>(
            new link{peer, basp, peer_name(addr), {}, {}, basp_framing{max_payload_}}));
      }
    }
  }
}

}  // namespace admf
