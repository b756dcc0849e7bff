// FNV-1a, the byte hash behind the names admf gives to what must match: the plan of a
// sweep (optimize.hash) and the data a cluster worker runs on (data_checksum). Not
// cryptographic: it tells apart, it does not protect.
#pragma once
#include <cstdint>
#include <string_view>

namespace admf {

/// FNV-1a's 64-bit offset basis: the hash of no bytes.
constexpr std::uint64_t fnv1a_basis = 14695981039346656037ull;
/// FNV-1a's 64-bit prime.
constexpr std::uint64_t fnv1a_prime = 1099511628211ull;

/// 2^64 / golden ratio, odd: the increment of splitmix64 and the constant of the
/// run id's word mixer.
constexpr std::uint64_t golden_gamma = 0x9e3779b97f4a7c15ull;

/// FNV-1a of `bytes`, continuing from `h`: hashing text in pieces, each piece's
/// result fed to the next, gives the hash of the whole.
constexpr std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = fnv1a_basis) {
  for (const char c : bytes)
    h = (h ^ static_cast<unsigned char>(c)) * fnv1a_prime;
  return h;
}

}  // namespace admf
