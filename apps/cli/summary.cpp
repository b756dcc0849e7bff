#include "apps/cli/summary.hpp"

#include <fmt/format.h>

namespace admf {

namespace {

std::string percent(const std::optional<double>& v) {
  return v ? fmt::format("{:.2f}%", *v * 100) : "-";
}

std::string number(const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : "-"; }

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
  out += fmt::format("results: {}/\n", out_dir);
  return out;
}

}  // namespace admf
