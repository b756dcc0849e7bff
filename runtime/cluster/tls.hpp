// TLS settings of the cluster's connections (`admf worker` and `admf optimize
// --workers`), kept apart from protocol.hpp so the optimizer's options need no CAF.
#pragma once
#include <string>

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

} // namespace admf
