// What the harnesses share: options taken from an input's first bytes, and a scratch
// file for loaders that read a path (the file is rewritten on every input, so a
// harness keeps no state between inputs).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

namespace admf::fuzz {

/// The bytes of one input, consumed from the front.
class input {
public:
  input(const std::uint8_t* data, std::size_t size)
    : text_(reinterpret_cast<const char*>(data), size) {}

  /// The next byte, 0 past the end (so a short input still picks options).
  std::uint8_t byte() {
    if (text_.empty())
      return 0;
    const auto b = static_cast<std::uint8_t>(text_.front());
    text_.remove_prefix(1);
    return b;
  }
  /// Everything up to `separator` (consumed with it), or the rest when it is absent.
  std::string_view until(std::string_view separator) {
    const auto at = text_.find(separator);
    const std::string_view part = text_.substr(0, at);
    text_.remove_prefix(at == std::string_view::npos ? text_.size() : at + separator.size());
    return part;
  }
  std::string_view rest() const { return text_; }

private:
  std::string_view text_;
};

/// $TMPDIR/admf-fuzz-PID-NAME: one per process and name, as libFuzzer's -fork and
/// -jobs modes run several processes at once.
inline std::string scratch_path(const std::string& name) {
  return (std::filesystem::temp_directory_path()
          / ("admf-fuzz-" + std::to_string(::getpid()) + "-" + name))
    .string();
}

/// Writes `bytes` to the scratch file `name` and returns its path; aborts when it
/// cannot (the harness is broken then, not admf).
inline std::string scratch_file(const std::string& name, std::string_view bytes) {
  const std::string path = scratch_path(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::perror(path.c_str());
    std::abort();
  }
  return path;
}

/// An expected error (bad input refused): silent, or printed when ADMF_FUZZ_VERBOSE is
/// set, to see what the seeds reach (`ADMF_FUZZ_VERBOSE=1 fuzz_csv corpus/csv/*`).
inline void refused(const std::exception& e) {
  static const bool verbose = std::getenv("ADMF_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "refused: %s\n", e.what());
}

}  // namespace admf::fuzz
