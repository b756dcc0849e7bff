#include "actors/portfolio/portfolio_actor.hpp"

#include <algorithm>
#include <deque>
#include <set>

#include <caf/exit_reason.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/execution/fill_model.hpp"
#include "actors/portfolio/account.hpp"
#include "actors/portfolio/order_targets.hpp"
#include "actors/portfolio/portfolio_book.hpp"
#include "actors/risk/risk_actor.hpp"
#include "actors/strategy/strategy_actor.hpp"
#include "runtime/bus/router.hpp"
#include "runtime/log/log.hpp"
#include "runtime/supervision/failure.hpp"

namespace admf {

namespace {

struct strategy_slot {
  strategy_actor actor;
  std::uint64_t through = 0;  // watermark of its SIGNAL batches
  std::deque<event> signals;  // received, not yet acted on
};

/// An order placed and not over, as far as the outcomes that took effect tell.
struct resting_order {
  order_data order;
  std::uint64_t trade_id = 0;  // its events' correlation
  double filled = 0;           // units
};

using position_key = std::pair<container_id, symbol_id>;

class portfolio {
public:
  portfolio(portfolio_actor::pointer self, context_ptr ctx, std::size_t index,
            portfolio_parent_actor parent)
    : self_(self), ctx_(std::move(ctx)), index_(index), parent_(std::move(parent)),
      layout_(ctx_->portfolios[index]), config_(ctx_->config.portfolios[index]),
      me_(layout_.portfolio), port_(ctx_->port_of(me_)), log_(ctx_->run_hex(), ctx_->name_of(me_)),
      book_(config_.initial_capital), outbox_(std::make_shared<event_batch>()) {}

  void start() {
    risk_ = spawn_container(self_, *ctx_, layout_.risk, risk_behavior, ctx_, index_);
    for (std::size_t i = 0; i < layout_.strategies.size(); ++i) {
      slots_.push_back(strategy_slot{spawn_strategy(i), 0, {}});
      subscribe_bars(i);
    }
  }

  // --- inputs -------------------------------------------------------------

  void on_bars(const bar_batch& in) {
    queue_.push_back(in);
    send_bars(in);
    pump();
  }

  /// Outcomes of our orders, and execution's watermark. An outcome is known now (no
  /// more waiting for it) but takes effect at its bar: an order filling next year is
  /// still pending until then.
  void on_execution_report(const execution_report& in) {
    if (in.acked >= newest_order_)
      exec_through_ = std::max(exec_through_, in.through);
    bool close_filled = false;  // the last market-on-close order of a close has its outcome
    for (const auto& e : *in.events) {
      const bool final = e.header.type == event_type::order_cancel
                         || e.as<fill_data>().remaining == 0;
      if (final) {
        --open_orders_;
        const auto id = e.header.type == event_type::fill ? e.as<fill_data>().order_id
                                                           : e.as<order_cancel_data>().order_id;
        close_filled = close_filled || (on_close_orders_.erase(id) && on_close_orders_.empty());
      }
      pending_outcomes_.push_back(e);
    }
    if (close_filled && !awaiting_risk_) {
      finish_close();
      publish(through_);
    }
    pump();
  }

  void on_strategy_signals(const signal_batch& in) {
    auto& slot = slots_[slot_of(in.strategy)];
    slot.through = in.through;
    slot.signals.insert(slot.signals.end(), in.events->begin(), in.events->end());
    pump();
  }

  void on_risk_verdicts(const risk_verdicts& verdicts) {
    for (std::size_t i = 0; i < verdicts.events->size(); ++i) {
      const event& e = (*verdicts.events)[i];
      if (e.header.type == event_type::order) {
        if (const auto old = asked_[i].replaces)
          cancel_resting(old, cancel_reason::replaced, e.header.causation);
        outbox_->push_back(e);
        place(e);
      } else {
        outbox_->push_back(e);
      }
    }
    asked_.clear();
    awaiting_risk_ = false;
    if (on_close_orders_.empty())
      finish_close();
    publish(through_);
    pump();
  }

  void on_stream_end(const stream_end_msg& end) {
    stream_end_ = end.last_pos;
    pump();
  }

  /// A child ended abnormally: restart it per policy, or fail the portfolio.
  void on_child_exit(const caf::exit_msg& msg) {
    if (msg.source == parent_.address()) {  // the run is over (or failed): end the subtree
      self_->quit(msg.reason);
      return;
    }
    if (msg.reason == caf::exit_reason::normal)
      return;
    const auto what = failure_text(msg.reason);
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].actor.address() != msg.source)
        continue;
      const auto& id = config_.strategies[i].id;
      if (!may_restart()) {
        fail("strategy '" + id + "' failed: " + what);
        return;
      }
      ++restarts_;
      log_.warn("restarting strategy '{}' ({} of {}): {}", id, restarts_,
                config_.supervision.max_restarts, what);
      bars_.unsubscribe(slots_[i].actor);
      slots_[i].actor = spawn_strategy(i);
      subscribe_bars(i);
      // The new instance starts where the old one stopped answering.
      for (const auto& b : queue_)
        if (b.through > slots_[i].through)
          send_bars(b, &slots_[i].actor);
      self_->send(parent_, restart_note_msg{me_});
      return;
    }
    if (msg.source == risk_.address())
      fail("risk container failed: " + what);
  }

private:
  bool may_restart() const {
    return config_.supervision.on_failure == failure_policy::restart
           && restarts_ < config_.supervision.max_restarts;
  }

  void fail(const std::string& why) {
    log_.error("{}; stopping portfolio", why);
    self_->quit(failure(why));
  }

  std::size_t slot_of(container_id strategy) const {
    std::size_t i = 0;
    while (layout_.strategies[i] != strategy)
      ++i;
    return i;
  }

  strategy_actor spawn_strategy(std::size_t i) {
    const auto id = layout_.strategies[i];
    return spawn_container(self_, *ctx_, id, strategy_behavior, ctx_, index_, i,
                           strategy_parent_actor{self_});
  }

  /// A strategy with `symbols:` gets only their bars (and every batch's watermark).
  void subscribe_bars(std::size_t i) {
    const auto& symbols = layout_.strategy_symbols[i];
    if (symbols.empty())
      bars_.subscribe<event_type::bar>(slots_[i].actor);
    else
      bars_.subscribe<event_type::bar>(slots_[i].actor, symbol_filter{symbols});
  }

  /// Routes a BAR batch to the strategies; `only`: to that one alone (a restarted one).
  void send_bars(const bar_batch& in, const strategy_actor* only = nullptr) {
    bars_.route(in.events, router<strategy_actor>::nobody,
                [&](const strategy_actor& s, const shared_batch& b) {
                  if (!only || s == *only)
                    port_.publish(self_, s, bar_batch{{b, in.through}});
                });
  }

  // --- orders, as the outcomes that took effect tell ----------------------------

  /// An approved ORDER (from risk, or a bracket leg): resting until its final outcome.
  void place(const event& order_event) {
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

  /// Cancels a resting order at this close: an ORDER_CANCEL of the portfolio's, which
  /// execution acts on too (it drops the order). Execution has matched no bar after
  /// this close yet (its horizon), so nothing of the order can have filled since.
  void cancel_resting(std::uint64_t id, cancel_reason reason, std::uint64_t cause) {
    auto it = resting_.find(id);
    if (it == resting_.end())
      return;
    const auto& o = it->second.order;
    outbox_->push_back(port_.make(
      event_type::order_cancel, last_bar_.time, cause,
      order_cancel_data{o.order_id, me_, o.strategy, o.symbol, reason, o.action, 0},
      it->second.trade_id));
    --open_orders_;  // no outcome comes for it any more
    resting_.erase(it);
  }

  /// The resting bracket legs (`legs`) or other orders of a strategy in a symbol.
  std::vector<std::uint64_t> resting_of(position_key key, bool legs) const {
    std::vector<std::uint64_t> out;
    if (resting_.empty())  // the common case: no allocation, no scan
      return out;
    for (const auto& [id, r] : resting_)
      if (r.order.strategy == key.first && r.order.symbol == key.second
          && (r.order.oco_group != 0) == legs)
        out.push_back(id);
    return out;
  }

  void cancel_all_of(position_key key, bool legs, cancel_reason reason, std::uint64_t cause) {
    for (auto id : resting_of(key, legs))
      cancel_resting(id, reason, cause);
  }

  /// A signal the portfolio turns down itself (a RISK_REJECT of its own).
  void turn_down(const event& signal_event, reject_reason why, double observed) {
    const auto& s = signal_event.as<signal_data>();
    outbox_->push_back(port_.make(event_type::risk_reject, signal_event.header.time,
                                  signal_event.header.id,
                                  risk_reject_data{me_, s.strategy, s.symbol, why, 0, observed}));
  }

  /// Whether an earlier signal of this close proposed orders for `key`.
  static bool proposed(const risk_check_msg& check, position_key key) {
    return std::any_of(check.proposals.begin(), check.proposals.end(),
                       [&](const order_proposal& p) { return of_key(p, key); });
  }

  static bool of_key(const order_proposal& p, position_key key) {
    return p.order.strategy == key.first && p.order.symbol == key.second && p.replaces == 0;
  }

  /// Withdraws what earlier signals of this close proposed for `key`: each of those
  /// signals is turned down (`superseded`). True when there was any.
  bool withdraw_proposed(risk_check_msg& check, position_key key) {
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

  // --- the bar loop ---------------------------------------------------------

  bool awaiting() const { return awaiting_risk_ || !on_close_orders_.empty(); }

  bool ready_for(std::uint64_t pos) const {
    for (const auto& s : slots_)
      if (s.through < pos)
        return false;
    return open_orders_ == 0 || exec_through_ >= pos;
  }

  void pump() {
    while (!awaiting() && !queue_.empty()) {
      const auto& batch = *queue_.front().events;
      while (cursor_ < batch.size()) {
        const event& bar_event = batch[cursor_];
        if (!ready_for(bar_event.header.sequence)) {
          publish(through_);
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
        if (in_calendar(batch, cursor_) && on_close(bar_event))
          return;  // waiting for risk
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

  /// Whether the timestamp whose bars end at batch[end - 1] is one of this portfolio's
  /// (portfolio_layout::calendar). Others' timestamps are not closed: its metrics must
  /// not depend on which other symbols the run loads. Its watermark still passes them.
  bool in_calendar(const event_batch& batch, std::size_t end) const {
    const timestamp t = batch[end - 1].header.time;
    for (std::size_t i = end; i > 0 && batch[i - 1].header.time == t; --i)
      if (layout_.calendar[batch[i - 1].as<bar_data>().symbol])
        return true;
    return false;
  }

  void on_bar(const event& bar_event) {
    const timestamp now = bar_event.header.time;
    for (auto it = pending_outcomes_.begin(); it != pending_outcomes_.end();) {
      if (it->header.type == event_type::order_cancel && it->header.time <= now) {
        resting_.erase(it->as<order_cancel_data>().order_id);
        it = pending_outcomes_.erase(it);
      } else {
        ++it;
      }
    }
    const auto& bar = bar_event.as<bar_data>();
    closes_.emplace_back(bar.symbol, bar.close);
    last_bar_ = bar_event.header;
  }

  /// The fills of timestamp `now`, once all are known (every bar of it is handled):
  /// exits first, so what they free is there for the entries; entries checked by the
  /// account at their fill prices, other positions at the last closes; then the
  /// timestamp's closes are marked.
  void settle_fills(timestamp now) {
    std::vector<event> fills;
    for (auto it = pending_outcomes_.begin(); it != pending_outcomes_.end();) {
      if (it->header.type == event_type::fill && it->header.time == now) {
        fills.push_back(std::move(*it));
        it = pending_outcomes_.erase(it);
      } else {
        ++it;
      }
    }
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

  bool reduces(const fill_data& f) const {
    const position* held = book_.find(f.strategy, f.symbol);
    return held && (held->quantity > 0) != (f.action == side::buy);
  }

  void apply_fill(const event& fill_event) {
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
        outbox_->push_back(port_.make(event_type::order_cancel, fill_event.header.time,
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

  /// A bracket's stop-loss and take-profit for one fill of its entry, placed when the
  /// fill takes effect: they work from the next bar on.
  void place_legs(const order_data& entry, double quantity, const event& fill_event) {
    std::uint64_t next = scoped_id(me_, orders_ + 1);
    const std::uint64_t group = next;
    for (auto& leg : bracket_legs(entry, quantity, group, next)) {
      ++orders_;
      const auto e = port_.make(event_type::order, fill_event.header.time, fill_event.header.id,
                                leg, fill_event.header.correlation);
      outbox_->push_back(e);
      place(e);
    }
  }

  /// End of data: what is still held is reported, marked at its last close (caused by
  /// the last bar).
  void snapshot_open_positions() {
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
      d.pnl = p.realized + (d.exit_price - p.entry_price) * p.quantity - p.commission
              - p.borrow_fee;
      outbox_->push_back(
        port_.make(event_type::position_snapshot, last_bar_.time, last_bar_.id, d, p.trade_id));
    }
  }

  /// The close of a timestamp: mark to market, then act on the signals made at it.
  /// Returns true when it sent proposals to risk and must wait for the answer.
  bool on_close(const event& bar_event) {
    const timestamp now = bar_event.header.time;
    const auto update = book_.update(me_);
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
    std::stable_partition(check.proposals.begin(), check.proposals.end(),
                          [](const order_proposal& p) { return p.exit; });
    if (check.proposals.empty()) {
      finish_close();
      return false;
    }
    asked_ = check.proposals;
    awaiting_risk_ = true;
    publish(through_);
    self_->request(risk_, caf::infinite, std::move(check))
      .then([this](const risk_verdicts& verdicts) { on_risk_verdicts(verdicts); });
    return true;
  }

  /// The end of a close, once its orders are placed and its market-on-close orders
  /// have their outcomes: their fills take effect, then the close's PORTFOLIO_UPDATE
  /// if it waited for them. Execution may now match past this close.
  void finish_close() {
    if (update_waits_) {
      settle_fills(last_bar_.time);
      outbox_->push_back(port_.make(event_type::portfolio_update, last_bar_.time, last_bar_.id,
                                    book_.update(me_)));
      update_waits_ = false;
    }
    decided_ = through_;
  }

  /// Cancels every resting order and exits every position at market, caused by the
  /// LIQUIDATION event; the close's signals leave these positions alone.
  void liquidate(const liquidation_data& due, const event& bar_event, risk_check_msg& check) {
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

  /// A signal at its close: a cancel, a replace, or a target. A target first meets the
  /// strategy's resting orders in the symbol (on_new_signal), then becomes orders.
  void act(const event& signal_event, risk_check_msg& check) {
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

  /// The order a signal's fields describe, for `action`, before its quantity.
  order_proposal proposal_for(const event& signal_event, side action) {
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

  /// Orders for one target: a reduction of what is held against it (an exit, which
  /// also cancels the position's bracket legs) and an addition towards it (an entry).
  /// A side target's entry is budgeted: the strategy's allocation (leverage x equity /
  /// strategies) times the strength, which risk caps to the buying power the proposals
  /// before it left (risk_rules.hpp), unless it names a quantity.
  void propose(const event& signal_event, risk_check_msg& check) {
    const auto& s = signal_event.as<signal_data>();
    const position* held = book_.find(s.strategy, s.symbol);
    const double qty = held ? held->quantity : 0;
    const double price = book_.last_close(s.symbol);
    const double allocation =
      config_.account.leverage * book_.equity() / static_cast<double>(slots_.size());
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
      change = change_towards(qty, target_quantity(s, book_.equity(), allocation, price,
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

  /// A replace: the newest resting order of the strategy in the symbol that has what
  /// changes (a stop price: stops, stop-limits, trailing stops, stop-loss legs; a limit
  /// price: limits, stop-limits, take-profit legs) is proposed again with the change;
  /// once approved the old one is cancelled (replaced) and the new one placed.
  void propose_replace(const event& signal_event, risk_check_msg& check) {
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

  /// Publishes what this portfolio produced to its parent, with its progress.
  void publish(std::uint64_t through) {
    if (outbox_->empty() && through == published_through_ && decided_ == published_decided_)
      return;
    const auto size = outbox_->size();
    port_.publish(self_, parent_,
                  portfolio_output{{std::move(outbox_), through}, me_, decided_, open_orders_ > 0});
    outbox_ = std::make_shared<event_batch>();
    outbox_->reserve(size);  // the next batch is likely as large: grow once, not per event
    published_through_ = through;
    published_decided_ = decided_;
  }

  portfolio_actor::pointer self_;
  context_ptr ctx_;
  std::size_t index_;
  portfolio_parent_actor parent_;
  const portfolio_layout& layout_;
  const portfolio_config& config_;
  container_id me_;
  bus_port port_;
  container_log log_;
  portfolio_book book_;
  std::shared_ptr<event_batch> outbox_;

  risk_actor risk_;
  std::vector<strategy_slot> slots_;
  router<strategy_actor> bars_;
  int restarts_ = 0;

  std::deque<bar_batch> queue_;  // BAR batches not yet fully handled
  std::size_t cursor_ = 0;       // next bar in queue_.front()
  std::uint64_t through_ = 0, published_through_ = 0, stream_end_ = 0;
  std::uint64_t exec_through_ = 0, newest_order_ = 0;
  // Its orders are placed (or cancelled) for every close at or before this position.
  std::uint64_t decided_ = 0, published_decided_ = 0;
  std::size_t open_orders_ = 0;  // orders whose final outcome execution has not reported
  std::map<std::uint64_t, resting_order> resting_;  // by order id
  std::vector<order_proposal> asked_;               // sent to risk, in verdict order
  std::set<std::uint64_t> on_close_orders_;  // market-on-close orders without their outcome
  bool update_waits_ = false;  // this close's PORTFOLIO_UPDATE waits for them
  std::vector<event> pending_outcomes_;  // FILLs and ORDER_CANCELs known, not yet reached
  std::vector<std::pair<symbol_id, double>> closes_;  // this timestamp's, marked at its end
  event_header last_bar_;  // the newest BAR handled
  std::set<position_key> liquidating_;  // at the current close
  bool awaiting_risk_ = false, done_ = false, ruined_ = false;
  std::uint64_t orders_ = 0, trades_ = 0;
};

}  // namespace

portfolio_actor::behavior_type portfolio_behavior(portfolio_actor::pointer self, context_ptr ctx,
                                                  std::size_t index,
                                                  portfolio_parent_actor parent) {
  auto p = std::make_shared<portfolio>(self, std::move(ctx), index, std::move(parent));
  p->start();
  self->set_exit_handler([p](caf::exit_msg& msg) { p->on_child_exit(msg); });
  return {
    [p](const bar_batch& in) { p->on_bars(in); },
    [p](const execution_report& in) { p->on_execution_report(in); },
    [p](const signal_batch& in) { p->on_strategy_signals(in); },
    [p](const stream_end_msg& end) { p->on_stream_end(end); },
  };
}

}  // namespace admf
