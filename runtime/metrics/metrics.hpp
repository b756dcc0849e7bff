// Portfolio metrics as a projection of the event stream: PORTFOLIO_UPDATE events give
// the equity curve, POSITION_CLOSE events the round trips. Streaming (Welford): memory
// is constant however long the run.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "runtime/events/event.hpp"

namespace admf {

struct metrics_report {
  double final_equity = 0;
  double total_return = 0;
  std::optional<double> cagr, sharpe, sortino;
  double max_drawdown = 0;  ///< positive fraction
  std::optional<double> calmar, win_rate, profit_factor;
  std::uint64_t trades = 0;  ///< closed round trips
  double exposure = 0;       ///< fraction of bars with a position open at the close
  std::uint64_t bars = 0;    ///< equity observations (one per timestamp)

  /// Deterministic JSON text (fixed key order, shortest round-trip doubles, null for undefined).
  std::string to_json() const;
};

class metrics_accumulator {
public:
  metrics_accumulator(double initial_capital, double periods_per_year);

  /// Folds one event in; events other than PORTFOLIO_UPDATE and POSITION_CLOSE are ignored.
  void observe(const event& e);

  void on_equity(double equity, bool exposed);
  void on_round_trip(double pnl);

  metrics_report report() const;

private:
  double initial_, periods_per_year_;
  double last_equity_, peak_;
  double max_drawdown_ = 0;
  std::uint64_t n_ = 0, exposed_bars_ = 0;
  double mean_ = 0, m2_ = 0;         // Welford over per-bar returns
  double downside_sq_sum_ = 0;       // sum of min(r, 0)^2
  std::uint64_t trades_ = 0, wins_ = 0;
  double gross_profit_ = 0, gross_loss_ = 0;
};

} // namespace admf
