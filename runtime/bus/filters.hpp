// Subscription filters. SIGNAL and FILL subscriptions must name whose events they
// want (a strategy filter, a container filter): that is what keeps portfolios from
// seeing each other's signals and fills, so the router demands it at compile time.
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

/// Matches events that belong to one portfolio container (fills, orders, positions...).
class container_filter {
public:
  container_filter() = delete;
  explicit container_filter(container_id container) : id_(container) {}
  container_id id() const { return id_; }

private:
  container_id id_;
};

/// Matches BAR events of the named symbols.
class symbol_filter {
public:
  symbol_filter() = delete;
  explicit symbol_filter(std::vector<symbol_id> symbols) : ids_(std::move(symbols)) {}
  const std::vector<symbol_id>& ids() const { return ids_; }

private:
  std::vector<symbol_id> ids_;
};

/// Which filter a subscription to event type T must carry (none: `void`).
template <event_type T>
struct required_filter { using type = void; };
template <>
struct required_filter<event_type::signal> { using type = strategy_filter; };
template <>
struct required_filter<event_type::fill> { using type = container_filter; };

template <event_type T>
using required_filter_t = typename required_filter<T>::type;

/// The portfolio an event belongs to, if its type has one.
inline bool owning_portfolio(const event& e, container_id& out) {
  return std::visit(
    [&out](const auto& p) {
      if constexpr (std::is_same_v<std::decay_t<decltype(p)>, bar_data>
                    || std::is_same_v<std::decay_t<decltype(p)>, signal_data>) {
        return false;
      } else {
        out = p.portfolio;
        return true;
      }
    },
    e.payload);
}

} // namespace admf
