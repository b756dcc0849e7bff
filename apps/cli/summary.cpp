#include "apps/cli/summary.hpp"

#include <fmt/format.h>

#include "runtime/results/format.hpp"

namespace admf {

namespace {

std::string percent(const std::optional<double>& v) {
  return v ? fmt::format("{:.2f}%", *v * 100) : "-";
}

std::string number(const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : "-"; }

/// "insufficient_cash 1, zero_quantity 2"
std::string counts(const std::map<std::string, std::uint64_t>& by_reason) {
  std::string out;
  for (const auto& [reason, n] : by_reason)
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", reason, n);
  return out;
}

/// What a run did besides its round trips, so no run does nothing without saying why:
/// orders cancelled or cut and why, rejects, liquidations, positions still held.
std::string notes(const portfolio_result& p) {
  const auto& m = p.metrics;
  std::string out;
  if (!m.cancelled.empty())
    out += fmt::format("  {}: cancelled or cut: {}{}\n", p.id, counts(m.cancelled),
                       m.cancelled.count("zero_quantity")
                         ? " (zero_quantity: the budget bought no whole lot; a symbol's "
                           "lot_size is set under instruments:)"
                         : "");
  if (!m.rejected.empty())
    out += fmt::format("  {}: rejected by risk: {}\n", p.id, counts(m.rejected));
  if (m.liquidations > 0)
    out += fmt::format("  {}: liquidations: {}\n", p.id, m.liquidations);
  for (const auto& id : p.silent_strategies)
    out += fmt::format("  {}: strategy {} made no signal (its params, symbols or barriers?)\n",
                       p.id, id);
  if (m.ruined_at)
    out += fmt::format("  {}: RUINED at {}: equity fell to zero or below\n", p.id,
                       format_time(*m.ruined_at, m.times));
  for (const auto& o : p.open_positions)
    out += fmt::format(
      "  {}: open at end: {} {} {} ({}) @ {} since {}, last {}, unrealized pnl {:.2f}\n", p.id,
      o.symbol, o.quantity > 0 ? "long" : "short", format_double(std::abs(o.quantity)), o.strategy,
      format_double(o.entry_price), format_time(o.entry_time, m.times), format_double(o.last_price),
      o.unrealized_pnl);
  return out;
}

}  // namespace

std::string summary_table(const backtest_config& config, const run_result& result,
                          const std::string& out_dir) {
  std::string out = fmt::format("run {} ({}), {} bars\n", config.name, result.run_id, result.bars);
  out += fmt::format("{:<20} {:>14} {:>9} {:>8} {:>7} {:>8} {:>7} {:>8} {:>7}\n", "portfolio",
                     "final equity", "return", "cagr", "sharpe", "max dd", "trades", "win rate",
                     "rejects");
  for (const auto& p : result.portfolios) {
    if (!p.ok) {
      out += fmt::format("{:<20} STOPPED: {}\n", p.id, p.error);
      continue;
    }
    const auto& m = p.metrics;
    out += fmt::format("{:<20} {:>14.2f} {:>9} {:>8} {:>7} {:>8} {:>7} {:>8} {:>7}\n", p.id,
                       m.final_equity, percent(m.total_return), percent(m.cagr), number(m.sharpe),
                       percent(m.max_drawdown), m.trades, percent(m.win_rate),
                       p.counts[static_cast<std::size_t>(event_type::risk_reject)]);
  }
  for (const auto& p : result.portfolios)
    if (p.ok)
      out += notes(p);
  out += fmt::format("results: {}/\n", out_dir);
  return out;
}

}  // namespace admf
