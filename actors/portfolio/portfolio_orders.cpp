#include "actors/portfolio/portfolio.hpp"

#include <algorithm>

#include "actors/execution/fill_model.hpp"
#include "actors/portfolio/order_targets.hpp"

namespace admf::detail {

void portfolio::place(const event& order_event) {
  const auto& o = order_event.as<order_data>();
  resting_[o.order_id] = resting_order{o, order_event.header.correlation, 0};
  ++open_orders_;
  newest_order_ = o.order_id;
  // What execution said so far does not cover this order; it cannot fill at
  // or before the current bar.
  exec_through_ = through_;
  if (o.kind == order_kind::market_on_close)
    on_close_orders_.insert(o.order_id);
}

void portfolio::cancel_resting(std::uint64_t id, cancel_reason reason, std::uint64_t cause) {
  auto it = resting_.find(id);
  if (it == resting_.end())
    return;
  const auto& o = it->second.order;
  emit_order(port_.make(
    event_type::order_cancel, last_bar_.time, cause,
    order_cancel_data{o.order_id, me_, o.strategy, o.symbol, reason, o.action, 0},
    it->second.trade_id));
  --open_orders_;  // no outcome comes for it any more
  resting_.erase(it);
}

std::vector<std::uint64_t> portfolio::resting_of(position_key key, bool legs) const {
  std::vector<std::uint64_t> out;
  if (resting_.empty())  // the common case: no allocation, no scan
    return out;
  for (const auto& [id, r] : resting_)
    if (r.order.strategy == key.first && r.order.symbol == key.second
        && (r.order.oco_group != 0) == legs)
      out.push_back(id);
  return out;
}

void portfolio::cancel_all_of(position_key key, bool legs, cancel_reason reason, std::uint64_t cause) {
  for (auto id : resting_of(key, legs))
    cancel_resting(id, reason, cause);
}

void portfolio::turn_down(const event& signal_event, reject_reason why, double observed) {
  const auto& s = signal_event.as<signal_data>();
  outbox_->push_back(port_.make(event_type::risk_reject, signal_event.header.time,
                                signal_event.header.id,
                                risk_reject_data{me_, s.strategy, s.symbol, why, 0, observed}));
}

bool portfolio::proposed(const risk_check_msg& check, position_key key) {
  return std::any_of(check.proposals.begin(), check.proposals.end(),
                     [&](const order_proposal& p) { return of_key(p, key); });
}

bool portfolio::of_key(const order_proposal& p, position_key key) {
  return p.order.strategy == key.first && p.order.symbol == key.second && p.replaces == 0;
}

bool portfolio::withdraw_proposed(risk_check_msg& check, position_key key) {
  if (!proposed(check, key))
    return false;
  std::set<std::uint64_t> signals;
  auto& ps = check.proposals;
  ps.erase(std::remove_if(ps.begin(), ps.end(),
                          [&](const order_proposal& p) {
                            if (!of_key(p, key))
                              return false;
                            signals.insert(p.signal_id);
                            return true;
                          }),
           ps.end());
  for (auto id : signals)
    outbox_->push_back(port_.make(
      event_type::risk_reject, last_bar_.time, id,
      risk_reject_data{me_, key.first, key.second, reject_reason::superseded, 0, 0}));
  return !signals.empty();
}

void portfolio::act(const event& signal_event, risk_check_msg& check) {
  const auto& s = signal_event.as<signal_data>();
  const position_key key{s.strategy, s.symbol};
  const auto cause = signal_event.header.id;
  if (liquidating_.count(key)) {
    log_.debug("signal {} ignored: its position is being liquidated", cause);
    return;
  }
  if (s.action == signal_action::cancel) {
    const auto entries = resting_of(key, false), legs = resting_of(key, true);
    const bool withdrew = withdraw_proposed(check, key);
    if (entries.empty() && legs.empty() && !withdrew)
      return turn_down(signal_event, reject_reason::no_resting_order, 0);
    cancel_all_of(key, false, cancel_reason::cancelled, cause);
    cancel_all_of(key, true, cancel_reason::cancelled, cause);
    return;
  }
  if (s.action == signal_action::replace)
    return propose_replace(signal_event, check);
  // An earlier signal of this close counts as a resting order of the key.
  const auto entries = resting_of(key, false);
  if ((!entries.empty() || proposed(check, key))
      && config_.on_new_signal == new_signal_policy::keep)
    return turn_down(signal_event, reject_reason::order_pending,
                     static_cast<double>(entries.size()));
  if (config_.on_new_signal == new_signal_policy::replace) {
    cancel_all_of(key, false, cancel_reason::superseded, cause);
    withdraw_proposed(check, key);
  }
  propose(signal_event, check);
}

order_proposal portfolio::proposal_for(const event& signal_event, side action) {
  const auto& s = signal_event.as<signal_data>();
  order_proposal p;
  p.order.order_id = scoped_id(me_, ++orders_);
  p.order.portfolio = me_;
  p.order.strategy = s.strategy;
  p.order.symbol = s.symbol;
  p.order.action = action;
  p.order.kind = s.kind;
  p.order.limit_price = s.limit_price;
  p.order.stop_price = s.stop_price;
  p.order.trail_amount = s.trail_amount;
  p.order.trail_percent = s.trail_percent;
  p.order.tif = s.tif;
  p.order.expire_time = s.expire_time;
  p.time = signal_event.header.time;
  p.signal_id = signal_event.header.id;
  p.reference_price = book_.last_close(s.symbol);
  if (s.kind == order_kind::trailing_stop)
    p.order.stop_price = initial_trailing_stop(p.order, p.reference_price);
  return p;
}

void portfolio::propose(const event& signal_event, risk_check_msg& check) {
  const auto& s = signal_event.as<signal_data>();
  const position* held = book_.find(s.strategy, s.symbol);
  const double qty = held ? held->quantity : 0;
  const double price = book_.last_close(s.symbol);
  const double allocation =
    config_.account.leverage * close_equity_ / static_cast<double>(slots_.size());
  position_change change;
  bool budgeted = false;
  if (s.sizing == target_kind::side) {
    const bool wants_long = s.target == direction::long_,
               wants_short = s.target == direction::short_;
    if (qty != 0 && !(qty > 0 && wants_long) && !(qty < 0 && wants_short)) {
      change.exit_side = qty > 0 ? side::sell : side::buy;
      change.exit_quantity = std::abs(qty);
    }
    if ((wants_long && qty <= 0) || (wants_short && qty >= 0)) {
      change.entry_side = wants_long ? side::buy : side::sell;
      change.entry_quantity = s.quantity;
      budgeted = s.quantity == 0;
    }
  } else {
    change = change_towards(qty, target_quantity(s, close_equity_, allocation, price,
                                                 ctx_->instrument(s.symbol).lot_size));
  }
  if (change.exit_quantity > 0) {
    auto exit = proposal_for(signal_event, change.exit_side);
    exit.order.quantity = change.exit_quantity;
    exit.trade_id = held->trade_id;
    exit.exit = true;
    // Valued at the last close, as the entry's budget is; the account checks again
    // at the fill.
    exit.position_value = change.exit_quantity * price;
    check.proposals.push_back(exit);
    cancel_all_of({s.strategy, s.symbol}, true, cancel_reason::position_closed,
                  signal_event.header.id);
  }
  if (change.entry_quantity > 0 || budgeted) {
    auto entry = proposal_for(signal_event, change.entry_side);
    const bool adds = qty != 0 && change.exit_quantity == 0;  // scaling in
    entry.trade_id = adds ? held->trade_id : scoped_id(me_, ++trades_);
    entry.position_value = adds ? std::abs(qty) * price : 0;
    entry.order.stop_loss = s.stop_loss;
    entry.order.take_profit = s.take_profit;
    entry.order.quantity = change.entry_quantity;
    if (budgeted)
      // Strength in (0, 1], checked where the strategy emitted it.
      entry.order.budget = std::max(0.0, s.strength * allocation);
    check.proposals.push_back(entry);
  }
}

void portfolio::propose_replace(const event& signal_event, risk_check_msg& check) {
  const auto& s = signal_event.as<signal_data>();
  auto has_stop = [](order_kind k) {
    return k == order_kind::stop || k == order_kind::stop_limit || k == order_kind::trailing_stop;
  };
  auto has_limit = [](order_kind k) {
    return k == order_kind::limit || k == order_kind::stop_limit;
  };
  auto taken = [&](std::uint64_t id) {
    for (const auto& p : check.proposals)
      if (p.replaces == id)
        return true;
    return false;
  };
  const resting_order* old = nullptr;
  for (auto it = resting_.rbegin(); it != resting_.rend() && !old; ++it) {
    const auto& o = it->second.order;
    if (o.strategy == s.strategy && o.symbol == s.symbol && !taken(o.order_id)
        && (s.stop_price == 0 || has_stop(o.kind)) && (s.limit_price == 0 || has_limit(o.kind)))
      old = &it->second;
  }
  if (!old)
    return turn_down(signal_event, reject_reason::no_resting_order, 0);
  order_proposal p;
  p.order = old->order;
  p.order.order_id = scoped_id(me_, ++orders_);
  if (s.stop_price != 0)
    p.order.stop_price = s.stop_price;
  if (s.limit_price != 0)
    p.order.limit_price = s.limit_price;
  if (s.quantity != 0)
    p.order.quantity = s.quantity;
  else if (p.order.quantity > 0)
    p.order.quantity -= old->filled;  // what is left of it
  p.time = signal_event.header.time;
  p.signal_id = signal_event.header.id;
  p.trade_id = old->trade_id;
  p.replaces = old->order.order_id;
  p.reference_price = book_.last_close(s.symbol);
  p.exit = reduces(fill_data{0, me_, s.strategy, s.symbol, p.order.action});
  const position* held = book_.find(s.strategy, s.symbol);
  p.position_value = held ? std::abs(held->quantity) * p.reference_price : 0;
  check.proposals.push_back(p);
}

}  // namespace admf::detail
