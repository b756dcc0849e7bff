#include "apps/cluster/transport.hpp"

#include <caf/io/middleman.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/openssl/remote_actor.hpp>

namespace admf {

caf::expected<std::uint16_t> publish_at(const caf::actor& actor, const endpoint& at,
                                        const tls_options& tls, std::uint32_t max_message,
                                        std::unique_ptr<basp_guard>& guard) {
  if (tls.enabled())  // the guard cannot read encrypted framing; peers need a certificate
    return caf::openssl::publish(actor, at.port, at.host.c_str());
  auto basp = actor->home_system().middleman().publish(actor, 0, "127.0.0.1");
  if (!basp)
    return basp;
  try {
    guard = std::make_unique<basp_guard>(at, *basp, max_message);
  } catch (const std::exception& e) {
    return caf::make_error(caf::sec::cannot_open_port, e.what());
  }
  return guard->port();
}

caf::expected<caf::actor> connect_to(caf::actor_system& sys, const endpoint& at,
                                     const tls_options& tls) {
  return tls.enabled() ? caf::openssl::remote_actor(sys, at.host, at.port)
                       : sys.middleman().remote_actor(at.host, at.port);
}

}  // namespace admf
