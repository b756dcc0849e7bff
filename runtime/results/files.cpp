#include "runtime/results/files.hpp"

#include <cerrno>
#include <cstring>
#include <system_error>

#include "runtime/core/error.hpp"

namespace admf {

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  streamed_file f{path};
  f.write(content);
  f.commit();
}

streamed_file::streamed_file(std::filesystem::path path)
  : path_(std::move(path)), temp_(path_.string() + ".partial") {
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_)
    throw io_error(failure("cannot create", errno));
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 16);
}

streamed_file::~streamed_file() { discard(); }

void streamed_file::write(const std::string& text) {
  if (file_ && std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
    const int error = errno;
    discard();
    throw io_error(failure("write failed", error));
  }
}

void streamed_file::commit() {
  if (!file_)
    return;
  // Flushed apart from closing: a full disk shows here, when the buffer goes out.
  if (std::fflush(file_) != 0) {
    const int error = errno;
    discard();
    throw io_error(failure("write failed", error));
  }
  const bool closed = std::fclose(file_) == 0;
  const int error = errno;
  file_ = nullptr;
  std::error_code ec;
  if (closed)
    std::filesystem::rename(temp_, path_, ec);
  if (!closed || ec) {
    remove_temp();
    throw io_error(closed ? failure("rename into place failed", ec.value())
                          : failure("close failed", error));
  }
}

void streamed_file::discard() {
  if (!file_)
    return;
  std::fclose(file_);  // its error does not matter: the file goes
  file_ = nullptr;
  remove_temp();
}

void streamed_file::remove_temp() {
  std::error_code ignored;
  std::filesystem::remove(temp_, ignored);
}

std::string streamed_file::failure(const char* what, int error) const {
  return path_.string() + ": " + what + ": " + std::strerror(error);
}

} // namespace admf
