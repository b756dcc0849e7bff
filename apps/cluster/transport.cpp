#include "apps/cluster/transport.hpp"

#include <caf/io/middleman.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/openssl/remote_actor.hpp>

namespace admf {

caf::expected<std::uint16_t> publish_at(const caf::actor& actor, const endpoint& at,
                                        const tls_options& tls) {
  return tls.enabled() ? caf::openssl::publish(actor, at.port, at.host.c_str())
                       : actor->home_system().middleman().publish(actor, at.port, at.host.c_str());
}

caf::expected<caf::actor> connect_to(caf::actor_system& sys, const endpoint& at,
                                     const tls_options& tls) {
  return tls.enabled() ? caf::openssl::remote_actor(sys, at.host, at.port)
                       : sys.middleman().remote_actor(at.host, at.port);
}

}  // namespace admf
