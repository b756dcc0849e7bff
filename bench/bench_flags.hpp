// Command-line flags of the bench programs: `--name N`, N a positive integer.
#pragma once
#include <cstdlib>
#include <iostream>
#include <string>
#include <utility>

namespace admf::bench {

/// Reads `--name N` pairs into the targets named in `flags` ({"--bars", &bars}, ...;
/// integer targets of any width). Exits 2 with "PROGRAM: why" and `usage` for a flag
/// without a value, a value that is not a positive integer, or an unknown flag.
template <class... Ts>
void parse_flags(int argc, char** argv, const std::string& usage,
                 std::pair<const char*, Ts*>... flags) {
  const auto fail = [&](const std::string& why) {
    std::cerr << argv[0] << ": " << why << "\nusage: " << usage << "\n";
    std::exit(2);
  };
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc)
      fail("missing value for " + flag);
    char* end = nullptr;
    const long long v = std::strtoll(argv[i + 1], &end, 10);
    if (*end != '\0' || v <= 0)
      fail("bad value for " + flag);
    const bool known = ((flag == flags.first ? (*flags.second = static_cast<Ts>(v), true) : false)
                        || ...);
    if (!known)
      fail("unknown flag " + flag);
  }
}

}  // namespace admf::bench
