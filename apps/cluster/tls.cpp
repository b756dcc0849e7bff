#include "apps/cluster/tls.hpp"

#include <fstream>
#include <iterator>
#include <utility>

#include "runtime/core/error.hpp"

namespace admf {

void check_tls(const tls_options& tls) {
  if (!tls.enabled())
    return;
  const std::pair<const char*, const std::string*> files[] = {
    {"--tls-cert", &tls.cert}, {"--tls-key", &tls.key}, {"--tls-ca", &tls.ca}};
  for (const auto& [flag, path] : files) {
    if (path->empty())
      throw input_error(std::string(flag)
                        + ": missing; TLS needs --tls-cert, --tls-key and --tls-ca on both "
                          "sides (each end verifies the other's certificate)");
    std::ifstream in{*path};
    if (!in)
      throw input_error(std::string(flag) + " " + *path + ": cannot read file");
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (text.find("-----BEGIN ") == std::string::npos)
      throw input_error(std::string(flag) + " " + *path + ": not a PEM file");
  }
}

void require_tls_off_loopback(const endpoint& at, const tls_options& tls, bool insecure,
                              const std::string& flag, const std::string& verb) {
  if (!is_loopback(at.host) && !tls.enabled() && !insecure)
    throw input_error(flag + " " + at.text() + ": not a loopback address; " + verb
                      + " over TLS (--tls-cert, --tls-key, --tls-ca) or pass --insecure to " + verb
                      + " unencrypted on a trusted network");
}

}  // namespace admf
