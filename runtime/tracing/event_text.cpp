#include "runtime/tracing/event_text.hpp"

#include <charconv>
#include <cinttypes>

#include "runtime/tracing/strf.hpp"

namespace admf {

std::string name_or_number(const std::vector<std::string>& names, std::uint32_t id) {
  if (id < names.size() && !names[id].empty())
    return names[id];
  return "#" + std::to_string(id);
}

const char* direction_name(direction d) {
  switch (d) {
    case direction::flat:
      return "FLAT";
    case direction::long_:
      return "LONG";
    case direction::short_:
      return "SHORT";
  }
  return "?";
}

std::optional<std::uint64_t> parse_event_id(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  } else if (text.find_first_not_of("0123456789") != std::string_view::npos) {
    base = 16;
  }
  std::uint64_t value = 0;
  const auto end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
  if (text.empty() || ec != std::errc{} || ptr != end)
    return std::nullopt;
  return value;
}

std::string format_event_id(std::uint64_t id) { return strf("0x%" PRIx64, id); }

namespace {

const char* side_name(side s) { return s == side::buy ? "BUY" : "SELL"; }

/// " LIMIT 1450.00", " STOP 1400.00", " STOP 1400.00 LIMIT 1390.00", " MOC", or "" for
/// market orders.
std::string price_terms(order_kind kind, double limit, double stop) {
  switch (kind) {
    case order_kind::limit: return strf(" LIMIT %.2f", limit);
    case order_kind::stop: return strf(" STOP %.2f", stop);
    case order_kind::stop_limit: return strf(" STOP %.2f LIMIT %.2f", stop, limit);
    case order_kind::trailing_stop: return strf(" TRAIL STOP %.2f", stop);
    case order_kind::market_on_close: return " MOC";
    case order_kind::market: break;
  }
  return "";
}

/// " DAY", " GTD 2020-01-31T00:00:00Z", " IOC", " FOK", or "" for GTC.
std::string lifetime_terms(time_in_force tif, timestamp expires) {
  switch (tif) {
    case time_in_force::day: return " DAY";
    case time_in_force::gtd: return " GTD " + format_timestamp(expires);
    case time_in_force::ioc: return " IOC";
    case time_in_force::fok: return " FOK";
    case time_in_force::gtc: break;
  }
  return "";
}

/// " TRAIL 2.50" or " TRAIL 5%", and " SL 95.00 TP 110.00" for a bracket.
std::string extra_terms(double trail_amount, double trail_percent, double stop_loss,
                        double take_profit) {
  std::string out;
  if (trail_amount != 0)
    out += strf(" TRAIL %.2f", trail_amount);
  if (trail_percent != 0)
    out += strf(" TRAIL %g%%", trail_percent * 100);
  if (stop_loss != 0)
    out += strf(" SL %.2f", stop_loss);
  if (take_profit != 0)
    out += strf(" TP %.2f", take_profit);
  return out;
}

const char* target_name(target_kind k) {
  switch (k) {
    case target_kind::quantity: return "qty";
    case target_kind::equity_fraction: return "equity";
    case target_kind::weight: return "weight";
    case target_kind::side: break;
  }
  return "";
}

struct payload_text {
  const std::vector<std::string>& symbols;

  std::string sym(symbol_id s) const { return name_or_number(symbols, s); }

  std::string operator()(const bar_data& b) const {
    auto out = strf("%s close %.2f", sym(b.symbol).c_str(), b.close);
    if (b.dividend != 0)
      out += strf(" dividend %g", b.dividend);
    return out;
  }
  std::string operator()(const signal_data& s) const {
    if (s.action == signal_action::cancel)
      return "CANCEL " + sym(s.symbol);
    if (s.action == signal_action::replace) {
      auto out = "REPLACE " + sym(s.symbol);
      if (s.quantity != 0)
        out += strf(" qty %g", s.quantity);
      if (s.limit_price != 0)
        out += strf(" LIMIT %.2f", s.limit_price);
      if (s.stop_price != 0)
        out += strf(" STOP %.2f", s.stop_price);
      return out;
    }
    auto out = s.sizing == target_kind::side
                 ? strf("%s %s", direction_name(s.target), sym(s.symbol).c_str())
                 : strf("TARGET %s %s %g", sym(s.symbol).c_str(), target_name(s.sizing),
                        s.target_value);
    if (s.strength != 1.0)
      out += strf(" strength %g", s.strength);
    if (s.quantity != 0)
      out += strf(" qty %g", s.quantity);
    return out + price_terms(s.kind, s.limit_price, s.stop_price)
           + extra_terms(s.trail_amount, s.trail_percent, s.stop_loss, s.take_profit)
           + lifetime_terms(s.tif, s.expire_time);
  }
  std::string operator()(const order_data& o) const {
    // Quantity 0: sized at the fill from the budget.
    const auto what = o.quantity != 0 ? strf("%g %s", o.quantity, sym(o.symbol).c_str())
                                      : strf("%s (budget %.2f)", sym(o.symbol).c_str(), o.budget);
    return strf("%s %s", side_name(o.action), what.c_str())
           + price_terms(o.kind, o.limit_price, o.stop_price)
           + extra_terms(o.trail_amount, o.trail_percent, o.stop_loss, o.take_profit)
           + lifetime_terms(o.tif, o.expire_time) + (o.oco_group != 0 ? " OCO" : "");
  }
  std::string operator()(const fill_data& f) const {
    auto out =
      strf("%s %g %s @ %.2f", side_name(f.action), f.quantity, sym(f.symbol).c_str(), f.price);
    if (f.commission != 0)
      out += strf(" fee %.2f", f.commission);
    if (f.remaining != 0)
      out += strf(" (%g left)", f.remaining);
    return out;
  }
  std::string operator()(const order_cancel_data& c) const {
    auto out = sym(c.symbol) + " " + std::string(to_string(c.reason));
    if (c.cut_quantity != 0)
      out += strf(" (cut %s %g)", side_name(c.action), c.cut_quantity);
    return out;
  }
  std::string operator()(const position_data& p) const {
    auto out = strf("%s %g @ %.2f", sym(p.symbol).c_str(), p.quantity, p.entry_price);
    if (p.exit_price != 0)
      out += strf(" -> %.2f pnl %.2f", p.exit_price, p.pnl);
    if (p.dividends != 0)
      out += strf(" dividends %.2f", p.dividends);
    return out;
  }
  std::string operator()(const portfolio_update_data& u) const {
    return strf("equity %.2f cash %.2f net %.2f", u.equity, u.cash, u.net_exposure);
  }
  std::string operator()(const liquidation_data& l) const {
    return strf("%s: equity %.2f, gross exposure %.2f, requirement %.2f",
                std::string(to_string(l.reason)).c_str(), l.equity, l.gross_exposure,
                l.requirement);
  }
  std::string operator()(const risk_reject_data& r) const {
    return strf("%s %s (limit %g, observed %g)", sym(r.symbol).c_str(),
                std::string(to_string(r.reason)).c_str(), r.limit, r.observed);
  }
};

}  // namespace

std::string describe_payload(const event& ev, const std::vector<std::string>& symbols) {
  return std::visit(payload_text{symbols}, ev.payload);
}

}  // namespace admf
