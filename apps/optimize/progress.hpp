// The progress of an optimization on stderr: on a terminal one line redrawn in place;
// in a log a plain line every 2 s or every 10% of the jobs.
#pragma once
#include <chrono>
#include <cstddef>
#include <string>

namespace admf {

/// Whole seconds as "42s", "3m07s" or "2h05m" (rounded to the second).
std::string duration_text(double seconds);

class progress_meter {
public:
  /// `total` jobs, of which `done_before` were done before this run (they do not
  /// count towards the rate).
  progress_meter(std::size_t total, std::size_t done_before);

  /// `done` jobs are done now; `last`: the final update, always shown.
  void update(std::size_t done, bool last);

private:
  using clock_type = std::chrono::steady_clock;

  std::size_t tenth(std::size_t done) const { return done * 10 / total_; }
  std::string bar(std::size_t done) const;
  std::string text(std::size_t done, clock_type::time_point now) const;

  std::size_t total_, before_;
  bool tty_;
  clock_type::time_point start_, shown_at_;
  std::size_t shown_ = 0;
};

}  // namespace admf
