// The one payload formatter (`admf trace` and the console), id and name rendering.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime/tracing/event_text.hpp"
#include "runtime/tracing/strf.hpp"

using namespace admf;

namespace {

const std::vector<std::string> symbols = {"SPX", "", "NDX"};

std::string text(event_payload payload) {
  event ev;
  ev.payload = std::move(payload);
  return describe_payload(ev, symbols);
}

} // namespace

TEST_CASE("strf formats like printf, whatever the length", "[trace][event_text]") {
  CHECK(strf("%-4s|%5.2f|%g", "ab", 3.14159, 0.5) == "ab  | 3.14|0.5");
  CHECK(strf("%s", std::string(300, 'x').c_str()).size() == 300);
  CHECK(strf("100%%") == "100%");
  CHECK(strf("%s", "").empty());
}

TEST_CASE("names come from the table, #id where it has none", "[trace][event_text]") {
  CHECK(name_or_number(symbols, 0) == "SPX");
  CHECK(name_or_number(symbols, 1) == "#1");  // an empty slot: a name no file supplied
  CHECK(name_or_number(symbols, 2) == "NDX");
  CHECK(name_or_number(symbols, 7) == "#7");
  CHECK(name_or_number({}, 0) == "#0");
}

TEST_CASE("directions by name", "[trace][event_text]") {
  CHECK(std::string(direction_name(direction::flat)) == "FLAT");
  CHECK(std::string(direction_name(direction::long_)) == "LONG");
  CHECK(std::string(direction_name(direction::short_)) == "SHORT");
}

TEST_CASE("ids: 0x-hex out, hex or decimal in", "[trace][event_text]") {
  CHECK(format_event_id(0) == "0x0");
  CHECK(format_event_id((std::uint64_t{3} << 40) | 1) == "0x30000000001");
  CHECK(parse_event_id("0X1F") == 31u);
  CHECK(parse_event_id("ff") == 255u);
  CHECK_FALSE(parse_event_id("0x"));
  CHECK_FALSE(parse_event_id("0x1g"));
  CHECK_FALSE(parse_event_id("-1"));
  CHECK_FALSE(parse_event_id("18446744073709551616"));  // 2^64: out of range
}

TEST_CASE("bars, portfolio updates: prices to the cent", "[trace][event_text]") {
  CHECK(text(bar_data{2, 1, 2, 0.5, 1458.475, 1e6}) == "NDX close 1458.47");  // binary 1458.4749...
  CHECK(text(bar_data{0, 0, 0, 0, 9.996, 0}) == "SPX close 10.00");
  CHECK(text(bar_data{0, 0, 0, 0, 30, 0, 0.205}) == "SPX close 30.00 dividend 0.205");  // ex-date
  CHECK(text(portfolio_update_data{3, 1234.5, 100000, 98765.5, 98765.5})
        == "equity 100000.00 cash 1234.50 net 98765.50");
}

TEST_CASE("signals: defaults left out, non-market terms added", "[trace][event_text]") {
  signal_data s;
  s.target = direction::long_;
  CHECK(text(s) == "LONG SPX");
  s.target = direction::flat;
  s.symbol = 9;
  CHECK(text(s) == "FLAT #9");
  s.target = direction::short_;
  s.symbol = 0;
  s.strength = 0.25;
  s.quantity = 40;
  s.kind = order_kind::limit;
  s.limit_price = 1450;
  CHECK(text(s) == "SHORT SPX strength 0.25 qty 40 LIMIT 1450.00");
  s.kind = order_kind::stop;
  s.stop_price = 1399.999;
  CHECK(text(s) == "SHORT SPX strength 0.25 qty 40 STOP 1400.00");
}

TEST_CASE("orders: a quantity, or a budget sized at the fill", "[trace][event_text]") {
  order_data o;
  o.action = side::sell;
  o.quantity = 68;
  CHECK(text(o) == "SELL 68 SPX");
  o.action = side::buy;
  o.quantity = 0;
  o.budget = 5000;
  o.kind = order_kind::limit;
  o.limit_price = 99.5;
  CHECK(text(o) == "BUY SPX (budget 5000.00) LIMIT 99.50");
}

TEST_CASE("fills, cancels, positions, rejects", "[trace][event_text]") {
  fill_data f;
  f.quantity = 68;
  f.price = 1458.47;
  CHECK(text(f) == "BUY 68 SPX @ 1458.47");
  f.action = side::sell;
  f.commission = 1.005;  // binary 1.00499...: rounds down
  CHECK(text(f) == "SELL 68 SPX @ 1458.47 fee 1.00");

  order_cancel_data c;
  c.symbol = 2;
  c.reason = cancel_reason::expired;
  CHECK(text(c) == "NDX expired");

  position_data p;
  p.quantity = -10;
  p.entry_price = 20;
  CHECK(text(p) == "SPX -10 @ 20.00");  // open: no exit yet
  p.exit_price = 18.5;
  p.pnl = 15;
  CHECK(text(p) == "SPX -10 @ 20.00 -> 18.50 pnl 15.00");
  p.dividends = -2.5;  // the short paid a dividend
  CHECK(text(p) == "SPX -10 @ 20.00 -> 18.50 pnl 15.00 dividends -2.50");

  risk_reject_data r;
  r.reason = reject_reason::max_gross_exposure;
  r.limit = 1.5;
  r.observed = 1.75;
  CHECK(text(r) == "SPX max_gross_exposure (limit 1.5, observed 1.75)");
}
