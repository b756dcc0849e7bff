#include "runtime/metrics/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace admf {

namespace {

// JSON has no NaN or infinity; a non-finite value (e.g. returns after equity hit 0)
// is written as null so the file stays parseable.
void append_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  // Shortest text that parses back to the same double: the file is a faithful,
  // byte-stable record of the run.
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void append_number(std::string& out, const std::optional<double>& v) {
  if (v)
    append_number(out, *v);
  else
    out += "null";
}

void append_number(std::string& out, std::uint64_t v) { out += std::to_string(v); }

template <class T>
void append_field(std::string& out, const char* key, const T& value, bool last = false) {
  out += "  \"";
  out += key;
  out += "\": ";
  append_number(out, value);
  out += last ? "\n" : ",\n";
}

} // namespace

std::string metrics_report::to_json() const {
  std::string out = "{\n";
  append_field(out, "final_equity", final_equity);
  append_field(out, "total_return", total_return);
  append_field(out, "cagr", cagr);
  append_field(out, "sharpe", sharpe);
  append_field(out, "sortino", sortino);
  append_field(out, "max_drawdown", max_drawdown);
  append_field(out, "calmar", calmar);
  append_field(out, "win_rate", win_rate);
  append_field(out, "profit_factor", profit_factor);
  append_field(out, "trades", trades);
  append_field(out, "exposure", exposure);
  append_field(out, "bars", bars, true);
  out += "}\n";
  return out;
}

metrics_accumulator::metrics_accumulator(double initial_capital, double periods_per_year)
    : initial_(initial_capital), periods_per_year_(periods_per_year),
      last_equity_(initial_capital), peak_(initial_capital) {}

void metrics_accumulator::observe(const event& e) {
  switch (e.header.type) {
    case event_type::portfolio_update: {
      const auto& u = e.as<portfolio_update_data>();
      on_equity(u.equity, u.gross_exposure > 0);
      break;
    }
    case event_type::position_close:
      on_round_trip(e.as<position_data>().pnl);
      break;
    default:
      break;
  }
}

void metrics_accumulator::on_equity(double equity, bool exposed) {
  const double r = equity / last_equity_ - 1;
  last_equity_ = equity;
  ++n_;

  // Welford: numerically stable running mean and sum of squared deviations, so the
  // sample variance needs no second pass over the returns.
  const double delta = r - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (r - mean_);

  if (r < 0) downside_sq_sum_ += r * r;

  // The peak includes the initial capital: losing from the start is a drawdown too.
  peak_ = std::max(peak_, equity);
  max_drawdown_ = std::max(max_drawdown_, (peak_ - equity) / peak_);

  if (exposed) ++exposed_bars_;
}

void metrics_accumulator::on_round_trip(double pnl) {
  ++trades_;
  if (pnl > 0) {
    ++wins_;
    gross_profit_ += pnl;
  } else if (pnl < 0) {
    gross_loss_ -= pnl;
  }
}

metrics_report metrics_accumulator::report() const {
  metrics_report m;
  const double n = static_cast<double>(n_);
  m.final_equity = last_equity_;
  m.total_return = last_equity_ / initial_ - 1;
  m.max_drawdown = max_drawdown_;
  m.trades = trades_;
  m.bars = n_;
  m.exposure = n_ == 0 ? 0 : static_cast<double>(exposed_bars_) / n;

  // A fractional power of a non-positive growth factor has no real value.
  if (n_ > 0 && last_equity_ > 0)
    m.cagr = std::pow(last_equity_ / initial_, periods_per_year_ / n) - 1;

  const double annualise = std::sqrt(periods_per_year_);
  if (n_ >= 2) {
    const double sd = std::sqrt(m2_ / (n - 1));
    if (sd > 0) m.sharpe = mean_ / sd * annualise;
  }
  if (n_ > 0) {
    // Downside deviation over all N returns (empyrical), not only the negative ones.
    const double downside_dev = std::sqrt(downside_sq_sum_ / n);
    if (downside_dev > 0) m.sortino = mean_ / downside_dev * annualise;
  }
  if (m.cagr && max_drawdown_ > 0) m.calmar = *m.cagr / max_drawdown_;

  if (trades_ > 0) m.win_rate = static_cast<double>(wins_) / static_cast<double>(trades_);
  if (gross_loss_ > 0) m.profit_factor = gross_profit_ / gross_loss_;
  return m;
}

} // namespace admf
