#include "actors/execution/execution_actor.hpp"

#include <deque>
#include <map>

#include <caf/typed_event_based_actor.hpp>

#include "actors/execution/fill_model.hpp"
#include "runtime/log/log.hpp"

namespace admf {

namespace {

struct resting_order {
  event order;
  std::uint64_t next_pos = 0;  // first bar position not yet tried (0 = not located yet)
};

class broker {
public:
  broker(context_ptr ctx)
    : ctx_(std::move(ctx)), port_(ctx_->port_of(ctx_->execution)),
      log_(ctx_->run_hex(), ctx_->name_of(ctx_->execution)) {}

  void add_bars(const shared_batch& bars) {
    held_.push_back(bars);
    through_ = bars->back().header.sequence;
  }

  void release(std::uint64_t through) {
    while (!held_.empty() && held_.front()->back().header.sequence <= through)
      held_.pop_front();
  }

  void add_order(const event& order) {
    const auto& o = order.as<order_data>();
    log_.debug("order {} {} {} of {}", o.order_id, o.action == side::buy ? "BUY" : "SELL",
               o.quantity > 0 ? o.quantity : o.budget, ctx_->symbol_name(o.symbol));
    open_[o.portfolio].push_back(resting_order{order, 0});
    auto& seen = newest_order_[o.portfolio];
    seen = std::max(seen, o.order_id);
  }

  std::uint64_t newest_order(container_id portfolio) const {
    auto it = newest_order_.find(portfolio);
    return it == newest_order_.end() ? 0 : it->second;
  }

  /// Tries every open order of `portfolio` on the bars not yet tried.
  event_batch match(container_id portfolio) {
    event_batch out;
    auto& orders = open_[portfolio];
    for (auto it = orders.begin(); it != orders.end();) {
      if (auto outcome = try_order(*it)) {
        out.push_back(std::move(*outcome));
        it = orders.erase(it);
      } else {
        ++it;
      }
    }
    return out;
  }

  /// End of data: what is still open can never fill.
  event_batch cancel_all(container_id portfolio) {
    event_batch out;
    for (const auto& r : open_[portfolio]) {
      const auto& o = r.order.as<order_data>();
      out.push_back(port_.make(event_type::order_cancel, r.order.header.time, r.order.header.id,
                               order_cancel_data{o.order_id, o.portfolio, o.strategy, o.symbol,
                                                 cancel_reason::end_of_data, o.action, 0},
                               r.order.header.correlation));
    }
    open_[portfolio].clear();
    return out;
  }

  std::vector<container_id> with_open_orders() const {
    std::vector<container_id> out;
    for (const auto& [p, orders] : open_)
      if (!orders.empty())
        out.push_back(p);
    return out;
  }

  std::uint64_t through() const { return through_; }
  const bus_port& port() const { return port_; }
  bool ended() const { return ended_; }
  void end() { ended_ = true; }

private:
  std::optional<event> try_order(resting_order& r) {
    const auto& o = r.order.as<order_data>();
    for (const auto& batch : held_) {
      if (batch->back().header.sequence < r.next_pos)
        continue;
      for (const auto& bar_event : *batch) {
        if (bar_event.header.sequence < r.next_pos || bar_event.header.time <= r.order.header.time)
          continue;
        r.next_pos = bar_event.header.sequence + 1;
        const auto& bar = bar_event.as<bar_data>();
        if (bar.symbol != o.symbol)
          continue;
        const auto& instrument = ctx_->instrument(o.symbol);
        auto fill = try_fill(o, bar, ctx_->costs(o.symbol), instrument);
        if (!fill)
          continue;
        // A budget that buys no lot, or less than the minimum (an explicit quantity is
        // the strategy's decision and fills as given).
        const bool under_minimum = o.quantity == 0 && fill->quantity < instrument.min_quantity;
        if (fill->quantity <= 0 || under_minimum)
          return port_.make(event_type::order_cancel, bar_event.header.time, r.order.header.id,
                            order_cancel_data{o.order_id, o.portfolio, o.strategy, o.symbol,
                                              fill->quantity <= 0
                                                ? cancel_reason::zero_quantity
                                                : cancel_reason::below_min_quantity,
                                              o.action, 0},
                            r.order.header.correlation);
        return port_.make(event_type::fill, bar_event.header.time, r.order.header.id, *fill,
                          r.order.header.correlation);
      }
    }
    return std::nullopt;
  }

  context_ptr ctx_;
  bus_port port_;
  container_log log_;
  std::deque<shared_batch> held_;
  std::uint64_t through_ = 0;
  bool ended_ = false;
  std::map<container_id, std::vector<resting_order>> open_;  // ordered: reports go out in id order
  std::map<container_id, std::uint64_t> newest_order_;
};

}  // namespace

execution_actor::behavior_type execution_behavior(execution_actor::pointer self, context_ptr ctx,
                                                  execution_parent_actor parent) {
  auto b = std::make_shared<broker>(ctx);
  auto report = [=](container_id portfolio, event_batch events, std::uint64_t through) {
    b->port().publish(self, parent,
                      execution_report{{std::make_shared<event_batch>(std::move(events)), through},
                                       portfolio,
                                       b->newest_order(portfolio)});
  };
  return {
    [=](const bar_batch& in) {
      if (in.events->empty())
        return;
      b->add_bars(in.events);
      for (auto p : b->with_open_orders())
        report(p, b->match(p), b->through());
    },
    // Orders of one portfolio, published through the root.
    [=](const order_batch& in) {
      for (const auto& e : *in.events)
        b->add_order(e);
      auto outcome = b->match(in.portfolio);
      if (!b->ended()) {
        report(in.portfolio, std::move(outcome), b->through());
        return;
      }
      auto cancelled = b->cancel_all(in.portfolio);
      outcome.insert(outcome.end(), cancelled.begin(), cancelled.end());
      report(in.portfolio, std::move(outcome), end_of_stream);
    },
    [=](const release_msg& r) { b->release(r.through); },
    [=](const stream_end_msg&) {
      // The root ends this actor once every portfolio is done: orders placed on the
      // last bars still arrive after the end of the data, and are cancelled at once.
      b->end();
      for (auto p : b->with_open_orders())
        report(p, b->cancel_all(p), end_of_stream);
    },
  };
}

}  // namespace admf
