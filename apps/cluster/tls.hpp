// TLS settings of the cluster's connections (`admf worker` and `admf optimize
// --workers`) and when they are required, kept apart from protocol.hpp so the
// optimizer's options need no CAF.
#pragma once
#include <string>

#include "apps/cluster/endpoint.hpp"

namespace admf {

/// TLS for the cluster's connections (libcaf_openssl). CAF 0.17 authenticates both
/// ends: each side presents its certificate and verifies the other's against its CA
/// file, so a side using TLS needs all three files.
struct tls_options {
  std::string cert;  ///< PEM certificate (chain) this side presents
  std::string key;   ///< PEM private key of `cert`
  std::string ca;    ///< PEM CA certificate(s) the peer's certificate must chain to
  bool enabled() const { return !cert.empty() || !key.empty() || !ca.empty(); }
};

/// Throws input_error with a one-line reason when TLS options are incomplete or a
/// file is not a readable PEM file. Nothing to check when TLS is off.
void check_tls(const tls_options& tls);

/// Without TLS anything beyond this machine travels in clear text, so listening on a
/// non-loopback `at` must be asked for: throws input_error "FLAG HOST:PORT: not a
/// loopback address; VERB over TLS ..." unless `tls` is enabled or `insecure`.
/// `flag` is the option that gave `at` ("--listen"), `verb` what it does there ("serve").
void require_tls_off_loopback(const endpoint& at, const tls_options& tls, bool insecure,
                              const std::string& flag, const std::string& verb);

}  // namespace admf
