// Subscription filters. A subscription to SIGNALs must name their strategies, and one
// to any event type a portfolio owns (ORDER, FILL, ORDER_CANCEL, POSITION_*,
// PORTFOLIO_UPDATE, RISK_REJECT) must name the portfolios: that is what keeps
// portfolios from seeing each other's events, so the router demands it at compile time.
// A subscription to BARs may name symbols.
#pragma once
#include <algorithm>
#include <initializer_list>
#include <stdexcept>
#include <vector>

#include "runtime/events/event.hpp"

namespace admf {

/// Matches SIGNAL events of the named strategies. Never empty.
class strategy_filter {
public:
  strategy_filter() = delete;
  explicit strategy_filter(std::vector<container_id> strategies) : ids_(std::move(strategies)) {
    if (ids_.empty())
      throw std::invalid_argument("strategy_filter needs at least one strategy");
  }
  explicit strategy_filter(container_id strategy) : ids_{strategy} {}
  const std::vector<container_id>& ids() const { return ids_; }

private:
  std::vector<container_id> ids_;
};

/// Matches events that belong to the named portfolio containers (orders, fills,
/// positions...): one portfolio, or several for a container shared by them
/// (execution takes every portfolio's ORDERs). Never empty.
class container_filter {
public:
  container_filter() = delete;
  explicit container_filter(container_id container) : ids_{container} {}
  explicit container_filter(std::vector<container_id> containers) : ids_(std::move(containers)) {
    if (ids_.empty())
      throw std::invalid_argument("container_filter needs at least one container");
  }
  const std::vector<container_id>& ids() const { return ids_; }

private:
  std::vector<container_id> ids_;
};

/// Matches BAR events of the named symbols: a strategy that takes only some symbols'
/// bars. Optional (BAR needs no filter). Never empty.
class symbol_filter {
public:
  symbol_filter() = delete;
  explicit symbol_filter(std::vector<symbol_id> symbols) : ids_(std::move(symbols)) {
    if (ids_.empty())
      throw std::invalid_argument("symbol_filter needs at least one symbol");
  }
  const std::vector<symbol_id>& ids() const { return ids_; }

private:
  std::vector<symbol_id> ids_;
};

/// Which filter a subscription to event type T must carry (none: `void`): every type
/// a portfolio owns needs a container_filter, SIGNAL a strategy_filter, BAR none.
template <event_type T>
struct required_filter {
  using type = container_filter;
};
template <>
struct required_filter<event_type::bar> {
  using type = void;
};
template <>
struct required_filter<event_type::signal> {
  using type = strategy_filter;
};

template <event_type T>
using required_filter_t = typename required_filter<T>::type;

/// A filter a subscription to T may carry instead of none (none: `void`): BAR, a
/// symbol_filter. Types that require a filter take no other.
template <event_type T>
struct optional_filter {
  using type = void;
};
template <>
struct optional_filter<event_type::bar> {
  using type = symbol_filter;
};

template <event_type T>
using optional_filter_t = typename optional_filter<T>::type;

/// The portfolio an event belongs to, if its type has one.
inline bool owning_portfolio(const event& e, container_id& out) {
  return std::visit(
    [&out](const auto& p) {
      if constexpr (std::is_same_v<
                      std::decay_t<decltype(p)>,
                      bar_data> || std::is_same_v<std::decay_t<decltype(p)>, signal_data>) {
        return false;
      } else {
        out = p.portfolio;
        return true;
      }
    },
    e.payload);
}

}  // namespace admf
