#include "runtime/metrics/metrics.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace admf {

namespace {

std::string json_value(double v) { return json_number(v); }
std::string json_value(const std::optional<double>& v) { return v ? json_number(*v) : "null"; }
std::string json_value(std::uint64_t v) { return std::to_string(v); }
std::string json_value(bool v) { return v ? "true" : "false"; }
/// Reason names are identifiers: no escaping needed.
std::string json_value(const std::map<std::string, std::uint64_t>& counts) {
  std::string out = "{";
  for (const auto& [name, n] : counts)
    out += (out.size() > 1 ? ", \"" : "\"") + name + "\": " + std::to_string(n);
  return out + "}";
}

template <class T>
void append_field(std::string& out, const char* key, const T& value, bool last = false) {
  out += "  \"";
  out += key;
  out += "\": ";
  out += json_value(value);
  out += last ? "\n" : ",\n";
}

}  // namespace

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
  append_field(out, "bars", bars);
  append_field(out, "cancelled", cancelled);
  append_field(out, "rejected", rejected);
  append_field(out, "liquidations", liquidations);
  append_field(out, "open_positions", open_positions);
  append_field(out, "unrealized_pnl", unrealized_pnl);
  append_field(out, "borrow_fees", borrow_fees);
  append_field(out, "dividends", dividends);
  append_field(out, "ruined", ruined_at.has_value());
  // A time is text; formatted here, it needs no escaping.
  out += "  \"ruined_at\": ";
  out += ruined_at ? '"' + format_time(*ruined_at, times) + '"' : "null";
  out += "\n}\n";
  return out;
}

metrics_accumulator::metrics_accumulator(double initial_capital, const metrics_config& config,
                                         time_format times)
  : initial_(initial_capital), periods_per_year_(config.periods_per_year),
    risk_free_per_period_(std::pow(1 + config.risk_free_rate, 1 / config.periods_per_year) - 1),
    times_(times), last_equity_(initial_capital), peak_(initial_capital) {}

void metrics_accumulator::observe(const event& e) {
  switch (e.header.type) {
    case event_type::portfolio_update: {
      const auto& u = e.as<portfolio_update_data>();
      on_equity(e.header.time, u.equity, u.gross_exposure > 0);
      break;
    }
    case event_type::position_close:
      on_round_trip(e.as<position_data>().pnl);
      borrow_fees_ += e.as<position_data>().borrow_fee;
      dividends_ += e.as<position_data>().dividends;
      break;
    case event_type::position_snapshot:
      ++open_positions_;
      unrealized_pnl_ += e.as<position_data>().pnl;
      borrow_fees_ += e.as<position_data>().borrow_fee;
      dividends_ += e.as<position_data>().dividends;
      break;
    case event_type::order_cancel:
      ++cancelled_[std::string(to_string(e.as<order_cancel_data>().reason))];
      break;
    case event_type::risk_reject:
      ++rejected_[std::string(to_string(e.as<risk_reject_data>().reason))];
      break;
    case event_type::liquidation:
      ++liquidations_;
      break;
    default:
      break;
  }
}

void metrics_accumulator::on_equity(timestamp time, double equity, bool exposed) {
  ++n_;
  if (exposed)
    ++exposed_bars_;
  if (!ruined_at_) {
    if (equity <= 0)
      ruined_at_ = time;
    else
      on_return(equity / last_equity_ - 1);
  }
  last_equity_ = equity;

  // The peak includes the initial capital: losing from the start is a drawdown too.
  // Past ruin the loss exceeds the peak; a drawdown says at most "all of it".
  peak_ = std::max(peak_, equity);
  max_drawdown_ = std::max(max_drawdown_, std::min(1.0, (peak_ - equity) / peak_));
}

void metrics_accumulator::on_return(double r) {
  const double x = r - risk_free_per_period_;
  // Welford: numerically stable running mean and sum of squared deviations, so the
  // sample variance needs no second pass over the returns.
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
  if (x < 0)
    downside_sq_sum_ += x * x;
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
  m.ruined_at = ruined_at_;
  m.times = times_;
  m.cancelled = cancelled_;
  m.rejected = rejected_;
  m.liquidations = liquidations_;
  m.open_positions = open_positions_;
  m.unrealized_pnl = unrealized_pnl_;
  m.borrow_fees = borrow_fees_;
  m.dividends = dividends_;
  if (trades_ > 0)
    m.win_rate = static_cast<double>(wins_) / static_cast<double>(trades_);
  if (gross_loss_ > 0)
    m.profit_factor = gross_profit_ / gross_loss_;
  if (n_ == 0 || ruined_at_)
    return m;

  m.cagr = std::pow(last_equity_ / initial_, periods_per_year_ / n) - 1;
  const double annualise = std::sqrt(periods_per_year_);
  if (n_ >= 2) {
    const double sd = std::sqrt(m2_ / (n - 1));
    if (sd > 0)
      m.sharpe = mean_ / sd * annualise;
  }
  // Downside deviation over all N returns (empyrical), not only the negative ones.
  const double downside_dev = std::sqrt(downside_sq_sum_ / n);
  if (downside_dev > 0)
    m.sortino = mean_ / downside_dev * annualise;
  if (max_drawdown_ > 0)
    m.calmar = *m.cagr / max_drawdown_;
  return m;
}

std::vector<std::string> metric_keys() {
  // Taken from the JSON itself, so a new metric shows up in optimize.csv by itself;
  // counts by reason (objects) stay in each run's metrics.json: one cell each is a value.
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    const auto json = nlohmann::ordered_json::parse(metrics_report{}.to_json());
    for (const auto& item : json.items())
      if (!item.value().is_object())
        out.push_back(item.key());
    return out;
  }();
  return keys;
}

}  // namespace admf
