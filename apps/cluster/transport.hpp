// The one place that chooses between TLS (libcaf_openssl) and plain TCP (the
// middleman) for the cluster's connections: each side uses TLS exactly when its
// tls_options are enabled, for what it publishes and what it connects to alike.
#pragma once
#include <cstdint>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "apps/cluster/endpoint.hpp"
#include "apps/cluster/tls.hpp"

namespace admf {

/// Publishes `actor` at `at` (port 0: any free one); returns the port bound.
/// The actor system must be configured by configure_cluster with the same `tls`.
caf::expected<std::uint16_t> publish_at(const caf::actor& actor, const endpoint& at,
                                        const tls_options& tls);

/// The actor published at `at`.
caf::expected<caf::actor> connect_to(caf::actor_system& sys, const endpoint& at,
                                     const tls_options& tls);

}  // namespace admf
