// The event: a plain value type. Every container speaks only in events; the header
// fields are what tracing, causality and determinism are built on. The same schema
// lives in events.proto, their serialized form in trace files (events stay in one
// process; what crosses machines is a job and its result).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/core/time.hpp"

namespace admf {

/// Index of a container (actor) in the run's container table.
using container_id = std::uint32_t;
/// Index of a symbol in the run's symbol table.
using symbol_id = std::uint32_t;

enum class event_type : std::uint8_t {
  bar,
  signal,
  order,
  fill,
  order_cancel,
  position_open,
  position_close,
  portfolio_update,
  risk_reject,
  liquidation,
  position_snapshot,
};
constexpr std::size_t event_type_count = 11;

std::string_view to_string(event_type t);
/// "FILL" -> event_type::fill; nullopt for an unknown name.
std::optional<event_type> event_type_from(std::string_view name);

enum class direction : std::uint8_t { flat, long_, short_ };
enum class side : std::uint8_t { buy, sell };
/// Order types and lifetimes as in the plugin API (runtime/plugin/strategy_plugin.hpp).
enum class order_kind : std::uint8_t {
  market,
  limit,
  stop,
  stop_limit,
  trailing_stop,
  market_on_close
};
enum class time_in_force : std::uint8_t { gtc, day, gtd, ioc, fok };
/// What a signal's target means (plugin::target_kind).
enum class target_kind : std::uint8_t { side, quantity, equity_fraction, weight };
/// What a SIGNAL asks of the portfolio: an order for a target, or a cancel or replace of
/// the strategy's resting order in the symbol.
enum class signal_action : std::uint8_t { order, cancel, replace };

/// A BAR may carry a market fact of its day: `dividend`, cash per share paid to whoever
/// held the symbol at the close before this bar, its ex-date's first bar (a source's
/// corporate_actions: file, runtime/data/corporate_actions.hpp). Portfolios book it
/// before this bar's fills (portfolio_book::pay_dividend).
struct bar_data {
  symbol_id symbol = 0;
  double open = 0, high = 0, low = 0, close = 0, volume = 0;
  double dividend = 0;  ///< currency per share; 0 = none
};

struct signal_data {
  container_id strategy = 0;
  symbol_id symbol = 0;
  direction target = direction::flat;  ///< target_kind::side
  double strength = 1.0;
  double quantity = 0;      ///< side: optional quantity; replace: new quantity (0 = same)
  order_kind kind = order_kind::market;
  double limit_price = 0;   ///< limit and stop-limit orders (replace: new one, 0 = same)
  double stop_price = 0;    ///< stop and stop-limit orders (replace: new one, 0 = same)
  signal_action action = signal_action::order;
  target_kind sizing = target_kind::side;
  double target_value = 0;  ///< quantity (units), equity fraction or weight; signed
  double trail_amount = 0;  ///< trailing stop: currency
  double trail_percent = 0; ///< trailing stop: fraction
  time_in_force tif = time_in_force::gtc;
  timestamp expire_time = 0;  ///< gtd
  double stop_loss = 0;       ///< bracket legs: prices, 0 = none
  double take_profit = 0;
};

struct order_data {
  std::uint64_t order_id = 0;
  container_id portfolio = 0;
  container_id strategy = 0;
  symbol_id symbol = 0;
  side action = side::buy;
  order_kind kind = order_kind::market;
  double quantity = 0;  ///< 0 = size at fill: as many whole units as `budget` buys
  double budget = 0;    ///< cash the order may spend when quantity is 0
  double limit_price = 0;
  double stop_price = 0;  ///< trailing stop: the initial stop (from the last close)
  double trail_amount = 0;   ///< trailing stop: currency
  double trail_percent = 0;  ///< trailing stop: fraction of the best close
  time_in_force tif = time_in_force::gtc;
  timestamp expire_time = 0;  ///< gtd: last bar time it may fill on
  double stop_loss = 0;       ///< an entry's bracket legs, placed once it fills (0 = none)
  double take_profit = 0;
  /// A bracket leg: the entry's order id, shared by its legs (one filling cancels the
  /// other); 0 for other orders.
  std::uint64_t oco_group = 0;
};

struct fill_data {
  std::uint64_t order_id = 0;
  container_id portfolio = 0;
  container_id strategy = 0;
  symbol_id symbol = 0;
  side action = side::buy;
  double quantity = 0;
  double price = 0;       ///< includes slippage
  double commission = 0;
  double remaining = 0;   ///< units of the order still working after this fill (0: done)
  /// Units its commission schedule had priced for the portfolio in this UTC month before
  /// this fill: what its tiers were chosen by (commission_for).
  double month_to_date = 0;
};

/// Why an order, or the part of a fill the account could not take, was cancelled.
/// Execution cancels at end of data and when a budget buys less than the instrument's
/// minimum; the portfolio's account cuts an entry fill at the fill (actors/portfolio/account.hpp).
enum class cancel_reason : std::uint8_t {
  end_of_data,
  expired,
  zero_quantity,       ///< the budget buys no lot at the fill price
  below_min_quantity,  ///< what the budget or the account allows is under the minimum
  lot_size,            ///< an explicit quantity that is not a whole number of lots
  short_sale,          ///< a cash account does not sell short
  insufficient_cash,   ///< cash account: the fill would take cash below zero
  insufficient_margin, ///< margin account: the fill would exceed leverage x equity
  max_gross_exposure,  ///< risk limit, checked again at the fill price
  max_position_size,   ///< risk limit, checked again at the fill price
  account_ruined,      ///< equity <= 0 at the fill: the account takes no entry
  cancelled,           ///< the strategy cancelled it
  replaced,            ///< the strategy replaced it (a new ORDER follows)
  superseded,          ///< a new signal for its strategy and symbol (on_new_signal: replace)
  fill_or_kill,        ///< FOK: its whole quantity could not fill on its first bar
  oco,                 ///< the other leg of its bracket filled
  position_closed,     ///< a bracket leg whose position another order closes
  liquidation,         ///< resting when the account liquidated
  no_bar,              ///< market-on-close: its symbol has no bar at that close
};

struct order_cancel_data {
  std::uint64_t order_id = 0;
  container_id portfolio = 0;
  container_id strategy = 0;
  symbol_id symbol = 0;
  cancel_reason reason = cancel_reason::end_of_data;
  side action = side::buy;
  double cut_quantity = 0;  ///< units of a FILL the account did not take; 0 for an unfilled order
};

/// POSITION_OPEN and POSITION_CLOSE: one round trip of one strategy in one symbol.
/// POSITION_SNAPSHOT: a position still open at the end of the data, marked at the last
/// close (`exit_price`), with `pnl` its unrealized pnl net of the commission and borrow
/// fees paid, dividends included.
struct position_data {
  std::uint64_t trade_id = 0;
  container_id portfolio = 0;
  container_id strategy = 0;
  symbol_id symbol = 0;
  double quantity = 0;     ///< signed: negative for a short
  double entry_price = 0;
  double exit_price = 0;   ///< POSITION_CLOSE only
  timestamp entry_time = 0;
  double commission = 0;   ///< entry plus exit commissions
  double pnl = 0;          ///< POSITION_CLOSE only: net of commissions and borrow fees, plus dividends
  double borrow_fee = 0;   ///< a short's borrow fees paid so far (portfolio_book::accrue_borrow)
  /// Dividends booked so far (portfolio_book::pay_dividend): received by a long,
  /// negative when paid by a short.
  double dividends = 0;
};

struct portfolio_update_data {
  container_id portfolio = 0;
  double cash = 0;
  double equity = 0;
  double gross_exposure = 0;  ///< sum of |position value|
  double net_exposure = 0;    ///< sum of signed position values (shorts count negative)
};

enum class reject_reason : std::uint8_t {
  max_position_size,
  max_gross_exposure,
  max_drawdown_halt,
  insufficient_cash,
  account_ruined,  ///< equity has been <= 0: the account takes no new entries
  short_sale,      ///< a cash account does not sell short (a margin account does)
  insufficient_margin,  ///< a margin account's buying power is used up
  order_pending,  ///< an order of the strategy in the symbol rests (on_new_signal: keep)
  no_resting_order,  ///< a cancel or replace found nothing resting
  superseded,  ///< a later signal of the same close, same strategy and symbol, took its place
};

struct risk_reject_data {
  container_id portfolio = 0;
  container_id strategy = 0;
  symbol_id symbol = 0;
  reject_reason reason = reject_reason::max_position_size;
  double limit = 0;     ///< the configured limit that was hit
  double observed = 0;  ///< the value that broke it
};

enum class liquidation_reason : std::uint8_t {
  margin_call,  ///< margin account: equity < maintenance_margin x gross exposure
  ruined,       ///< equity <= 0: the account stops trading
};

/// LIQUIDATION: the account closes every position at the next bar's open (market
/// orders caused by this event), and why.
struct liquidation_data {
  container_id portfolio = 0;
  liquidation_reason reason = liquidation_reason::margin_call;
  double equity = 0;          ///< at the close that triggered it, currency
  double gross_exposure = 0;  ///< sum of |position value| at that close, currency
  double requirement = 0;     ///< maintenance_margin x gross_exposure (0 when ruined)
};

std::string_view to_string(reject_reason r);
std::string_view to_string(cancel_reason r);
std::string_view to_string(liquidation_reason r);

using event_payload =
  std::variant<bar_data, signal_data, order_data, fill_data, order_cancel_data,
               position_data, portfolio_update_data, risk_reject_data, liquidation_data>;

/// The layout of every id the run makes: its owner's container id in the high 24 bits,
/// the owner's counter in the low 40 (events: source and sequence; orders and trades:
/// portfolio and its count). Ids stay unique in a run and sort by owner, then count.
constexpr int scoped_id_counter_bits = 40;
constexpr std::uint64_t scoped_id(container_id owner, std::uint64_t counter) {
  return (static_cast<std::uint64_t>(owner) << scoped_id_counter_bits) | counter;
}
/// The counter part of a scoped_id (e.g. a trade's number within its portfolio).
constexpr std::uint64_t scoped_id_counter(std::uint64_t id) {
  return id & ((std::uint64_t{1} << scoped_id_counter_bits) - 1);
}

struct event_header {
  std::uint64_t id = 0;           ///< unique in the run: scoped_id(source, sequence)
  std::uint64_t correlation = 0;  ///< the run, or the trade for order/fill/position events
  std::uint64_t causation = 0;    ///< id of the event being handled when this one was made
  std::uint64_t sequence = 0;     ///< per-source counter, from 1
  timestamp time = 0;             ///< logical time: the bar time this event belongs to
  std::int64_t created_ns = 0;    ///< wall clock at stamping, only when traced (0 otherwise)
  container_id source = 0;
  event_type type = event_type::bar;
};

struct event {
  event_header header;
  event_payload payload;

  template <class T>
  const T& as() const { return std::get<T>(payload); }
};

using event_batch = std::vector<event>;
using shared_batch = std::shared_ptr<const event_batch>;

/// Stamps the events one container creates: ids, sequence numbers, correlation.
class event_stamper {
public:
  event_stamper() = default;
  event_stamper(container_id source, std::uint64_t run_id) : source_(source), run_id_(run_id) {}

  event make(event_type type, timestamp time, std::uint64_t causation, event_payload payload,
             std::uint64_t correlation = 0) {
    event e;
    e.header.sequence = ++sequence_;
    e.header.id = scoped_id(source_, sequence_);
    e.header.correlation = correlation != 0 ? correlation : run_id_;
    e.header.causation = causation;
    e.header.time = time;
    e.header.source = source_;
    e.header.type = type;
    e.payload = std::move(payload);
    return e;
  }

  container_id source() const { return source_; }
  std::uint64_t run_id() const { return run_id_; }

private:
  container_id source_ = 0;
  std::uint64_t run_id_ = 0;
  std::uint64_t sequence_ = 0;
};

} // namespace admf
