#include "actors/execution/execution_actor.hpp"

#include <algorithm>
#include <deque>
#include <map>

#include <caf/typed_event_based_actor.hpp>

#include "actors/execution/fill_model.hpp"
#include "runtime/data/resample.hpp"
#include "runtime/log/log.hpp"

namespace admf {

namespace {

/// One portfolio's orders at the broker. Its orders are matched bar by bar in time
/// order, never past its horizon: the first timestamp after the bar position through
/// which the portfolio has decided (`decided`), since a later decision (a cancel, a
/// replace, a new order) may still change what happens there.
struct portfolio_orders {
  std::vector<working_order> working;  // in order id order
  std::uint64_t decided = 0;  // the portfolio has placed every order of closes through here
  std::uint64_t matched = 0;  // its orders have been matched on the bars through here
  std::uint64_t newest = 0;   // newest order id seen
  execution_report_sink reply_to;  // where its reports go (order_batch)
  // Of each symbol's newest matched bar: its time and the volume the portfolio's fills
  // took of it (a market-on-close order placed at that close shares what is left).
  std::map<symbol_id, std::pair<timestamp, double>> used;
  // Units each commission schedule priced this month, for its tiers (commission_for).
  std::map<std::size_t, month_volume> month;
};

class broker {
public:
  broker(context_ptr ctx)
    : ctx_(std::move(ctx)), port_(ctx_->port_of(ctx_->execution)),
      log_(ctx_->run_hex(), ctx_->name_of(ctx_->execution)),
      volume_fraction_(ctx_->config.execution.max_volume_fraction) {}

  void add_bars(const shared_batch& bars) {
    held_.push_back(bars);
    through_ = bars->back().header.sequence;
    newest_time_ = bars->back().header.time;
  }

  void release(std::uint64_t through) {
    while (!held_.empty() && held_.front()->back().header.sequence <= through)
      held_.pop_front();
  }

  /// A portfolio's ORDERs and its own ORDER_CANCELs (cancels, replaces, cuts), in the
  /// order it made them, and how far it has decided. True when there were ORDERs.
  bool add_orders(container_id portfolio, const event_batch& events, std::uint64_t decided,
                  const execution_report_sink& reply_to, event_batch& out) {
    auto& p = books_[portfolio];
    p.reply_to = reply_to;
    p.decided = std::max(p.decided, decided);
    bool placed = false;
    for (const auto& e : events) {
      if (e.header.type == event_type::order_cancel) {
        const auto& c = e.as<order_cancel_data>();
        drop(p, c.order_id);
        // Units the account did not take were not traded: they count for no tier.
        if (c.cut_quantity > 0)
          p.month[schedule_of(c.symbol)].add(e.header.time, -c.cut_quantity);
        continue;
      }
      const auto& o = e.as<order_data>();
      placed = true;
      log_.debug("order {} {} {} of {}", o.order_id, o.action == side::buy ? "BUY" : "SELL",
                 o.quantity > 0 ? o.quantity : o.budget, ctx_->symbol_name(o.symbol));
      p.newest = std::max(p.newest, o.order_id);
      if (p.working.empty())  // bars before its decision are no business of a new order
        p.matched = std::max(p.matched, std::min(p.decided, through_));
      working_order w{e, o};
      if (o.tif == time_in_force::gtd)  // from now on, whether its symbol trades or not
        w.expires = o.expire_time;
      if (o.kind == order_kind::market_on_close)
        on_close_order(p, w, out);
      else
        p.working.push_back(std::move(w));
    }
    return placed;
  }

  std::uint64_t newest_order(container_id portfolio) { return books_[portfolio].newest; }
  const execution_report_sink& reply_to(container_id portfolio) {
    return books_[portfolio].reply_to;
  }

  /// Matches `portfolio`'s orders on the bars of its horizon not yet matched; returns
  /// how far it got.
  std::uint64_t match(container_id portfolio, event_batch& out) {
    auto& p = books_[portfolio];
    if (p.working.empty()) {
      p.matched = std::max(p.matched, std::min(p.decided, through_));
      return p.matched;
    }
    // The horizon is the time of the first bar after `decided`, which may already be
    // matched (in part: batches never split a timestamp, but the bars may arrive later).
    std::optional<timestamp> horizon;
    const auto seen = std::min(p.matched, p.decided);
    for (const auto& batch : held_) {
      if (batch->back().header.sequence <= seen)
        continue;
      // Bar positions are consecutive within a batch: start right after `seen`.
      const auto first = batch->front().header.sequence;
      for (auto it = batch->begin() + (seen >= first ? seen + 1 - first : 0); it != batch->end();
           ++it) {
        const auto& bar_event = *it;
        const auto pos = bar_event.header.sequence;
        if (pos > p.decided) {
          if (!horizon)
            horizon = bar_event.header.time;
          else if (bar_event.header.time != *horizon)
            return p.matched;
        }
        if (pos <= p.matched)
          continue;
        on_bar(p, bar_event, out);
        p.matched = pos;
      }
    }
    return p.matched;
  }

  /// End of data: what is still working can never fill. Cancelled at the last bar (an
  /// order placed at the last close: at its own time, which is that bar's).
  void cancel_all(container_id portfolio, event_batch& out) {
    for (const auto& w : books_[portfolio].working)
      out.push_back(cancel(w, std::max(newest_time_, w.placed.header.time),
                           cancel_reason::end_of_data));
    books_[portfolio].working.clear();
  }

  bool has_working_orders(container_id portfolio) { return !books_[portfolio].working.empty(); }

  std::vector<container_id> with_working_orders() const {
    std::vector<container_id> out;
    for (const auto& [p, orders] : books_)
      if (!orders.working.empty())
        out.push_back(p);
    return out;
  }

  bool ended() const { return ended_; }
  void end(std::uint64_t last_pos) {
    ended_ = true;
    last_pos_ = last_pos;
  }
  /// Every bar has been matched for `portfolio`: what still works never fills.
  bool finished(container_id portfolio) { return ended_ && books_[portfolio].matched >= last_pos_; }
  const bus_port& port() const { return port_; }

private:
  static void drop(portfolio_orders& p, std::uint64_t order_id) {
    p.working.erase(std::remove_if(p.working.begin(), p.working.end(),
                                   [&](const working_order& w) {
                                     return w.order.order_id == order_id;
                                   }),
                    p.working.end());
  }

  /// Which commission schedule prices `symbol`: its own, or execution's (shared by every
  /// symbol without one, whose units its tiers count together).
  std::size_t schedule_of(symbol_id symbol) const {
    return ctx_->instrument(symbol).commission ? symbol : ctx_->data->symbols.size();
  }

  /// What the portfolio's fills took of the volume of `symbol`'s bar at `time`.
  static double& volume_used(portfolio_orders& p, symbol_id symbol, timestamp time) {
    auto& [at, used] = p.used[symbol];
    if (at != time) {
      at = time;
      used = 0;
    }
    return used;
  }

  event cancel(const working_order& w, timestamp time, cancel_reason why) {
    const auto& o = w.order;
    return port_.make(event_type::order_cancel, time, w.placed.header.id,
                      order_cancel_data{o.order_id, o.portfolio, o.strategy, o.symbol, why,
                                        o.action, 0},
                      w.placed.header.correlation);
  }

  /// One bar for one portfolio: orders past their time in force expire; orders of the
  /// bar's symbol trade. Those filling at the open go first (the open comes first in
  /// the bar), then by order id: a bracket's stop-loss was placed before its
  /// take-profit, so when both are reached inside one bar the stop fills (the
  /// conservative rule, README "Orders").
  void on_bar(portfolio_orders& p, const event& bar_event, event_batch& out) {
    const timestamp t = bar_event.header.time;
    const auto& bar = bar_event.as<bar_data>();
    if (is_derived(*ctx_->data, bar.symbol))  // a resampled series is never traded
      return;
    std::vector<std::size_t> candidates;
    std::vector<bool> done;  // sized only when this bar concerns an order: most bars do not
    for (std::size_t i = 0; i < p.working.size(); ++i) {
      auto& w = p.working[i];
      const bool tradable = w.order.symbol == bar.symbol && t > w.placed.header.time;
      if (tradable && !w.started) {
        w.started = true;
        w.expires = expiry_of(w.order, t);
      }
      if (t > w.expires) {
        out.push_back(cancel(w, t, cancel_reason::expired));
        done.resize(p.working.size());
        done[i] = true;
      } else if (tradable) {
        candidates.push_back(i);
      }
    }
    if (done.empty() && candidates.empty())
      return;
    done.resize(p.working.size());
    // Each candidate's price is probed once, on a copy (trade_price marks stops triggered).
    std::vector<std::size_t> first, later;
    for (auto i : candidates) {
      auto probe = p.working[i];
      (trade_price(probe, bar) == bar.open ? first : later).push_back(i);
    }
    candidates = std::move(first);
    candidates.insert(candidates.end(), later.begin(), later.end());
    double& used = volume_used(p, bar.symbol, t);
    for (auto i : candidates) {
      if (done[i])
        continue;
      auto& w = p.working[i];
      const double before = w.filled;
      done[i] = trade(w, bar_event, used, p.month[schedule_of(w.order.symbol)], out);
      if (w.filled > before && w.order.oco_group != 0)
        for (std::size_t j = 0; j < p.working.size(); ++j)
          if (j != i && !done[j] && p.working[j].order.oco_group == w.order.oco_group)
            done[j] = one_cancels_other(p.working[j], w.filled - before, t, out);
    }
    std::size_t keep = 0;
    for (std::size_t i = 0; i < p.working.size(); ++i)
      if (!done[i])
        p.working[keep++] = std::move(p.working[i]);
    p.working.resize(keep);
  }

  /// A bracket leg whose other leg filled `filled` units: what it protects shrinks by
  /// as much (one-updates-other), and once nothing is left it is cancelled (`oco`).
  /// True when it is over.
  bool one_cancels_other(working_order& leg, double filled, timestamp t, event_batch& out) {
    leg.order.quantity -= filled;
    if (leg.order.quantity - leg.filled > 0)
      return false;
    out.push_back(cancel(leg, t, cancel_reason::oco));
    return true;
  }

  /// One order on one bar of its symbol; true when the order is over.
  bool trade(working_order& w, const event& bar_event, double& used, month_volume& month,
             event_batch& out) {
    const timestamp t = bar_event.header.time;
    const auto& bar = bar_event.as<bar_data>();
    auto& o = w.order;
    const bool immediate = o.tif == time_in_force::ioc || o.tif == time_in_force::fok;
    const auto trigger = trade_price(w, bar);
    if (!trigger) {
      follow_close(o, bar.close);
      if (immediate)
        out.push_back(cancel(w, t, o.tif == time_in_force::fok ? cancel_reason::fill_or_kill
                                                                : cancel_reason::expired));
      return immediate;
    }
    const auto& costs = ctx_->costs(o.symbol);
    const auto& instrument = ctx_->instrument(o.symbol);
    const double price = within_bar(apply_slippage(o, *trigger, costs.slippage), bar);
    if (o.quantity == 0) {
      // A budget order is sized at its first fill. A budget that buys no lot, or less
      // than the minimum (an explicit quantity is the strategy's decision and fills as given).
      o.quantity = units_for_budget(o.budget, price, costs.commission, instrument.lot_size,
                                    month.before(t));
      if (o.quantity <= 0 || o.quantity < instrument.min_quantity) {
        out.push_back(cancel(w, t, o.quantity <= 0 ? cancel_reason::zero_quantity
                                                   : cancel_reason::below_min_quantity));
        return true;
      }
    }
    const double remaining = o.quantity - w.filled;
    double quantity = remaining;
    if (volume_fraction_ > 0)
      quantity = std::min(quantity, lots_to_units(lots_in(std::max(volume_fraction_ * bar.volume
                                                                     - used, 0.0),
                                                           instrument.lot_size),
                                                  instrument.lot_size));
    if (o.tif == time_in_force::fok && quantity < remaining) {
      out.push_back(cancel(w, t, cancel_reason::fill_or_kill));
      return true;
    }
    if (quantity > 0) {
      used += quantity;
      w.filled += quantity;
      const double before = month.before(t);
      month.add(t, quantity);
      fill_data f{o.order_id,  o.portfolio, o.strategy,
                  o.symbol,    o.action,    quantity,
                  price,       commission_for(quantity, price, costs.commission, before),
                  o.quantity - w.filled, before};
      out.push_back(port_.make(event_type::fill, t, w.placed.header.id, f,
                               w.placed.header.correlation));
    }
    if (w.filled >= o.quantity)
      return true;
    if (immediate) {
      out.push_back(cancel(w, t, cancel_reason::expired));
      return true;
    }
    return false;
  }

  /// A market-on-close order fills at the close of its symbol's bar at the time it was
  /// placed, as much as the volume limit allows; the rest (all of it if the symbol has
  /// no bar then) is cancelled.
  void on_close_order(portfolio_orders& p, working_order& w, event_batch& out) {
    const timestamp t = w.placed.header.time;
    for (const auto& batch : held_)
      for (const auto& bar_event : *batch)
        if (bar_event.header.time == t && bar_event.as<bar_data>().symbol == w.order.symbol) {
          w.started = true;
          w.expires = t;
          if (!trade(w, bar_event, volume_used(p, w.order.symbol, t),
                     p.month[schedule_of(w.order.symbol)], out))
            out.push_back(cancel(w, t, cancel_reason::expired));
          return;
        }
    out.push_back(cancel(w, t, cancel_reason::no_bar));
  }

  context_ptr ctx_;
  bus_port port_;
  container_log log_;
  double volume_fraction_;
  std::deque<shared_batch> held_;
  std::uint64_t through_ = 0, last_pos_ = 0;
  timestamp newest_time_ = 0;  // of the newest bar received
  bool ended_ = false;
  std::map<container_id, portfolio_orders> books_;  // ordered: reports go out in id order
};

}  // namespace

execution_actor::behavior_type execution_behavior(execution_actor::pointer self, context_ptr ctx) {
  auto b = std::make_shared<broker>(ctx);
  // Matches a portfolio's orders as far as its horizon and the bars allow and reports
  // the outcomes with that watermark; at the end of the data, what still works is
  // cancelled and the watermark is the end of the stream.
  auto report = [=](container_id portfolio, event_batch events, bool placed) {
    auto through = b->match(portfolio, events);
    // Nothing to say to a portfolio without orders here, unless it waits for an answer.
    if (events.empty() && !placed && !b->has_working_orders(portfolio))
      return;
    if (b->finished(portfolio)) {
      b->cancel_all(portfolio, events);
      through = end_of_stream;
    }
    b->port().publish(self, b->reply_to(portfolio),
                      execution_report{{std::make_shared<event_batch>(std::move(events)), through},
                                       portfolio,
                                       b->newest_order(portfolio)});
  };
  return {
    [=](const bar_batch& in) {
      if (in.events->empty())
        return;
      b->add_bars(in.events);
      for (auto p : b->with_working_orders())
        report(p, {}, false);
    },
    // A portfolio's orders and cancels, and its progress.
    [=](const order_batch& in) {
      event_batch outcomes;
      const bool placed =
        b->add_orders(in.portfolio, *in.events, in.decided, in.reply_to, outcomes);
      report(in.portfolio, std::move(outcomes), placed);
    },
    [=](const release_msg& r) { b->release(r.through); },
    [=](const stream_end_msg& end) {
      // The root ends this actor once every portfolio is done: orders placed on the
      // last bars still arrive after the end of the data, and are cancelled at once.
      b->end(end.last_pos);
      for (auto p : b->with_working_orders())
        report(p, {}, false);
    },
  };
}

}  // namespace admf
