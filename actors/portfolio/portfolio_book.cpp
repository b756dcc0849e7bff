#include "actors/portfolio/portfolio_book.hpp"

#include <algorithm>
#include <cmath>

namespace admf {

std::vector<std::pair<event_type, position_data>>
portfolio_book::apply(const fill_data& f, timestamp time, std::uint64_t trade_id) {
  std::vector<std::pair<event_type, position_data>> out;
  const double signed_qty = f.action == side::buy ? f.quantity : -f.quantity;
  cash_ -= signed_qty * f.price + f.commission;
  auto key = std::make_pair(f.strategy, f.symbol);
  auto& p = positions_[key];
  auto payload = [&](const position& pos) {
    position_data d;
    d.trade_id = pos.trade_id;
    d.strategy = f.strategy;
    d.symbol = f.symbol;
    d.quantity = pos.quantity;
    d.entry_price = pos.entry_price;
    d.entry_time = pos.entry_time;
    d.commission = pos.commission;
    d.borrow_fee = pos.borrow_fee;
    d.dividends = pos.dividends;
    return d;
  };
  double remaining = signed_qty;
  double commission = f.commission;
  if (p.quantity != 0 && (p.quantity > 0) != (signed_qty > 0)) {
    // Reduces (or closes, or flips) the open position.
    const double closing = std::min(std::abs(signed_qty), std::abs(p.quantity));
    const double share = closing / std::abs(signed_qty);
    p.realized += (f.price - p.entry_price) * (p.quantity > 0 ? closing : -closing);
    p.commission += commission * share;
    commission -= commission * share;
    remaining = signed_qty + (p.quantity > 0 ? closing : -closing);
    if (closing == std::abs(p.quantity)) {
      auto d = payload(p);
      d.exit_price = f.price;
      d.pnl = p.realized - p.commission - p.borrow_fee + p.dividends;
      out.emplace_back(event_type::position_close, d);
      positions_.erase(key);
    } else {
      p.quantity += signed_qty;
    }
  }
  if (remaining != 0) {
    auto& q = positions_[key];
    if (q.quantity == 0) {
      q = position{remaining, f.price, time, commission, 0, trade_id};
      out.emplace_back(event_type::position_open, payload(q));
    } else {  // adds to the position: average the entry
      q.entry_price = (q.entry_price * q.quantity + f.price * remaining) / (q.quantity + remaining);
      q.quantity += remaining;
      q.commission += commission;
    }
  }
  return out;
}

void portfolio_book::accrue_borrow(timestamp now, const std::vector<execution_config>& costs) {
  if (last_close_time_) {
    const auto days = static_cast<double>(utc_day(now) - utc_day(*last_close_time_));
    for (auto& [key, p] : positions_) {
      if (p.quantity >= 0)
        continue;
      const double fee = -p.quantity * last_close(key.second) * costs[key.second].borrow_fee
                         * days / 360;
      cash_ -= fee;
      p.borrow_fee += fee;
    }
  }
  last_close_time_ = now;
}

void portfolio_book::pay_dividend(symbol_id symbol, double per_share) {
  for (auto& [key, p] : positions_) {
    if (key.second != symbol)
      continue;
    const double amount = p.quantity * per_share;
    cash_ += amount;
    p.dividends += amount;
  }
}

void portfolio_book::mark(symbol_id symbol, double close) {
  if (symbol >= closes_.size())
    closes_.resize(symbol + 1, 0.0);
  closes_[symbol] = close;
}

double portfolio_book::equity() const {
  double value = cash_;
  for (const auto& [key, p] : positions_)
    value += p.quantity * last_close(key.second);
  return value;
}

double portfolio_book::gross_exposure() const {
  double gross = 0;
  for (const auto& [key, p] : positions_)
    gross += std::abs(p.quantity * last_close(key.second));
  return gross;
}

portfolio_update_data portfolio_book::update(container_id portfolio) {
  portfolio_update_data u{portfolio, cash_, equity(), gross_exposure()};
  for (const auto& [key, p] : positions_) u.net_exposure += p.quantity * last_close(key.second);
  peak_ = std::max(peak_, u.equity);
  return u;
}

const position* portfolio_book::find(container_id strategy, symbol_id symbol) const {
  auto it = positions_.find({strategy, symbol});
  return it == positions_.end() ? nullptr : &it->second;
}

}  // namespace admf
