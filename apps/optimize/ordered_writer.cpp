#include "apps/optimize/ordered_writer.hpp"

#include <stdexcept>

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
    throw input_error(partial_.string() + ": cannot write result file");
  if (!append && std::fputs(header.c_str(), file_.get()) < 0)
    throw std::runtime_error(partial_.string() + ": write failed");
}

void ordered_writer::add(std::size_t job, std::string row) {
  std::lock_guard<std::mutex> lock{mutex_};
  pending_.emplace(job, std::move(row));
  bool wrote = false;
  for (auto it = pending_.begin(); it != pending_.end() && it->first == next_;
       it = pending_.erase(it), ++next_) {
    if (std::fwrite(it->second.data(), 1, it->second.size(), file_.get()) != it->second.size())
      throw std::runtime_error(partial_.filename().string() + ": write failed");
    wrote = true;
  }
  if (wrote)
    std::fflush(file_.get());
}

void ordered_writer::finish() {
  if (next_ != total_)
    throw std::runtime_error(
      fmt::format("{}: {} of {} rows written", partial_.string(), next_, total_));
  if (std::fclose(file_.release()) != 0)
    throw std::runtime_error(partial_.string() + ": write failed");
  fs::rename(partial_, csv_);
}

}  // namespace admf
