// A parent's routing table: who subscribed to which event types, through which filter.
// Routing a batch hands each subscriber the events it matches, sharing the batch
// itself when a subscriber takes all of it (the common case for BAR batches).
#pragma once
#include <array>
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
  }

  bool empty() const { return subscribers_.empty(); }

  /// Calls deliver(subscriber, shared_batch) for each subscriber that matches at least one
  /// event, or that subscribed with a container filter naming `about` (it gets even an
  /// empty batch, because the message's watermark concerns it; `nobody`: no such rule),
  /// or with a symbol filter (a batch without its symbols still moves its watermark).
  template <class Deliver>
  void route(const shared_batch& batch, container_id about, Deliver&& deliver) const {
    for (const auto& s : subscribers_) {
      std::size_t matched = 0;
      for (const auto& e : *batch)
        matched += s.matches(e);
      if (matched == batch->size() && matched > 0)
        deliver(s.who, batch);
      else if (matched > 0 || s.concerns(about))
        deliver(s.who, filtered(*batch, s, matched));
    }
  }

  static constexpr container_id nobody = ~container_id{0};

private:
  enum class rule_kind : std::uint8_t { any, strategies, containers, symbols };

  struct rule {
    rule_kind kind = rule_kind::any;
    std::vector<std::uint32_t> ids;

    bool matches(const event& e) const {
      switch (kind) {
        case rule_kind::any:
          return true;
        case rule_kind::strategies:
          return has(std::get<signal_data>(e.payload).strategy);
        case rule_kind::containers: {
          container_id owner;
          return owning_portfolio(e, owner) && has(owner);
        }
        case rule_kind::symbols:
          return has(std::get<bar_data>(e.payload).symbol);
      }
      return false;
    }
    bool has(std::uint32_t id) const { return std::find(ids.begin(), ids.end(), id) != ids.end(); }
  };

  struct entry {
    Subscriber who;
    std::array<bool, event_type_count> types{};
    std::array<rule, event_type_count> rules{};

    bool matches(const event& e) const {
      const auto t = static_cast<std::size_t>(e.header.type);
      return types[t] && rules[t].matches(e);
    }
    bool concerns(container_id about) const {
      for (std::size_t t = 0; t < event_type_count; ++t) {
        if (!types[t])
          continue;
        if (rules[t].kind == rule_kind::symbols
            || (rules[t].kind == rule_kind::containers && about != nobody && rules[t].has(about)))
          return true;
      }
      return false;
    }
  };

  static rule make_rule(const strategy_filter& f) { return {rule_kind::strategies, f.ids()}; }
  static rule make_rule(const container_filter& f) { return {rule_kind::containers, f.ids()}; }
  static rule make_rule(const symbol_filter& f) { return {rule_kind::symbols, f.ids()}; }

  void add(const Subscriber& who, event_type t, rule r) {
    auto it = std::find_if(subscribers_.begin(), subscribers_.end(),
                           [&](const entry& s) { return s.who == who; });
    if (it == subscribers_.end()) {
      subscribers_.push_back(entry{who, {}, {}});
      it = subscribers_.end() - 1;
    }
    it->types[static_cast<std::size_t>(t)] = true;
    it->rules[static_cast<std::size_t>(t)] = std::move(r);
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
};

}  // namespace admf
