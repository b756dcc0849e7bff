// The one place that chooses between TLS (libcaf_openssl) and plain TCP (the
// middleman) for the cluster's connections: each side uses TLS exactly when its
// tls_options are enabled, for what it publishes and what it connects to alike.
#pragma once
#include <cstdint>
#include <memory>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "apps/cluster/basp_guard.hpp"
#include "apps/cluster/endpoint.hpp"
#include "apps/cluster/tls.hpp"

namespace admf {

/// Largest BASP payload a peer may announce by default (basp_guard): a job spec or a
/// result is a few KB.
constexpr std::uint32_t default_max_message = 4u << 20;

/// Publishes `actor` for peers at `at` (port 0: any free one); returns the port
/// bound. Over TLS CAF listens there itself; in clear text BASP listens on a free
/// 127.0.0.1 port behind a basp_guard at `at` that cuts a connection announcing a
/// message over `max_message` bytes, kept in `guard` for as long as `actor` serves.
/// The actor system must be configured by configure_cluster with the same `tls`.
caf::expected<std::uint16_t> publish_at(const caf::actor& actor, const endpoint& at,
                                        const tls_options& tls, std::uint32_t max_message,
                                        std::unique_ptr<basp_guard>& guard);

/// The actor published at `at`.
caf::expected<caf::actor> connect_to(caf::actor_system& sys, const endpoint& at,
                                     const tls_options& tls);

}  // namespace admf
