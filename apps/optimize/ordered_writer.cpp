#include "apps/optimize/ordered_writer.hpp"

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

#include "runtime/core/error.hpp"

namespace admf {

namespace fs = std::filesystem;

ordered_writer::ordered_writer(fs::path csv, const std::string& header, bool append,
                               std::size_t next, std::size_t total)
  : csv_(std::move(csv)), partial_(csv_.string() + ".partial"),
    file_(std::fopen(partial_.c_str(), append ? "ab" : "wb"), &std::fclose), next_(next),
    total_(total) {
  if (!file_)
    throw io_error(failure("cannot create", errno));
  if (!append && std::fputs(header.c_str(), file_.get()) < 0)
    error_ = errno;
}

void ordered_writer::add(std::size_t job, std::string row) {
  std::lock_guard<std::mutex> lock{mutex_};
  pending_.emplace(job, std::move(row));
  bool wrote = false;
  for (auto it = pending_.begin(); it != pending_.end() && it->first == next_;
       it = pending_.erase(it), ++next_) {
    if (error_ == 0 && std::fwrite(it->second.data(), 1, it->second.size(), file_.get())
                         != it->second.size())
      error_ = errno;
    wrote = true;
  }
  if (wrote && error_ == 0 && std::fflush(file_.get()) != 0)
    error_ = errno;
}

std::size_t ordered_writer::rows_written() {
  std::lock_guard<std::mutex> lock{mutex_};
  return next_;
}

void ordered_writer::finish() {
  if (error_ != 0)
    throw io_error(failure("write failed", error_));
  if (next_ != total_)
    throw std::runtime_error(
      fmt::format("{}: {} of {} rows written", partial_.string(), next_, total_));
  if (std::fclose(file_.release()) != 0)
    throw io_error(failure("close failed", errno));
  std::error_code ec;
  fs::rename(partial_, csv_, ec);
  if (ec)
    throw io_error(failure("rename into place failed", ec.value()));
}

std::string ordered_writer::failure(const char* what, int error) const {
  return csv_.string() + ": " + what + ": " + std::strerror(error);
}

}  // namespace admf
