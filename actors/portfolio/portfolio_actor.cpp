#include "actors/portfolio/portfolio_actor.hpp"

#include <algorithm>
#include <deque>
#include <set>

#include <caf/exit_reason.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/execution/fill_model.hpp"
#include "actors/portfolio/account.hpp"
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
    for (const auto& e : *in.events) {
      --open_orders_;
      pending_outcomes_.push_back(e);
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
    for (const auto& e : *verdicts.events) {
      if (e.header.type == event_type::order) {
        const auto& o = e.as<order_data>();
        ++open_orders_;
        open_by_key_[{o.strategy, o.symbol}] += 1;
        newest_order_ = o.order_id;
        // What execution said so far does not cover this order; it cannot fill at
        // or before the current bar.
        exec_through_ = through_;
      }
      outbox_->push_back(e);
    }
    awaiting_risk_ = false;
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

  /// The order behind an applied outcome is no longer pending for its key.
  void settle(container_id strategy, symbol_id symbol) {
    if (--open_by_key_[{strategy, symbol}] == 0)
      open_by_key_.erase({strategy, symbol});
  }

  // --- the bar loop ---------------------------------------------------------

  bool ready_for(std::uint64_t pos) const {
    for (const auto& s : slots_)
      if (s.through < pos)
        return false;
    return open_orders_ == 0 || exec_through_ >= pos;
  }

  void pump() {
    while (!awaiting_risk_ && !queue_.empty()) {
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
        settle_fills(bar_event.header.time);
        if (in_calendar(batch, cursor_) && on_close(bar_event))
          return;  // waiting for risk
      }
      publish(queue_.front().through);
      queue_.pop_front();
      cursor_ = 0;
    }
    if (queue_.empty() && !awaiting_risk_ && stream_end_ != 0 && through_ == stream_end_
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
        settle(it->as<order_cancel_data>().strategy, it->as<order_cancel_data>().symbol);
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
    if (f.quantity > closing) {
      const auto& commission = ctx_->costs(f.symbol).commission;
      const auto admitted =
        admit_entry(book_, f, f.quantity - closing,
                    {config_.account, config_.risk, commission, ctx_->instrument(f.symbol)});
      if (admitted.cut) {
        const double cut = f.quantity - closing - admitted.quantity;
        log_.debug("fill {}: account keeps {} of {} ({})", fill_event.header.id,
                   f.quantity - cut, f.quantity, to_string(*admitted.cut));
        outbox_->push_back(port_.make(
          event_type::order_cancel, fill_event.header.time, fill_event.header.id,
          order_cancel_data{f.order_id, me_, f.strategy, f.symbol, *admitted.cut, f.action, cut},
          fill_event.header.correlation));
        f.quantity -= cut;
        f.commission = commission_for(f.quantity, f.price, commission);
      }
    }
    if (f.quantity > 0)
      for (auto& [type, payload] : book_.apply(f, fill_event.header.time,
                                               fill_event.header.correlation)) {
        payload.portfolio = me_;
        outbox_->push_back(port_.make(type, fill_event.header.time, fill_event.header.id,
                                      payload, payload.trade_id));
      }
    settle(f.strategy, f.symbol);
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
      d.pnl = p.realized + (d.exit_price - p.entry_price) * p.quantity - p.commission;
      outbox_->push_back(
        port_.make(event_type::position_snapshot, last_bar_.time, last_bar_.id, d, p.trade_id));
    }
  }

  /// The close of a timestamp: mark to market, then act on the signals made at it.
  /// Returns true when it sent proposals to risk and must wait for the answer.
  bool on_close(const event& bar_event) {
    const timestamp now = bar_event.header.time;
    const auto update = book_.update(me_);
    outbox_->push_back(port_.make(event_type::portfolio_update, now, bar_event.header.id, update));
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
        propose(slot.signals.front(), check);
        slot.signals.pop_front();
      }
    }
    // Exits are judged first, as they fill first: what they free is there for the
    // entries of the same close whatever order the strategies emitted them in.
    std::stable_partition(check.proposals.begin(), check.proposals.end(),
                          [](const order_proposal& p) { return p.exit; });
    if (check.proposals.empty())
      return false;
    awaiting_risk_ = true;
    publish(through_);
    self_->request(risk_, caf::infinite, std::move(check))
      .then([this](const risk_verdicts& verdicts) { on_risk_verdicts(verdicts); });
    return true;
  }

  /// Market exits for every position without an open order, caused by the
  /// LIQUIDATION event; the close's signals leave these positions alone.
  void liquidate(const liquidation_data& due, const event& bar_event, risk_check_msg& check) {
    for (const auto& [key, p] : book_.positions())
      if (!open_by_key_.count(key))  // else its exit (or another order) is on its way
        liquidating_.insert(key);
    if (liquidating_.empty())
      return;
    log_.warn("{}: equity {} against gross exposure {}; liquidating", to_string(due.reason),
              due.equity, due.gross_exposure);
    const timestamp now = bar_event.header.time;
    const auto cause = port_.make(event_type::liquidation, now, bar_event.header.id, due);
    outbox_->push_back(cause);
    for (const auto& key : liquidating_) {
      const position& p = *book_.find(key.first, key.second);
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

  /// Orders for one signal: an exit of what is held against the target, an entry for
  /// the target. An entry's budget is the strategy's allocation; risk caps it to the
  /// buying power the proposals before it left (risk_rules.hpp).
  void propose(const event& signal_event, risk_check_msg& check) {
    const auto& s = signal_event.as<signal_data>();
    if (liquidating_.count({s.strategy, s.symbol})) {
      log_.debug("signal {} ignored: its position is being liquidated", signal_event.header.id);
      return;
    }
    if (config_.on_new_signal != new_signal_policy::add
        && open_by_key_.count({s.strategy, s.symbol})) {
      log_.debug("signal {} ignored: an order for it is still open", signal_event.header.id);
      return;
    }
    const position* held = book_.find(s.strategy, s.symbol);
    const double qty = held ? held->quantity : 0;
    const double price = book_.last_close(s.symbol);
    auto base = [&](side action) {
      order_proposal p;
      p.order.order_id = scoped_id(me_, ++orders_);
      p.order.portfolio = me_;
      p.order.strategy = s.strategy;
      p.order.symbol = s.symbol;
      p.order.action = action;
      p.order.kind = s.kind;
      p.order.limit_price = s.limit_price;
      p.order.stop_price = s.stop_price;
      p.time = signal_event.header.time;
      p.signal_id = signal_event.header.id;
      p.reference_price = price;
      return p;
    };
    const bool wants_long = s.target == direction::long_,
               wants_short = s.target == direction::short_;
    if (qty != 0 && !(qty > 0 && wants_long) && !(qty < 0 && wants_short)) {
      auto exit = base(qty > 0 ? side::sell : side::buy);  // close what is held
      exit.order.quantity = std::abs(qty);
      exit.trade_id = held->trade_id;
      exit.exit = true;
      // Valued at the last close, as the entry's budget is; the account checks again
      // at the fill.
      exit.position_value = std::abs(qty) * price;
      check.proposals.push_back(exit);
    }
    if ((wants_long && qty <= 0) || (wants_short && qty >= 0)) {
      auto entry = base(wants_long ? side::buy : side::sell);
      entry.trade_id = scoped_id(me_, ++trades_);
      if (s.quantity > 0) {
        entry.order.quantity = s.quantity;
      } else {
        // A strategy's share of equity (times the leverage), scaled by the signal's
        // strength (0, 1], checked where the strategy emitted it.
        entry.order.budget = std::max(0.0, s.strength * config_.account.leverage * book_.equity()
                                             / static_cast<double>(slots_.size()));
      }
      check.proposals.push_back(entry);
    }
  }

  /// Publishes what this portfolio produced to its parent, with its progress.
  void publish(std::uint64_t through) {
    if (outbox_->empty() && through == published_through_)
      return;
    const auto size = outbox_->size();
    port_.publish(self_, parent_, portfolio_output{{std::move(outbox_), through}, me_});
    outbox_ = std::make_shared<event_batch>();
    outbox_->reserve(size);  // the next batch is likely as large: grow once, not per event
    published_through_ = through;
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
  std::size_t open_orders_ = 0;
  std::map<std::pair<container_id, symbol_id>, int> open_by_key_;
  std::vector<event> pending_outcomes_;  // FILLs and ORDER_CANCELs known, not yet reached
  std::vector<std::pair<symbol_id, double>> closes_;  // this timestamp's, marked at its end
  event_header last_bar_;  // the newest BAR handled
  std::set<std::pair<container_id, symbol_id>> liquidating_;  // at the current close
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
