// signals.csv: the rows `admf run --signals` writes (actors/recorder/signals_csv.hpp),
// worked out by hand cell by cell, and the signal_file plugin's reader
// (plugins/signal_file/signal_rows.hpp): what it reads from hand-written rows, that it
// reads back exactly what was written, and the message of each kind of bad input.
#include <catch2/catch.hpp>

#include <sstream>
#include <stdexcept>

#include "actors/recorder/signals_csv.hpp"
#include "plugins/signal_file/signal_rows.hpp"
#include "signals_csv_text.hpp"

using namespace admf;
using plugin::signal_csv::action;

namespace {

const std::string& header = test::signals_header;

std::vector<plugins::signal_row> read_text(const std::string& text) {
  std::istringstream in(text);
  return plugins::read_signal_rows(in, "s.csv");
}

/// The message reading `text` (a whole file) fails with.
std::string error_of(const std::string& text) {
  try {
    read_text(text);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

timestamp at(const char* text) { return *parse_timestamp(text); }

std::string row_of(const signal_data& s, const std::string& symbol = "SPX") {
  std::string out;
  append_signal_row(out, "2021-01-05", "sma_1", symbol, s);
  return out;
}

}  // namespace

TEST_CASE("signals.csv: the header names the columns in order", "[signal_rows]") {
  CHECK(signals_csv_header() == header);
}

TEST_CASE("signals.csv: each kind of signal is written as worked out by hand", "[signal_rows]") {
  signal_data v1;  // what context::emit makes: a side target, market, GTC
  v1.target = direction::long_;
  v1.strength = 0.5;
  CHECK(row_of(v1) == "2021-01-05,sma_1,SPX,order,side,long,0.5,,market,,,,,gtc,,,\n");

  signal_data limit;
  limit.target = direction::short_;
  limit.quantity = 30;
  limit.kind = order_kind::limit;
  limit.limit_price = 101.25;
  limit.tif = time_in_force::day;
  CHECK(row_of(limit) == "2021-01-05,sma_1,SPX,order,side,short,1,30,limit,101.25,,,,day,,,\n");

  signal_data stop_limit;
  stop_limit.sizing = target_kind::quantity;
  stop_limit.target_value = -12.5;
  stop_limit.kind = order_kind::stop_limit;
  stop_limit.limit_price = 98.5;
  stop_limit.stop_price = 99;
  stop_limit.tif = time_in_force::gtd;
  stop_limit.expire_time = at("2021-01-08 15:30:00");
  CHECK(row_of(stop_limit)
        == "2021-01-05,sma_1,SPX,order,quantity,,,-12.5,stop_limit,98.5,99,,,gtd,"
           "2021-01-08 15:30:00,,\n");

  signal_data trailing;
  trailing.sizing = target_kind::weight;
  trailing.target_value = 0.1;
  trailing.kind = order_kind::trailing_stop;
  trailing.trail_percent = 0.05;
  trailing.tif = time_in_force::ioc;
  CHECK(row_of(trailing)
        == "2021-01-05,sma_1,SPX,order,weight,,,0.1,trailing_stop,,,,0.05,ioc,,,\n");

  signal_data bracket;
  bracket.target = direction::long_;
  bracket.stop_loss = 95;
  bracket.take_profit = 110;
  CHECK(row_of(bracket) == "2021-01-05,sma_1,SPX,order,side,long,1,,market,,,,,gtc,,95,110\n");

  signal_data cancel;
  cancel.action = signal_action::cancel;
  CHECK(row_of(cancel) == "2021-01-05,sma_1,SPX,cancel,,,,,,,,,,,,,\n");

  signal_data replace;
  replace.action = signal_action::replace;
  replace.limit_price = 100.5;
  CHECK(row_of(replace) == "2021-01-05,sma_1,SPX,replace,,,,,,100.5,,,,,,,\n");

  // RFC 4180: a name with a comma or a quote is quoted, its quotes doubled.
  CHECK(row_of(cancel, "A,\"B\"") == "2021-01-05,sma_1,\"A,\"\"B\"\"\",cancel,,,,,,,,,,,,,\n");
}

TEST_CASE("signal rows: hand-written rows read cell by cell, empty cells as defaults",
          "[signal_rows]") {
  const auto rows = read_text(header
                              + "2021-01-05,s1,SPX,order,side,long,0.5,,,,,,,,,,\r\n"
                                "\n"
                                "2021-01-05 15:30:00,s1,\"A,B\",order,quantity,,,-7,stop_limit,"
                                "98.5,99,,,gtd,2021-01-08,,\n"
                                "2021-01-06,s2,SPX,cancel,,,,,,,,,,,,,\n"
                                "2021-01-06,s2,SPX,replace,,,,40,,101,,,,,,,");
  REQUIRE(rows.size() == 4);
  const auto& a = rows[0];
  CHECK(a.line == 2);
  CHECK(a.time == at("2021-01-05"));
  CHECK(a.time_text == "2021-01-05");
  CHECK(a.strategy == "s1");
  CHECK(a.symbol == "SPX");
  CHECK(a.action == action::order);
  CHECK(a.order.target == plugin::target_kind::side);
  CHECK(a.order.side == plugin::direction::long_);
  CHECK(a.order.strength == 0.5);
  CHECK(a.order.value == 0);
  CHECK(a.order.type == plugin::order_type::market);
  CHECK(a.order.tif == plugin::time_in_force::gtc);

  const auto& b = rows[1];  // after a blank line, which counts as a line
  CHECK(b.line == 4);
  CHECK(b.time == at("2021-01-05 15:30:00"));
  CHECK(b.symbol == "A,B");
  CHECK(b.order.target == plugin::target_kind::quantity);
  CHECK(b.order.side == plugin::direction::flat);
  CHECK(b.order.strength == 1);
  CHECK(b.order.value == -7);
  CHECK(b.order.type == plugin::order_type::stop_limit);
  CHECK(b.order.limit_price == 98.5);
  CHECK(b.order.stop_price == 99);
  CHECK(b.order.tif == plugin::time_in_force::gtd);
  CHECK(b.order.expire_time == at("2021-01-08"));

  CHECK(rows[2].action == action::cancel);
  CHECK(rows[2].strategy == "s2");
  const auto& d = rows[3];  // the last line has no line break
  CHECK(d.line == 6);
  CHECK(d.action == action::replace);
  CHECK(d.change.quantity == 40);
  CHECK(d.change.limit_price == 101);
  CHECK(d.change.stop_price == 0);
}

TEST_CASE("signal rows: every number written reads back as the same double", "[signal_rows]") {
  // The smallest normal double, not a subnormal: its seventh and its 0.9 and 1.1 multiples
  // must stay distinct and above 0 for the row to be a well-formed stop-limit bracket.
  const double values[] = {0.1 + 0.2, 1.0 / 3, 164421.02, 1e21, 1e-7, 2.2250738585072014e-308,
                           1e300, 2.5e-6};
  std::string text = signals_csv_header();
  for (double v : values) {
    signal_data s;
    s.target = direction::long_;
    s.strength = v > 1 ? 1 / v : v;
    s.quantity = v;
    s.kind = order_kind::stop_limit;
    s.limit_price = v * 3;
    s.stop_price = v / 7;
    s.stop_loss = v * 0.9;
    s.take_profit = v * 1.1;
    append_signal_row(text, "2021-01-05", "s", "SPX", s);
  }
  const auto rows = read_text(text);
  REQUIRE(rows.size() == std::size(values));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double v = values[i];
    const auto& o = rows[i].order;
    INFO(v);
    CHECK(o.strength == (v > 1 ? 1 / v : v));
    CHECK(o.value == v);
    CHECK(o.limit_price == v * 3);
    CHECK(o.stop_price == v / 7);
    CHECK(o.stop_loss == v * 0.9);
    CHECK(o.take_profit == v * 1.1);
  }
}

TEST_CASE("signal rows: the header must name exactly the columns, in order", "[signal_rows]") {
  const std::string message = "s.csv:1: unknown column set: the first line must be the header "
                              + header.substr(0, header.size() - 1);
  CHECK(error_of("") == message);
  CHECK(error_of("time,strategy,symbol\n") == message);
  CHECK(error_of("time,strategy,symbol,action,target,side,strength,quantity,type,limit_price,"
                 "stop_price,trail_amount,trail_percent,tif,expire_time,stop_loss,take_profit\n")
        == message);
}

TEST_CASE("signal rows: a row of the wrong length or malformed CSV names its line",
          "[signal_rows]") {
  CHECK(error_of(header + "2021-01-05,s,SPX,order\n") == "s.csv:2: 4 fields, the header has 17");
  CHECK_THAT(error_of(header + "2021-01-05,s,SP\"X,order,,,,,,,,,,,,,\n"),
             Catch::StartsWith("s.csv:2: malformed CSV: "));
  CHECK_THAT(error_of(header + "2021-01-05,s,\"SPX,order,,,,,,,,,,,,,\n"),
             Catch::StartsWith("s.csv:2: malformed CSV: "));
}

TEST_CASE("signal rows: an unknown name in a column names the column and the choices",
          "[signal_rows]") {
  const auto row = [](const char* cells) { return header + "2021-01-05,s,SPX," + cells + "\n"; };
  CHECK(error_of(row("buy,,,,,,,,,,,,,"))
        == "s.csv:2: action: unknown value 'buy' (one of: order, cancel, replace)");
  CHECK(error_of(row("order,shares,,,,,,,,,,,,"))
        == "s.csv:2: target: unknown value 'shares' (one of: side, quantity, equity_fraction, "
           "weight)");
  CHECK(error_of(row("order,side,up,,,,,,,,,,,"))
        == "s.csv:2: side: unknown value 'up' (one of: flat, long, short)");
  CHECK(error_of(row("order,side,long,,,moc,,,,,,,,"))
        == "s.csv:2: type: unknown value 'moc' (one of: market, limit, stop, stop_limit, "
           "trailing_stop, market_on_close)");
  CHECK(error_of(row("order,side,long,,,,,,,,GTC,,,"))
        == "s.csv:2: tif: unknown value 'GTC' (one of: gtc, day, gtd, ioc, fok)");
  CHECK(error_of(row("order,weight,long,,0.5,,,,,,,,,"))
        == "s.csv:2: side: only for target side (the value's sign gives the side)");
}

TEST_CASE("signal rows: a bad number or time names the column and the text", "[signal_rows]") {
  const auto row = [](const char* cells) { return header + cells + "\n"; };
  for (const std::string bad : {"abc", "1.5x", "inf", "nan", "1e999", "0x10"}) {
    INFO(bad);
    CHECK(error_of(row(("2021-01-05,s,SPX,order,side,long,,,limit," + bad + ",,,,,,,").c_str()))
          == "s.csv:2: limit_price: '" + bad + "' is not a finite number");
  }
  CHECK(error_of(row("2021-02-30,s,SPX,order,,,,,,,,,,,,,"))
        == "s.csv:2: time: '2021-02-30' is not a time (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, UTC)");
  CHECK(error_of(row("2021-01-05 24:00:00,s,SPX,order,,,,,,,,,,,,,"))
        == "s.csv:2: time: '2021-01-05 24:00:00' is not a time (YYYY-MM-DD or YYYY-MM-DD "
           "HH:MM:SS, UTC)");
  CHECK(error_of(row("2021-01-05,s,SPX,order,,,,,,,,,,gtd,2021-01-08 9am,,"))
        == "s.csv:2: expire_time: '2021-01-08 9am' is not a time (YYYY-MM-DD or YYYY-MM-DD "
           "HH:MM:SS, UTC)");
  CHECK(error_of(row("2263-01-01,s,SPX,order,,,,,,,,,,,,,"))
        == "s.csv:2: time: '2263-01-01' is not a time (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, UTC)");
  CHECK(error_of(row(",s,SPX,order,,,,,,,,,,,,,"))
        == "s.csv:2: time: '' is not a time (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, UTC)");
}

TEST_CASE("signal rows: a row earlier than the one above it, or without a name, is an error",
          "[signal_rows]") {
  CHECK(error_of(header
                 + "2021-01-06,s,SPX,cancel,,,,,,,,,,,,,\n"
                   "2021-01-06,s,SPX,cancel,,,,,,,,,,,,,\n"
                   "2021-01-05 23:59:59,s,SPX,cancel,,,,,,,,,,,,,\n")
        == "s.csv:4: time: 2021-01-05 23:59:59 is before the row above it (2021-01-06): rows "
           "must be in time order");
  CHECK(error_of(header + "2021-01-05,,SPX,cancel,,,,,,,,,,,,,\n") == "s.csv:2: strategy: empty");
  CHECK(error_of(header + "2021-01-05,s,,cancel,,,,,,,,,,,,,\n") == "s.csv:2: symbol: empty");
}
