#include "runtime/results/files.hpp"

#include <charconv>
#include <system_error>

#include "runtime/core/error.hpp"

namespace admf {

std::string format_double(double value) {
  char buf[400];  // fixed notation of a double can take ~330 characters
  // Fixed notation reads better in a CSV than 1e+05, and is still the shortest
  // text that round-trips.
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  return std::string(buf, end);
}

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  streamed_file f{path};
  f.write(content);
  f.commit();
}

streamed_file::streamed_file(std::filesystem::path path)
  : path_(std::move(path)), temp_(path_.string() + ".partial") {
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_)
    throw input_error(temp_.string() + ": cannot write result file");
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 16);
}

streamed_file::~streamed_file() { discard(); }

void streamed_file::write(const std::string& text) {
  if (file_ && std::fwrite(text.data(), 1, text.size(), file_) != text.size())
    throw input_error(temp_.string() + ": write failed");
}

void streamed_file::commit() {
  if (!file_)
    return;
  const bool ok = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok)
    throw input_error(temp_.string() + ": write failed");
  std::filesystem::rename(temp_, path_);
}

void streamed_file::discard() {
  if (!file_)
    return;
  std::fclose(file_);
  file_ = nullptr;
  std::error_code ec;
  std::filesystem::remove(temp_, ec);
}

} // namespace admf
