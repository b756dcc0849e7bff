// A strategy that behaves on every job of a sweep but one: on its first bar, job
// `crash_job` raises signal `signal` (default SIGSEGV: the process dies, as a buggy
// plugin's would) and job `hang_job` sleeps `hang_seconds` (default 60: a plugin stuck
// in a loop). `job` is the grid's axis; 0 never matches. Otherwise it goes long on the
// first bar, so each job has a trade.
#include <chrono>
#include <csignal>
#include <thread>

#include "runtime/plugin/strategy_plugin.hpp"

namespace {

class misbehaves_on_job final : public admf::plugin::strategy {
public:
  explicit misbehaves_on_job(const admf::plugin::params& p)
    : job_(static_cast<long>(p.number("job"))),
      crash_job_(static_cast<long>(p.number_or("crash_job", 0))),
      hang_job_(static_cast<long>(p.number_or("hang_job", 0))),
      signal_(static_cast<int>(p.number_or("signal", SIGSEGV))),
      hang_seconds_(p.number_or("hang_seconds", 60)) {}
  void on_bars(const admf::plugin::bar* bars, std::size_t, admf::plugin::context& ctx) override {
    if (++seen_ != 1)
      return;
    if (job_ != 0 && job_ == crash_job_)
      std::raise(signal_);
    if (job_ != 0 && job_ == hang_job_)
      std::this_thread::sleep_for(std::chrono::duration<double>(hang_seconds_));
    admf::plugin::signal s;
    s.symbol = bars[0].symbol;
    s.target = admf::plugin::direction::long_;
    ctx.emit(s);
  }
  void reset() override { seen_ = 0; }

private:
  long job_, crash_job_, hang_job_;
  int signal_;
  double hang_seconds_;
  long seen_ = 0;
};

} // namespace

ADMF_STRATEGY_PLUGIN(misbehaves_on_job)
