#include "apps/cluster/protocol.hpp"

#include <fstream>

#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <fmt/format.h>

#include "runtime/core/error.hpp"
#include "runtime/core/hash.hpp"

namespace admf {

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
  std::uint64_t h = fnv1a_basis;
  char buffer[1 << 16];
  for (const auto& source : data.sources)
    for (const std::string* path : {&source.path, &source.corporate_actions}) {
      if (path->empty())  // no corporate actions file
        continue;
      std::ifstream in{*path, std::ios::binary};
      if (!in)
        throw input_error(*path + ": cannot read data file");
      while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
        h = fnv1a({buffer, static_cast<std::size_t>(in.gcount())}, h);
    }
  return h;
}

job_spec_msg encode(const proto::JobSpec& spec) { return {spec.SerializeAsString()}; }

job_result_msg encode(const proto::JobResult& result) { return {result.SerializeAsString()}; }

bool decode(const job_spec_msg& msg, proto::JobSpec& spec) {
  return spec.ParseFromString(msg.bytes);
}

bool decode(const job_result_msg& msg, proto::JobResult& result) {
  return result.ParseFromString(msg.bytes);
}

}  // namespace admf
