// Small text helpers shared by the readers of config and data files.
#pragma once
#include <cctype>
#include <string>
#include <string_view>

namespace admf {

/// `s` in ASCII lower case (header names, option words): bytes above 127, as in UTF-8
/// names, are left as they are.
inline std::string lower_case(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace admf
