#include "runtime/tracing/trace_codec.hpp"

#include "events.pb.h"

namespace admf {
namespace {

// The proto enums list the same values in the same order, so they convert by cast.
static_assert(static_cast<int>(event_type::bar) == proto::BAR
              && static_cast<int>(event_type::signal) == proto::SIGNAL
              && static_cast<int>(event_type::order) == proto::ORDER
              && static_cast<int>(event_type::fill) == proto::FILL
              && static_cast<int>(event_type::order_cancel) == proto::ORDER_CANCEL
              && static_cast<int>(event_type::position_open) == proto::POSITION_OPEN
              && static_cast<int>(event_type::position_close) == proto::POSITION_CLOSE
              && static_cast<int>(event_type::portfolio_update) == proto::PORTFOLIO_UPDATE
              && static_cast<int>(event_type::risk_reject) == proto::RISK_REJECT
              && static_cast<int>(event_type::liquidation) == proto::LIQUIDATION
              && static_cast<int>(event_type::position_snapshot) == proto::POSITION_SNAPSHOT);
static_assert(static_cast<int>(direction::flat) == proto::FLAT
              && static_cast<int>(direction::long_) == proto::LONG
              && static_cast<int>(direction::short_) == proto::SHORT);
static_assert(static_cast<int>(side::buy) == proto::BUY
              && static_cast<int>(side::sell) == proto::SELL);
static_assert(static_cast<int>(order_kind::market) == proto::MARKET
              && static_cast<int>(order_kind::limit) == proto::LIMIT
              && static_cast<int>(order_kind::stop) == proto::STOP
              && static_cast<int>(order_kind::stop_limit) == proto::STOP_LIMIT
              && static_cast<int>(order_kind::trailing_stop) == proto::TRAILING_STOP
              && static_cast<int>(order_kind::market_on_close) == proto::MARKET_ON_CLOSE);
static_assert(static_cast<int>(time_in_force::gtc) == proto::GTC
              && static_cast<int>(time_in_force::fok) == proto::FOK);
static_assert(static_cast<int>(target_kind::side) == proto::SIDE
              && static_cast<int>(target_kind::weight) == proto::WEIGHT);
static_assert(static_cast<int>(signal_action::order) == proto::PLACE
              && static_cast<int>(signal_action::replace) == proto::REPLACE);

constexpr std::uint32_t direction_count = 3;
constexpr std::uint32_t side_count = 2;
constexpr std::uint32_t order_kind_count = 6;
constexpr std::uint32_t time_in_force_count = 5;
constexpr std::uint32_t target_kind_count = 4;
constexpr std::uint32_t signal_action_count = 3;
constexpr std::uint32_t cancel_reason_count = 19;
constexpr std::uint32_t reject_reason_count = 10;
constexpr std::uint32_t liquidation_reason_count = 2;

/// Proto3 enums are open: a value this build does not know is damage.
template <class E>
bool to_enum(std::int64_t value, std::uint32_t count, E& out) {
  if (value < 0 || value >= count)
    return false;
  out = static_cast<E>(value);
  return true;
}

// Every put() sets every field of its message, so a reused proto::Event needs no Clear().
void put(const bar_data& d, proto::Event& e) {
  auto& m = *e.mutable_bar();
  m.set_symbol(d.symbol);
  m.set_open(d.open);
  m.set_high(d.high);
  m.set_low(d.low);
  m.set_close(d.close);
  m.set_volume(d.volume);
  m.set_dividend(d.dividend);
}

void put(const signal_data& d, proto::Event& e) {
  auto& m = *e.mutable_signal();
  m.set_strategy(d.strategy);
  m.set_symbol(d.symbol);
  m.set_target(static_cast<proto::Direction>(d.target));
  m.set_strength(d.strength);
  m.set_quantity(d.quantity);
  m.set_kind(static_cast<proto::OrderKind>(d.kind));
  m.set_limit_price(d.limit_price);
  m.set_stop_price(d.stop_price);
  m.set_action(static_cast<proto::SignalAction>(d.action));
  m.set_sizing(static_cast<proto::TargetKind>(d.sizing));
  m.set_target_value(d.target_value);
  m.set_trail_amount(d.trail_amount);
  m.set_trail_percent(d.trail_percent);
  m.set_tif(static_cast<proto::TimeInForce>(d.tif));
  m.set_expire_time(d.expire_time);
  m.set_stop_loss(d.stop_loss);
  m.set_take_profit(d.take_profit);
}

void put(const order_data& d, proto::Event& e) {
  auto& m = *e.mutable_order();
  m.set_order_id(d.order_id);
  m.set_portfolio(d.portfolio);
  m.set_strategy(d.strategy);
  m.set_symbol(d.symbol);
  m.set_action(static_cast<proto::Side>(d.action));
  m.set_kind(static_cast<proto::OrderKind>(d.kind));
  m.set_quantity(d.quantity);
  m.set_budget(d.budget);
  m.set_limit_price(d.limit_price);
  m.set_stop_price(d.stop_price);
  m.set_trail_amount(d.trail_amount);
  m.set_trail_percent(d.trail_percent);
  m.set_tif(static_cast<proto::TimeInForce>(d.tif));
  m.set_expire_time(d.expire_time);
  m.set_stop_loss(d.stop_loss);
  m.set_take_profit(d.take_profit);
  m.set_oco_group(d.oco_group);
}

void put(const fill_data& d, proto::Event& e) {
  auto& m = *e.mutable_fill();
  m.set_order_id(d.order_id);
  m.set_portfolio(d.portfolio);
  m.set_strategy(d.strategy);
  m.set_symbol(d.symbol);
  m.set_action(static_cast<proto::Side>(d.action));
  m.set_quantity(d.quantity);
  m.set_price(d.price);
  m.set_commission(d.commission);
  m.set_remaining(d.remaining);
  m.set_month_to_date(d.month_to_date);
}

void put(const order_cancel_data& d, proto::Event& e) {
  auto& m = *e.mutable_order_cancel();
  m.set_order_id(d.order_id);
  m.set_portfolio(d.portfolio);
  m.set_strategy(d.strategy);
  m.set_symbol(d.symbol);
  m.set_reason(static_cast<std::uint32_t>(d.reason));
  m.set_action(static_cast<proto::Side>(d.action));
  m.set_cut_quantity(d.cut_quantity);
}

void put(const position_data& d, proto::Event& e) {
  auto& m = *e.mutable_position();
  m.set_trade_id(d.trade_id);
  m.set_portfolio(d.portfolio);
  m.set_strategy(d.strategy);
  m.set_symbol(d.symbol);
  m.set_quantity(d.quantity);
  m.set_entry_price(d.entry_price);
  m.set_exit_price(d.exit_price);
  m.set_entry_time(d.entry_time);
  m.set_commission(d.commission);
  m.set_pnl(d.pnl);
  m.set_borrow_fee(d.borrow_fee);
  m.set_dividends(d.dividends);
}

void put(const portfolio_update_data& d, proto::Event& e) {
  auto& m = *e.mutable_portfolio_update();
  m.set_portfolio(d.portfolio);
  m.set_cash(d.cash);
  m.set_equity(d.equity);
  m.set_gross_exposure(d.gross_exposure);
  m.set_net_exposure(d.net_exposure);
}

void put(const risk_reject_data& d, proto::Event& e) {
  auto& m = *e.mutable_risk_reject();
  m.set_portfolio(d.portfolio);
  m.set_strategy(d.strategy);
  m.set_symbol(d.symbol);
  m.set_reason(static_cast<std::uint32_t>(d.reason));
  m.set_limit(d.limit);
  m.set_observed(d.observed);
}

void put(const liquidation_data& d, proto::Event& e) {
  auto& m = *e.mutable_liquidation();
  m.set_portfolio(d.portfolio);
  m.set_reason(static_cast<std::uint32_t>(d.reason));
  m.set_equity(d.equity);
  m.set_gross_exposure(d.gross_exposure);
  m.set_requirement(d.requirement);
}

bool get(const proto::Bar& m, event_payload& out) {
  out = bar_data{m.symbol(), m.open(), m.high(), m.low(), m.close(), m.volume(), m.dividend()};
  return true;
}

bool get(const proto::Signal& m, event_payload& out) {
  signal_data d;
  d.strategy = m.strategy();
  d.symbol = m.symbol();
  d.strength = m.strength();
  d.quantity = m.quantity();
  d.limit_price = m.limit_price();
  d.stop_price = m.stop_price();
  d.target_value = m.target_value();
  d.trail_amount = m.trail_amount();
  d.trail_percent = m.trail_percent();
  d.expire_time = m.expire_time();
  d.stop_loss = m.stop_loss();
  d.take_profit = m.take_profit();
  if (!to_enum(m.target(), direction_count, d.target)
      || !to_enum(m.kind(), order_kind_count, d.kind)
      || !to_enum(m.action(), signal_action_count, d.action)
      || !to_enum(m.sizing(), target_kind_count, d.sizing)
      || !to_enum(m.tif(), time_in_force_count, d.tif))
    return false;
  out = d;
  return true;
}

bool get(const proto::Order& m, event_payload& out) {
  order_data d;
  d.order_id = m.order_id();
  d.portfolio = m.portfolio();
  d.strategy = m.strategy();
  d.symbol = m.symbol();
  d.quantity = m.quantity();
  d.budget = m.budget();
  d.limit_price = m.limit_price();
  d.stop_price = m.stop_price();
  d.trail_amount = m.trail_amount();
  d.trail_percent = m.trail_percent();
  d.expire_time = m.expire_time();
  d.stop_loss = m.stop_loss();
  d.take_profit = m.take_profit();
  d.oco_group = m.oco_group();
  if (!to_enum(m.action(), side_count, d.action) || !to_enum(m.kind(), order_kind_count, d.kind)
      || !to_enum(m.tif(), time_in_force_count, d.tif))
    return false;
  out = d;
  return true;
}

bool get(const proto::Fill& m, event_payload& out) {
  fill_data d;
  d.order_id = m.order_id();
  d.portfolio = m.portfolio();
  d.strategy = m.strategy();
  d.symbol = m.symbol();
  d.quantity = m.quantity();
  d.price = m.price();
  d.commission = m.commission();
  d.remaining = m.remaining();
  d.month_to_date = m.month_to_date();
  if (!to_enum(m.action(), side_count, d.action))
    return false;
  out = d;
  return true;
}

bool get(const proto::OrderCancel& m, event_payload& out) {
  order_cancel_data d;
  d.order_id = m.order_id();
  d.portfolio = m.portfolio();
  d.strategy = m.strategy();
  d.symbol = m.symbol();
  d.cut_quantity = m.cut_quantity();
  if (!to_enum(m.reason(), cancel_reason_count, d.reason)
      || !to_enum(m.action(), side_count, d.action))
    return false;
  out = d;
  return true;
}

bool get(const proto::Position& m, event_payload& out) {
  position_data d;
  d.trade_id = m.trade_id();
  d.portfolio = m.portfolio();
  d.strategy = m.strategy();
  d.symbol = m.symbol();
  d.quantity = m.quantity();
  d.entry_price = m.entry_price();
  d.exit_price = m.exit_price();
  d.entry_time = m.entry_time();
  d.commission = m.commission();
  d.pnl = m.pnl();
  d.borrow_fee = m.borrow_fee();
  d.dividends = m.dividends();
  out = d;
  return true;
}

bool get(const proto::PortfolioUpdate& m, event_payload& out) {
  out = portfolio_update_data{m.portfolio(), m.cash(), m.equity(), m.gross_exposure(),
                              m.net_exposure()};
  return true;
}

bool get(const proto::RiskReject& m, event_payload& out) {
  risk_reject_data d;
  d.portfolio = m.portfolio();
  d.strategy = m.strategy();
  d.symbol = m.symbol();
  d.limit = m.limit();
  d.observed = m.observed();
  if (!to_enum(m.reason(), reject_reason_count, d.reason))
    return false;
  out = d;
  return true;
}

bool get(const proto::Liquidation& m, event_payload& out) {
  liquidation_data d;
  d.portfolio = m.portfolio();
  d.equity = m.equity();
  d.gross_exposure = m.gross_exposure();
  d.requirement = m.requirement();
  if (!to_enum(m.reason(), liquidation_reason_count, d.reason))
    return false;
  out = d;
  return true;
}

/// The event_payload alternative an event of type `t` carries: a record whose payload
/// is another one is damaged (readers call as<> by type).
std::size_t payload_index(event_type t) {
  switch (t) {
    case event_type::bar: return 0;
    case event_type::signal: return 1;
    case event_type::order: return 2;
    case event_type::fill: return 3;
    case event_type::order_cancel: return 4;
    case event_type::position_open:
    case event_type::position_close:
    case event_type::position_snapshot: return 5;
    case event_type::portfolio_update: return 6;
    case event_type::risk_reject: return 7;
    case event_type::liquidation: return 8;
  }
  return std::variant_npos;
}

bool get_payload(const proto::Event& e, event_payload& out) {
  switch (e.payload_case()) {
    case proto::Event::kBar:
      return get(e.bar(), out);
    case proto::Event::kSignal:
      return get(e.signal(), out);
    case proto::Event::kOrder:
      return get(e.order(), out);
    case proto::Event::kFill:
      return get(e.fill(), out);
    case proto::Event::kOrderCancel:
      return get(e.order_cancel(), out);
    case proto::Event::kPosition:
      return get(e.position(), out);
    case proto::Event::kPortfolioUpdate:
      return get(e.portfolio_update(), out);
    case proto::Event::kRiskReject:
      return get(e.risk_reject(), out);
    case proto::Event::kLiquidation:
      return get(e.liquidation(), out);
    case proto::Event::PAYLOAD_NOT_SET:
      return false;
  }
  return false;
}

}  // namespace

void to_proto(const trace_record& r, proto::TraceRecord& m) {
  const auto& h = r.ev.header;
  auto& e = *m.mutable_event();
  e.set_id(h.id);
  e.set_type(static_cast<proto::EventType>(h.type));
  e.set_time(h.time);
  e.set_correlation(h.correlation);
  e.set_causation(h.causation);
  e.set_source(h.source);
  e.set_sequence(h.sequence);
  std::visit([&e](const auto& d) { put(d, e); }, r.ev.payload);
  m.set_partition_key(r.partition_key);
  m.set_created_ns(r.times.created);
  m.set_emitted_ns(r.times.emitted);
  m.set_received_ns(r.times.received);
  m.set_processed_ns(r.times.processed);
  m.set_observed_at(r.observed_at);
}

bool from_proto(const proto::TraceRecord& m, trace_record& r) {
  if (!m.has_event())
    return false;
  const auto& e = m.event();
  auto& h = r.ev.header;
  if (!to_enum(e.type(), event_type_count, h.type))
    return false;
  h.id = e.id();
  h.time = e.time();
  h.correlation = e.correlation();
  h.causation = e.causation();
  h.source = e.source();
  h.sequence = e.sequence();
  r.partition_key = m.partition_key();
  r.times = {m.created_ns(), m.emitted_ns(), m.received_ns(), m.processed_ns()};
  // The tracer records the event's creation stamp as its hop's `created`; the proto
  // Event keeps it only there.
  h.created_ns = m.created_ns();
  r.observed_at = m.observed_at();
  return get_payload(e, r.ev.payload) && r.ev.payload.index() == payload_index(h.type);
}

void to_proto(const trace_end& end, proto::TraceRecord& m) {
  m.Clear();
  auto& e = *m.mutable_end();
  e.set_interrupted(end.interrupted);
  e.set_reason(end.reason);
  e.set_records(end.records);
}

std::optional<trace_end> end_of(const proto::TraceRecord& m) {
  if (!m.has_end())
    return std::nullopt;
  return trace_end{m.end().interrupted(), m.end().reason(), m.end().records()};
}

void to_proto(const trace_header& h, proto::TraceHeader& m) {
  m.set_format_version(h.format_version);
  m.set_run_id(h.run_id);
  m.set_container(h.container);
  for (const auto& c : h.containers)
    m.add_containers(c);
  for (const auto& s : h.symbols)
    m.add_symbols(s);
}

trace_header from_proto(const proto::TraceHeader& m) {
  trace_header h;
  h.format_version = m.format_version();
  h.run_id = m.run_id();
  h.container = m.container();
  h.containers.assign(m.containers().begin(), m.containers().end());
  h.symbols.assign(m.symbols().begin(), m.symbols().end());
  return h;
}

std::string encode_record(const trace_record& record) {
  proto::TraceRecord m;
  to_proto(record, m);
  return m.SerializeAsString();
}

bool decode_record(const std::string& bytes, trace_record& out) {
  proto::TraceRecord m;
  return m.ParseFromString(bytes) && from_proto(m, out);
}

}  // namespace admf
