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

/// " LIMIT 1450.00", " STOP 1400.00", or "" for market orders.
std::string price_terms(order_kind kind, double limit, double stop) {
  if (kind == order_kind::limit)
    return strf(" LIMIT %.2f", limit);
  if (kind == order_kind::stop)
    return strf(" STOP %.2f", stop);
  return "";
}

struct payload_text {
  const std::vector<std::string>& symbols;

  std::string sym(symbol_id s) const { return name_or_number(symbols, s); }

  std::string operator()(const bar_data& b) const {
    return strf("%s close %.2f", sym(b.symbol).c_str(), b.close);
  }
  std::string operator()(const signal_data& s) const {
    auto out = strf("%s %s", direction_name(s.target), sym(s.symbol).c_str());
    if (s.strength != 1.0)
      out += strf(" strength %g", s.strength);
    if (s.quantity != 0)
      out += strf(" qty %g", s.quantity);
    return out + price_terms(s.kind, s.limit_price, s.stop_price);
  }
  std::string operator()(const order_data& o) const {
    // Quantity 0: sized at the fill from the budget.
    const auto what = o.quantity != 0 ? strf("%g %s", o.quantity, sym(o.symbol).c_str())
                                      : strf("%s (budget %.2f)", sym(o.symbol).c_str(), o.budget);
    return strf("%s %s", side_name(o.action), what.c_str())
           + price_terms(o.kind, o.limit_price, o.stop_price);
  }
  std::string operator()(const fill_data& f) const {
    auto out =
      strf("%s %g %s @ %.2f", side_name(f.action), f.quantity, sym(f.symbol).c_str(), f.price);
    if (f.commission != 0)
      out += strf(" fee %.2f", f.commission);
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
