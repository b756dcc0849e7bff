#include "actors/portfolio/portfolio.hpp"

#include <algorithm>

#include <caf/typed_event_based_actor.hpp>

#include "actors/execution/fill_model.hpp"
#include "actors/portfolio/account.hpp"
#include "actors/portfolio/order_targets.hpp"

namespace admf::detail {

bool portfolio::ready_for(std::uint64_t pos) const {
  for (const auto& s : slots_)
    if (s.through < pos)
      return false;
  return open_orders_ == 0 || exec_through_ >= pos;
}

void portfolio::pump() {
  while (!awaiting() && !queue_.empty()) {
    const auto& batch = *queue_.front().events;
    while (cursor_ < batch.size()) {
      const event& bar_event = batch[cursor_];
      if (!ready_for(bar_event.header.sequence)) {
        send_orders(through_);
        return;
      }
      on_bar(bar_event);
      ++cursor_;
      through_ = bar_event.header.sequence;
      const bool last_of_time =
        cursor_ == batch.size() || batch[cursor_].header.time != bar_event.header.time;
      if (!last_of_time)
        continue;
      if (in_calendar(batch, cursor_))  // shorts held over the last close pay, then fills
        book_.accrue_borrow(bar_event.header.time, ctx_->symbol_costs);
      settle_fills(bar_event.header.time);
      if (in_calendar(batch, cursor_) && on_close(bar_event)) {
        publish(through_);  // its market-on-close orders, whose outcomes it waits for
        return;
      }
      decided_ = through_;
    }
    publish(queue_.front().through);
    queue_.pop_front();
    cursor_ = 0;
  }
  if (queue_.empty() && !awaiting() && stream_end_ != 0 && through_ == stream_end_
      && open_orders_ == 0 && !done_) {
    done_ = true;
    snapshot_open_positions();
    publish(through_);
    log_.debug("done: equity {}", book_.equity());
    self_->send(parent_, portfolio_done_msg{me_});
  }
}

bool portfolio::in_calendar(const event_batch& batch, std::size_t end) const {
  const timestamp t = batch[end - 1].header.time;
  for (std::size_t i = end; i > 0 && batch[i - 1].header.time == t; --i)
    if (layout_.calendar[batch[i - 1].as<bar_data>().symbol])
      return true;
  return false;
}

template <class Take>
void portfolio::take_outcomes(Take take) {
  // One pass, keeping the others in order: erasing one at a time was quadratic in
  // the outcomes pending (issue 13).
  auto kept = pending_outcomes_.begin();
  for (auto it = pending_outcomes_.begin(); it != pending_outcomes_.end(); ++it) {
    if (take(*it))
      continue;
    if (kept != it)
      *kept = std::move(*it);
    ++kept;
  }
  pending_outcomes_.erase(kept, pending_outcomes_.end());
}

void portfolio::on_bar(const event& bar_event) {
  const timestamp now = bar_event.header.time;
  take_outcomes([&](const event& e) {
    if (e.header.type != event_type::order_cancel || e.header.time > now)
      return false;
    resting_.erase(e.as<order_cancel_data>().order_id);
    return true;
  });
  const auto& bar = bar_event.as<bar_data>();
  if (bar.dividend != 0)  // to the holders at the close before: this bar's fills wait
    book_.pay_dividend(bar.symbol, bar.dividend);
  closes_.emplace_back(bar.symbol, bar.close);
  last_bar_ = bar_event.header;
}

void portfolio::settle_fills(timestamp now) {
  std::vector<event> fills;
  take_outcomes([&](event& e) {
    if (e.header.type != event_type::fill || e.header.time != now)
      return false;
    fills.push_back(std::move(e));
    return true;
  });
  auto order = [this](const event& e) {
    const auto& f = e.as<fill_data>();
    return std::make_pair(!reduces(f), f.order_id);
  };
  std::sort(fills.begin(), fills.end(),
            [&](const event& a, const event& b) { return order(a) < order(b); });
  for (const auto& f : fills)
    apply_fill(f);
  for (const auto& [symbol, close] : closes_)
    book_.mark(symbol, close);
  closes_.clear();
}

bool portfolio::reduces(const fill_data& f) const {
  const position* held = book_.find(f.strategy, f.symbol);
  return held && (held->quantity > 0) != (f.action == side::buy);
}

void portfolio::apply_fill(const event& fill_event) {
  fill_data f = fill_event.as<fill_data>();
  const position* held = book_.find(f.strategy, f.symbol);
  const double closing = reduces(f) ? std::min(f.quantity, std::abs(held->quantity)) : 0.0;
  bool cut = false;
  if (f.quantity > closing) {
    const auto& commission = ctx_->costs(f.symbol).commission;
    const auto admitted =
      admit_entry(book_, f, f.quantity - closing,
                  {config_.account, config_.risk, commission, ctx_->instrument(f.symbol)});
    if (admitted.cut) {
      const double kept_out = f.quantity - closing - admitted.quantity;
      log_.debug("fill {}: account keeps {} of {} ({})", fill_event.header.id,
                 f.quantity - kept_out, f.quantity, to_string(*admitted.cut));
      // Also ends the order: execution drops what is left of it.
      emit_order(port_.make(event_type::order_cancel, fill_event.header.time,
                            fill_event.header.id,
                            order_cancel_data{f.order_id, me_, f.strategy, f.symbol,
                                              *admitted.cut, f.action, kept_out},
                            fill_event.header.correlation));
      f.quantity -= kept_out;
      f.commission = commission_for(f.quantity, f.price, commission, f.month_to_date);
      cut = true;
    }
  }
  if (f.quantity > 0)
    for (auto& [type, payload] : book_.apply(f, fill_event.header.time,
                                             fill_event.header.correlation)) {
      payload.portfolio = me_;
      outbox_->push_back(port_.make(type, fill_event.header.time, fill_event.header.id,
                                    payload, payload.trade_id));
    }
  if (auto rest = resting_.find(f.order_id); rest != resting_.end()) {
    const order_data placed = rest->second.order;
    rest->second.filled += f.quantity;
    if (f.remaining == 0 || cut) {
      if (f.remaining > 0)
        --open_orders_;  // the cut ended it: no final outcome comes
      resting_.erase(rest);
    }
    if (f.quantity > closing && (placed.stop_loss > 0 || placed.take_profit > 0))
      place_legs(placed, f.quantity - closing, fill_event);
  }
  if (!book_.find(f.strategy, f.symbol))  // flat: its legs protect nothing any more
    cancel_all_of({f.strategy, f.symbol}, true, cancel_reason::position_closed,
                  fill_event.header.id);
}

void portfolio::place_legs(const order_data& entry, double quantity, const event& fill_event) {
  std::uint64_t next = scoped_id(me_, orders_ + 1);
  const std::uint64_t group = next;
  for (auto& leg : bracket_legs(entry, quantity, group, next)) {
    ++orders_;
    const auto e = port_.make(event_type::order, fill_event.header.time, fill_event.header.id,
                              leg, fill_event.header.correlation);
    emit_order(e);
    place(e);
  }
}

void portfolio::snapshot_open_positions() {
  for (const auto& [key, p] : book_.positions()) {
    position_data d;
    d.trade_id = p.trade_id;
    d.portfolio = me_;
    d.strategy = key.first;
    d.symbol = key.second;
    d.quantity = p.quantity;
    d.entry_price = p.entry_price;
    d.entry_time = p.entry_time;
    d.exit_price = book_.last_close(key.second);
    d.commission = p.commission;
    d.borrow_fee = p.borrow_fee;
    d.dividends = p.dividends;
    d.pnl = p.realized + (d.exit_price - p.entry_price) * p.quantity - p.commission
            - p.borrow_fee + p.dividends;
    outbox_->push_back(
      port_.make(event_type::position_snapshot, last_bar_.time, last_bar_.id, d, p.trade_id));
  }
}

bool portfolio::on_close(const event& bar_event) {
  const timestamp now = bar_event.header.time;
  const auto update = book_.update(me_);
  close_equity_ = update.equity;
  // A market-on-close order fills at this close: the update waits for its fill.
  update_waits_ = false;
  for (const auto& slot : slots_)  // its signals are in time order; later ones wait
    for (auto s = slot.signals.begin(); s != slot.signals.end() && s->header.time <= now; ++s)
      update_waits_ = update_waits_ || s->as<signal_data>().kind == order_kind::market_on_close;
  if (!update_waits_)
    outbox_->push_back(
      port_.make(event_type::portfolio_update, now, bar_event.header.id, update));
  ruined_ = ruined_ || update.equity <= 0;
  risk_check_msg check;
  check.snapshot = {update.equity, book_.peak(), update.gross_exposure,
                    buying_power(book_, config_.account), ruined_};
  liquidating_.clear();
  if (auto due = liquidation_due(update, config_.account))
    liquidate(*due, bar_event, check);
  for (auto& slot : slots_) {
    while (!slot.signals.empty() && slot.signals.front().header.time <= now) {
      // Republished upward for observers when acted on, not when it arrived: the
      // output stream is then in bar order however far a strategy ran ahead.
      outbox_->push_back(slot.signals.front());
      act(slot.signals.front(), check);
      slot.signals.pop_front();
    }
  }
  // Exits are judged first, as they fill first: what they free is there for the
  // entries of the same close whatever order the strategies emitted them in.
  if (check.proposals.size() > 1)  // (it allocates a buffer: not for the usual one order)
    std::stable_partition(check.proposals.begin(), check.proposals.end(),
                          [](const order_proposal& p) { return p.exit; });
  if (check.proposals.empty()) {
    finish_close();
    return false;
  }
  asked_ = std::move(check.proposals);
  check.proposals.clear();
  on_risk_verdicts(risk_desk_.judge_all(asked_, check.snapshot));
  return awaiting();
}

void portfolio::finish_close() {
  if (update_waits_) {
    settle_fills(last_bar_.time);
    outbox_->push_back(port_.make(event_type::portfolio_update, last_bar_.time, last_bar_.id,
                                  book_.update(me_)));
    update_waits_ = false;
  }
  decided_ = through_;
}

void portfolio::liquidate(const liquidation_data& due, const event& bar_event, risk_check_msg& check) {
  log_.warn("{}: equity {} against gross exposure {}; liquidating", to_string(due.reason),
            due.equity, due.gross_exposure);
  const timestamp now = bar_event.header.time;
  const auto cause = port_.make(event_type::liquidation, now, bar_event.header.id, due);
  outbox_->push_back(cause);
  while (!resting_.empty())
    cancel_resting(resting_.begin()->first, cancel_reason::liquidation, cause.header.id);
  for (const auto& [key, p] : book_.positions()) {
    liquidating_.insert(key);
    order_proposal exit;
    exit.order.order_id = scoped_id(me_, ++orders_);
    exit.order.portfolio = me_;
    exit.order.strategy = key.first;
    exit.order.symbol = key.second;
    exit.order.action = p.quantity > 0 ? side::sell : side::buy;
    exit.order.quantity = std::abs(p.quantity);
    exit.time = now;
    exit.signal_id = cause.header.id;
    exit.trade_id = p.trade_id;
    exit.exit = true;
    exit.reference_price = book_.last_close(key.second);
    exit.position_value = std::abs(p.quantity) * exit.reference_price;
    check.proposals.push_back(exit);
  }
}

}  // namespace admf::detail
