// A parent's routing table: who subscribed to which event types, through which filter.
// Routing a batch hands each subscriber the events it matches, sharing the batch
// itself when a subscriber takes all of it (the common case for BAR batches). An index
// by (event type, strategy / portfolio / symbol) finds them, so a route costs the
// events and the subscribers reached, not events x subscribers (issue 13).
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>
#include <type_traits>
#include <vector>

#include "runtime/bus/filters.hpp"

namespace admf {

template <class Subscriber>
class router {
public:
  /// Subscribe to T through the filter T requires (or, for BAR, may carry).
  template <event_type T, class Filter>
  void subscribe(Subscriber who, Filter filter) {
    static_assert(
      std::is_same_v<Filter, required_filter_t<T>> || std::is_same_v<Filter, optional_filter_t<T>>,
      "this event type must be subscribed with its own filter type "
      "(SIGNAL: strategy_filter; FILL, ORDER, ORDER_CANCEL, POSITION_*, "
      "PORTFOLIO_UPDATE, RISK_REJECT: container_filter; BAR: none or "
      "symbol_filter)");
    add(who, T, make_rule(std::move(filter)));
  }

  /// Subscribe to every event of type T: only for types that need no filter (BAR).
  template <event_type T>
  void subscribe(Subscriber who) {
    static_assert(std::is_void_v<required_filter_t<T>>,
                  "a SIGNAL subscription needs a strategy_filter and a FILL (or any event "
                  "type a portfolio owns: ORDER, ORDER_CANCEL, POSITION_*, "
                  "PORTFOLIO_UPDATE, RISK_REJECT) subscription a container_filter");
    add(who, T, rule{});
  }

  /// Drops every subscription of `who` (a stopped container).
  void unsubscribe(const Subscriber& who) {
    subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                      [&](const entry& s) { return s.who == who; }),
                       subscribers_.end());
    stale_ = true;
  }

  bool empty() const { return subscribers_.empty(); }

  /// Calls deliver(subscriber, shared_batch) for each subscriber that matches at least one
  /// event, or that subscribed with a container filter naming `about` (it gets even an
  /// empty batch, because the message's watermark concerns it; `nobody`: no such rule),
  /// or with a symbol filter (a batch without its symbols still moves its watermark).
  /// Subscribers are called in the order they first subscribed. The cost is one index
  /// look-up per event plus the subscribers reached, not all subscribers per event.
  template <class Deliver>
  void route(const shared_batch& batch, container_id about, Deliver&& deliver) const {
    if (stale_)
      rebuild();
    const auto reach = [this](std::uint32_t s, std::size_t n) {
      if (matched_[s] == 0 && !reached_[s]) {
        reached_[s] = true;
        touched_.push_back(s);
      }
      matched_[s] += n;
    };
    std::array<std::size_t, event_type_count> of_type{};
    for (const auto& e : *batch) {
      const auto t = static_cast<std::size_t>(e.header.type);
      ++of_type[t];
      std::uint32_t id;
      if (!index_.keyed[t] || !key_of(e, id))
        continue;
      if (const auto it = index_.by_id.find(key(t, id)); it != index_.by_id.end())
        for (const auto s : it->second)
          reach(s, 1);
    }
    for (std::size_t t = 0; t < event_type_count; ++t)
      if (of_type[t] > 0)
        for (const auto s : index_.any[t])
          reach(s, of_type[t]);
    for (const auto s : index_.always)
      reach(s, 0);
    if (about != nobody)
      if (const auto it = index_.concerned.find(about); it != index_.concerned.end())
        for (const auto s : it->second)
          reach(s, 0);
    std::sort(touched_.begin(), touched_.end());
    for (const auto s : touched_) {
      const auto& sub = subscribers_[s];
      const auto matched = matched_[s];
      matched_[s] = 0;
      reached_[s] = false;
      if (matched == batch->size() && matched > 0)
        deliver(sub.who, batch);
      else
        deliver(sub.who, filtered(*batch, sub, matched));
    }
    touched_.clear();
  }

  static constexpr container_id nobody = ~container_id{0};

private:
  enum class rule_kind : std::uint8_t { any, strategies, containers, symbols };

  struct rule {
    rule_kind kind = rule_kind::any;
    std::vector<std::uint32_t> ids;  ///< sorted, no duplicates

    bool matches(const event& e) const {
      std::uint32_t id;
      return kind == rule_kind::any
             || (key_of(e, id) && std::binary_search(ids.begin(), ids.end(), id));
    }
  };

  struct entry {
    Subscriber who;
    std::array<bool, event_type_count> types{};
    std::array<rule, event_type_count> rules{};

    bool matches(const event& e) const {
      const auto t = static_cast<std::size_t>(e.header.type);
      return types[t] && rules[t].matches(e);
    }
  };

  /// Who takes what, by subscriber position (ascending in every list).
  struct index {
    std::array<std::vector<std::uint32_t>, event_type_count> any;  ///< every event of type t
    std::array<bool, event_type_count> keyed{};  ///< some rule for type t names ids
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_id;  ///< key(t, id)
    std::unordered_map<container_id, std::vector<std::uint32_t>> concerned;  ///< about
    std::vector<std::uint32_t> always;  ///< a symbol rule: every batch
  };

  static std::uint64_t key(std::size_t t, std::uint32_t id) {
    return (static_cast<std::uint64_t>(t) << 32) | id;
  }

  /// The id a rule for e's type names: its symbol, strategy or portfolio.
  static bool key_of(const event& e, std::uint32_t& id) {
    if (const auto* bar = std::get_if<bar_data>(&e.payload)) {
      id = bar->symbol;
      return true;
    }
    if (const auto* signal = std::get_if<signal_data>(&e.payload)) {
      id = signal->strategy;
      return true;
    }
    container_id owner;
    if (!owning_portfolio(e, owner))
      return false;
    id = owner;
    return true;
  }

  static rule sorted_rule(rule_kind kind, std::vector<std::uint32_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return {kind, std::move(ids)};
  }
  static rule make_rule(const strategy_filter& f) {
    return sorted_rule(rule_kind::strategies, f.ids());
  }
  static rule make_rule(const container_filter& f) {
    return sorted_rule(rule_kind::containers, f.ids());
  }
  static rule make_rule(const symbol_filter& f) { return sorted_rule(rule_kind::symbols, f.ids()); }

  void add(const Subscriber& who, event_type t, rule r) {
    auto it = std::find_if(subscribers_.begin(), subscribers_.end(),
                           [&](const entry& s) { return s.who == who; });
    if (it == subscribers_.end()) {
      subscribers_.push_back(entry{who, {}, {}});
      it = subscribers_.end() - 1;
    }
    it->types[static_cast<std::size_t>(t)] = true;
    it->rules[static_cast<std::size_t>(t)] = std::move(r);
    stale_ = true;
  }

  /// Rebuilt on the first route after (un)subscribing: subscriptions change at start-up
  /// and when a container stops, routes happen per message.
  void rebuild() const {
    index_ = index{};
    const auto add_once = [](std::vector<std::uint32_t>& list, std::uint32_t s) {
      if (list.empty() || list.back() != s)
        list.push_back(s);
    };
    for (std::uint32_t s = 0; s < subscribers_.size(); ++s)
      for (std::size_t t = 0; t < event_type_count; ++t) {
        if (!subscribers_[s].types[t])
          continue;
        const auto& r = subscribers_[s].rules[t];
        if (r.kind == rule_kind::any) {
          index_.any[t].push_back(s);
          continue;
        }
        index_.keyed[t] = true;
        for (const auto id : r.ids)
          index_.by_id[key(t, id)].push_back(s);
        if (r.kind == rule_kind::symbols)
          add_once(index_.always, s);
        if (r.kind == rule_kind::containers)
          for (const auto id : r.ids)
            add_once(index_.concerned[id], s);
      }
    matched_.assign(subscribers_.size(), 0);
    reached_.assign(subscribers_.size(), false);
    stale_ = false;
  }

  static shared_batch filtered(const event_batch& in, const entry& s, std::size_t matched) {
    auto out = std::make_shared<event_batch>();
    out->reserve(matched);
    for (const auto& e : in)
      if (s.matches(e))
        out->push_back(e);
    return out;
  }

  std::vector<entry> subscribers_;
  // The index and route's scratch space: derived from subscribers_, so route stays const.
  mutable bool stale_ = false;
  mutable index index_;
  mutable std::vector<std::size_t> matched_;  ///< per subscriber: events it takes (0 between routes)
  mutable std::vector<bool> reached_;         ///< per subscriber: in touched_
  mutable std::vector<std::uint32_t> touched_;
};

}  // namespace admf
