// Portfolio metrics as a projection of the event stream: PORTFOLIO_UPDATE events give
// the equity curve, POSITION_CLOSE events the round trips, POSITION_SNAPSHOT the
// positions open at the end; ORDER_CANCEL, RISK_REJECT and LIQUIDATION are counted. Streaming (Welford): memory
// is constant however long the run.
//
// With E_0 the initial capital, E_i the equity at the i-th close, P periods per year and
// rf the annual risk-free rate:
//   r_i  = E_i / E_{i-1} - 1,   rf_p = (1 + rf)^(1/P) - 1   (the per-period rate that
//          compounds to rf over a year, as quantstats' to_excess_returns de-annualises it)
//   x_i  = r_i - rf_p           (excess returns)
//   sharpe  = mean(x) / std(x, ddof 1) * sqrt(P)             (Sharpe 1994, ex post)
//   sortino = mean(x) / sqrt(sum(min(x_i, 0)^2) / N) * sqrt(P)  (target rf_p; empyrical's
//             downside deviation over all N periods)
// Ruin: once an equity is <= 0, returns stop meaning anything (the next one divides by
// a non-positive number and flips sign), so every statistic built from them is null.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/events/event.hpp"
#include "runtime/results/format.hpp"

namespace admf {

/// The `metrics:` section of a config (top level, or one portfolio's).
struct metrics_config {
  double periods_per_year = 252;  ///< P: return periods in a year (252 trading days; 365 crypto)
  double risk_free_rate = 0;      ///< annual, a fraction: 0.02 = 2 % a year
};

struct metrics_report {
  double final_equity = 0;
  double total_return = 0;
  std::optional<double> cagr, sharpe, sortino;  ///< null once ruined
  double max_drawdown = 0;  ///< positive fraction of the peak, at most 1 (all of it lost)
  std::optional<double> calmar, win_rate, profit_factor;
  std::uint64_t trades = 0;  ///< closed round trips
  double exposure = 0;       ///< fraction of bars with a position open at the close
  std::uint64_t bars = 0;    ///< equity observations (one per timestamp)
  std::optional<timestamp> ruined_at;  ///< the first close with equity <= 0
  /// Orders cancelled, and entry fills the account cut, by reason (ORDER_CANCEL).
  std::map<std::string, std::uint64_t> cancelled;
  std::map<std::string, std::uint64_t> rejected;  ///< RISK_REJECTs by reason
  std::uint64_t liquidations = 0;                 ///< LIQUIDATION events
  std::uint64_t open_positions = 0;  ///< positions held at the end (POSITION_SNAPSHOT)
  double unrealized_pnl = 0;  ///< theirs at the last closes, net of costs paid, currency
  /// Borrow fees shorts paid, closed (POSITION_CLOSE) and open (POSITION_SNAPSHOT), currency
  double borrow_fees = 0;
  /// Dividends booked, closed round trips and open positions: received by longs, less
  /// those shorts paid (portfolio_book::pay_dividend), currency
  double dividends = 0;
  time_format times = time_format::date_time;  ///< how ruined_at is written

  /// Deterministic JSON text (fixed key order, runtime/results/format.hpp numbers and
  /// times, null for undefined).
  std::string to_json() const;
};

class metrics_accumulator {
public:
  /// `times`: the format of the run's result files, for the report's times.
  metrics_accumulator(double initial_capital, const metrics_config& config, time_format times);

  /// Folds one event in; other types than those above are ignored.
  void observe(const event& e);

  void on_equity(timestamp time, double equity, bool exposed);
  void on_round_trip(double pnl);

  metrics_report report() const;

private:
  void on_return(double r);

  double initial_, periods_per_year_, risk_free_per_period_;
  time_format times_;
  double last_equity_, peak_;
  double max_drawdown_ = 0;
  std::optional<timestamp> ruined_at_;
  std::uint64_t n_ = 0, exposed_bars_ = 0;
  double mean_ = 0, m2_ = 0;    // Welford over per-bar excess returns
  double downside_sq_sum_ = 0;  // sum of min(x, 0)^2
  std::uint64_t trades_ = 0, wins_ = 0;
  double gross_profit_ = 0, gross_loss_ = 0;
  std::map<std::string, std::uint64_t> cancelled_, rejected_;
  std::uint64_t liquidations_ = 0, open_positions_ = 0;
  double unrealized_pnl_ = 0, borrow_fees_ = 0, dividends_ = 0;
};

/// Keys of metrics.json holding one value (counts by reason, objects, aside), in its
/// order: optimize.csv's metric columns and what a cluster result must carry.
std::vector<std::string> metric_keys();

} // namespace admf
