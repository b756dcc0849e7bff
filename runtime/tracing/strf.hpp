// printf into a std::string. The trace report's columns and number formats ("%g",
// "%.2f", "%-*s") are printf's, and `admf trace` output is compared byte for byte.
#pragma once
#include <algorithm>
#include <cstdio>
#include <string>

namespace admf {

template <class... Args>
std::string strf(const char* fmt, Args... args) {
  const int n = std::snprintf(nullptr, 0, fmt, args...);
  std::string out(static_cast<std::size_t>(std::max(n, 0)), '\0');
  std::snprintf(out.data(), out.size() + 1, fmt, args...);
  return out;
}

}  // namespace admf
