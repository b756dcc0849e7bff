// What a tracer keeps in memory, by policy. Pure bookkeeping, no I/O: the bound on
// memory is a property of this class, tested directly and through long runs.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "runtime/tracing/trace_record.hpp"
#include "runtime/tracing/trace_settings.hpp"

namespace admf {

struct retention_stats {
  std::uint64_t held = 0, peak = 0;    ///< records held now / at most
  std::uint64_t dropped = 0;  ///< evicted by max_events (sliding window, full in memory,
                              ///< open trades of trade_complete past it: the oldest first)
  std::uint64_t trades_completed = 0;  ///< trade_complete / minimal: trades pruned at close
  double completed_pnl = 0;            ///< sum of their POSITION_CLOSE pnl
};

class retention {
public:
  retention(retention_policy policy, std::size_t max_events, std::uint64_t run_id)
    : policy_(policy), max_(max_events), run_id_(run_id) {}

  void add(trace_record record);
  /// Whether add() could keep `e`: lets a tracer skip building records it would drop.
  bool wants(const event& e) const;

  const retention_stats& stats() const { return stats_; }

private:
  struct open_trade {
    std::vector<trace_record> events;
    double net = 0;  // signed quantity its FILLs add up to
    bool filled = false;
  };

  void keep_in_window(trace_record record);
  void keep_trade(trace_record record);
  void make_room(std::uint64_t trade);
  void end_trade(std::uint64_t trade);
  void count(std::int64_t delta);

  retention_policy policy_;
  std::size_t max_;
  std::uint64_t run_id_;
  retention_stats stats_;
  std::deque<trace_record> window_;           // sliding_window, full
  std::map<std::uint64_t, open_trade> open_;  // trade id -> its events
  // Trades ended lately: a container may see a trade's last events after the one
  // that ended it (a FILL arriving after the POSITION_CLOSE it caused was sent).
  std::deque<std::uint64_t> recently_ended_;
};

}  // namespace admf
