#include "apps/optimize/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

namespace admf {

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s < 60)
    return fmt::format("{}s", s);
  if (s < 3600)
    return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
}

progress_meter::progress_meter(std::size_t total, std::size_t done_before)
  : total_(total), before_(done_before), tty_(isatty(STDERR_FILENO) != 0),
    start_(clock_type::now()), shown_at_(start_) {}

void progress_meter::update(std::size_t done, bool last) {
  const auto now = clock_type::now();
  if (tty_) {
    if (!last && now - shown_at_ < std::chrono::milliseconds(100))
      return;
    std::fprintf(stderr, "\r%s %s\x1b[K%s", bar(done).c_str(), text(done, now).c_str(),
                 last ? "\n" : "");
  } else {
    const bool due = now - shown_at_ >= std::chrono::seconds(2) || tenth(done) > tenth(shown_);
    if (done == shown_ || !(due || last))
      return;
    std::fprintf(stderr, "%s\n", text(done, now).c_str());
  }
  shown_ = done;
  shown_at_ = now;
}

std::string progress_meter::bar(std::size_t done) const {
  constexpr std::size_t width = 20;
  const std::size_t filled = done * width / total_;
  std::string out(width, ' ');
  std::fill_n(out.begin(), filled, '=');
  if (filled > 0 && filled < width)
    out[filled - 1] = '>';
  return "[" + out + "]";
}

std::string progress_meter::text(std::size_t done, clock_type::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done - before_) / elapsed : 0;
  const std::string eta = rate > 0 ? duration_text(static_cast<double>(total_ - done) / rate) : "?";
  return fmt::format("{}/{} jobs, {:.1f} jobs/s, ETA {}", done, total_, rate, eta);
}

}  // namespace admf
