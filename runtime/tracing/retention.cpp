#include "runtime/tracing/retention.hpp"

#include <algorithm>

namespace admf {

void retention::add(trace_record r) {
  switch (policy_) {
    case retention_policy::sliding_window:
    case retention_policy::full:
      keep_in_window(std::move(r));
      return;
    case retention_policy::trade_complete:
      keep_trade(std::move(r));
      return;
    case retention_policy::minimal: {
      const auto type = r.ev.header.type;
      if (type == event_type::position_open) {
        open_[r.ev.header.correlation].events.push_back(std::move(r));
        count(+1);
      } else if (type == event_type::position_close) {
        stats_.completed_pnl += r.ev.as<position_data>().pnl;
        end_trade(r.ev.header.correlation);
      }
      return;
    }
  }
}

bool retention::wants(const event& e) const {
  switch (policy_) {
    case retention_policy::trade_complete:
      return e.header.correlation != run_id_;
    case retention_policy::minimal:
      return e.header.type == event_type::position_open
             || e.header.type == event_type::position_close;
    default:
      return true;
  }
}

void retention::keep_in_window(trace_record r) {
  if (window_.size() == max_) {  // evict first: the bound holds at every moment
    window_.pop_front();
    count(-1);
    ++stats_.dropped;
  }
  window_.push_back(std::move(r));
  count(+1);
}

void retention::keep_trade(trace_record r) {
  const auto trade = r.ev.header.correlation;
  if (trade == run_id_)
    return;  // not part of a trade: nothing to keep once seen
  const auto type = r.ev.header.type;
  if (type == event_type::position_close)
    stats_.completed_pnl += r.ev.as<position_data>().pnl;
  if (std::find(recently_ended_.begin(), recently_ended_.end(), trade) != recently_ended_.end())
    return;
  make_room(trade);
  auto& t = open_[trade];
  if (type == event_type::fill) {
    const auto& f = r.ev.as<fill_data>();
    t.net += f.action == side::buy ? f.quantity : -f.quantity;
    t.filled = true;
  } else if (type == event_type::order_cancel) {
    // The account's cut of a fill: the part it did not take never was a position.
    const auto& c = r.ev.as<order_cancel_data>();
    t.net -= c.action == side::buy ? c.cut_quantity : -c.cut_quantity;
  }
  t.events.push_back(std::move(r));
  count(+1);
  // A trade ends when its position closes, when its fills net out (a container that
  // sees fills but no positions), or when its entry is rejected or cancelled unfilled.
  const bool flat_again = t.filled && t.net == 0;
  const bool never_opened =
    type == event_type::risk_reject || (type == event_type::order_cancel && !t.filled);
  if (type == event_type::position_close || flat_again || never_opened)
    end_trade(trade);
}

void retention::make_room(std::uint64_t trade) {
  // A container may never see how its trades end (risk sees ORDERs, not their fills or
  // closes): at max_events, the oldest open trades other than `trade` go whole, counted
  // as dropped, before its next event is held, so the bound holds at every moment.
  while (stats_.held >= max_ && !open_.empty()) {
    auto oldest = open_.begin();
    if (oldest->first == trade && open_.size() > 1)
      ++oldest;
    const auto n = oldest->second.events.size();
    count(-static_cast<std::int64_t>(n));
    stats_.dropped += n;
    open_.erase(oldest);
  }
}

void retention::end_trade(std::uint64_t trade) {
  auto it = open_.find(trade);
  if (it == open_.end())
    return;
  count(-static_cast<std::int64_t>(it->second.events.size()));
  open_.erase(it);
  ++stats_.trades_completed;
  recently_ended_.push_back(trade);
  if (recently_ended_.size() > 64)
    recently_ended_.pop_front();
}

void retention::count(std::int64_t delta) {
  stats_.held = static_cast<std::uint64_t>(static_cast<std::int64_t>(stats_.held) + delta);
  stats_.peak = std::max(stats_.peak, stats_.held);
}

}  // namespace admf
