#include "runtime/results/files.hpp"

#include <cerrno>
#include <cstring>
#include <system_error>

#include "runtime/core/error.hpp"

namespace admf {

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  streamed_file f{path};
  f.buffer() = content;
  f.commit();
}

streamed_file::streamed_file(std::filesystem::path path)
  : path_(std::move(path)), temp_(path_.string() + ".partial") {
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_)
    throw io_error(failure("cannot create", errno));
  std::setvbuf(file_, nullptr, _IONBF, 0);
  buffer_.reserve(block_size + block_size / 4);  // a block and the row that fills it
}

streamed_file::~streamed_file() { discard(); }

void streamed_file::appended() {
  if (buffer_.size() >= block_size)
    write_buffer();
}

void streamed_file::write(std::string_view text) {
  buffer_ += text;
  appended();
}

void streamed_file::write_buffer() {
  if (file_ && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    const int error = errno;
    discard();
    throw io_error(failure("write failed", error));
  }
  buffer_.clear();
}

void streamed_file::commit() {
  if (!file_)
    return;
  // Written apart from closing: a full disk shows here, when the buffer goes out.
  write_buffer();
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
  buffer_.clear();
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
