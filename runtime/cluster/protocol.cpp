#include "runtime/cluster/protocol.hpp"

#include <charconv>
#include <fstream>
#include <iterator>
#include <utility>

#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <fmt/format.h>

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

void configure_cluster(caf::actor_system_config& cfg, const tls_options& tls) {
  cfg.load<caf::io::middleman>();
  if (tls.enabled()) {
    cfg.load<caf::openssl::manager>();
    cfg.openssl_certificate = tls.cert;
    cfg.openssl_key = tls.key;
    cfg.openssl_cafile = tls.ca;
  }
  cfg.add_message_type<job_spec_msg>("admf.job_spec");
  cfg.add_message_type<job_result_msg>("admf.job_result");
  cfg.add_message_type<join_msg>("admf.join");
}

std::string check_protocol_version(std::uint32_t theirs) {
  if (theirs == cluster_protocol_version)
    return "";
  return fmt::format("protocol version mismatch: coordinator speaks {}, worker speaks {}", theirs,
                     cluster_protocol_version);
}

std::uint64_t data_checksum(const data_config& data) {
  std::uint64_t h = 14695981039346656037ull;
  char buffer[1 << 16];
  for (const auto& source : data.sources) {
    std::ifstream in{source.path, std::ios::binary};
    if (!in)
      throw input_error(source.path + ": cannot read data file");
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      const auto n = static_cast<std::size_t>(in.gcount());
      for (std::size_t i = 0; i < n; ++i)
        h = (h ^ static_cast<unsigned char>(buffer[i])) * 1099511628211ull;
    }
  }
  return h;
}

namespace {

endpoint parse_endpoint(const std::string& text, const std::string& what) {
  const auto colon = text.rfind(':');
  const auto bad = [&] {
    return input_error(what + ": '" + text + "' is not host:port");
  };
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

} // namespace

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

job_spec_msg encode(const proto::JobSpec& spec) { return {spec.SerializeAsString()}; }

job_result_msg encode(const proto::JobResult& result) { return {result.SerializeAsString()}; }

bool decode(const job_spec_msg& msg, proto::JobSpec& spec) {
  return spec.ParseFromString(msg.bytes);
}

bool decode(const job_result_msg& msg, proto::JobResult& result) {
  return result.ParseFromString(msg.bytes);
}

} // namespace admf
