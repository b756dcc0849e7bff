#include "apps/cluster/endpoint.hpp"

#include <charconv>

#include "runtime/core/error.hpp"

namespace admf {

namespace {

endpoint parse_endpoint(const std::string& text, const std::string& what) {
  const auto colon = text.rfind(':');
  const auto bad = [&] { return input_error(what + ": '" + text + "' is not host:port"); };
  if (colon == std::string::npos || colon == 0)
    throw bad();
  unsigned port = 0;
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  const auto [end, ec] = std::from_chars(first, last, port);
  if (ec != std::errc() || end != last || first == last || port > 65535)
    throw bad();
  return {text.substr(0, colon), static_cast<std::uint16_t>(port)};
}

}  // namespace

std::vector<endpoint> parse_endpoints(const std::string& list, const std::string& what) {
  std::vector<endpoint> out;
  std::size_t start = 0;
  for (std::size_t comma;; start = comma + 1) {
    comma = list.find(',', start);
    out.push_back(parse_endpoint(list.substr(start, comma - start), what));
    if (comma == std::string::npos)
      return out;
  }
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace admf
