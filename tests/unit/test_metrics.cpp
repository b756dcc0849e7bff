#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "runtime/metrics/metrics.hpp"

using namespace admf;

namespace {

Approx close_to(double v) { return Approx(v).epsilon(1e-12).margin(1e-15); }

metrics_accumulator accumulator(double capital, double periods_per_year, double risk_free = 0) {
  return metrics_accumulator(capital, metrics_config{periods_per_year, risk_free},
                             time_format::date);
}

/// Midnight UTC of 2000-01-03 + `day` days.
timestamp day(int day) { return *parse_timestamp("2000-01-03") + day * ns_per_day; }

event make_event(event_type type, event_payload payload) {
  event_stamper stamper(1, 7);
  return stamper.make(type, 0, 0, std::move(payload));
}

} // namespace

TEST_CASE("metrics of a hand-worked equity curve", "[metrics]") {
  // E0 = 100, then 110, 99, 108.9 -> returns r = .1, -.1, .1 (N = 3).
  // periods_per_year = 6 keeps the annualisation exact: N/ppy = half a year.
  auto acc = accumulator(100, 6);
  acc.on_equity(0, 110, true);
  acc.on_equity(0, 99, true);
  acc.on_equity(0, 108.9, false);
  const auto m = acc.report();

  CHECK(m.bars == 3);
  CHECK(m.final_equity == 108.9);
  // 108.9 / 100 - 1
  CHECK(m.total_return == close_to(0.089));
  // (108.9/100)^(6/3) - 1 = 1.089^2 - 1 = 1.185921 - 1
  REQUIRE(m.cagr);
  CHECK(*m.cagr == close_to(0.185921));
  // mean = .1/3 = 1/30; deviations 2/30, -4/30, 2/30; sample var = (4+16+4)/900/2 = 1/75.
  // sharpe = (1/30) / sqrt(1/75) * sqrt(6) = sqrt(75*6)/30 = sqrt(450)/30 = 1/sqrt(2).
  REQUIRE(m.sharpe);
  CHECK(*m.sharpe == close_to(1 / std::sqrt(2.0)));
  // downside_dev = sqrt((0 + .01 + 0) / 3) = .1/sqrt(3);
  // sortino = (1/30) / (.1/sqrt(3)) * sqrt(6) = sqrt(3)/3 * sqrt(6) = sqrt(2).
  REQUIRE(m.sortino);
  CHECK(*m.sortino == close_to(std::sqrt(2.0)));
  // peak 110 at bar 1; 99 is (110-99)/110 = .1 below it; 108.9 only .01 below.
  CHECK(m.max_drawdown == close_to(0.1));
  // calmar = .185921 / .1
  REQUIRE(m.calmar);
  CHECK(*m.calmar == close_to(1.85921));
  // exposed on 2 of 3 bars
  CHECK(m.exposure == close_to(2.0 / 3.0));
}

TEST_CASE("sharpe and sortino scale by sqrt(periods_per_year)", "[metrics]") {
  // Same curve as above with 252 periods: sharpe = sqrt(75*252)/30, sortino = sqrt(3)/3*sqrt(252).
  auto acc = accumulator(100, 252);
  for (double e : {110.0, 99.0, 108.9}) acc.on_equity(0, e, false);
  const auto m = acc.report();
  REQUIRE(m.sharpe);
  CHECK(*m.sharpe == close_to(std::sqrt(75.0 * 252.0) / 30));
  REQUIRE(m.sortino);
  CHECK(*m.sortino == close_to(std::sqrt(3.0) / 3 * std::sqrt(252.0)));
  // cagr = 1.089^(252/3) - 1 = 1.089^84 - 1
  REQUIRE(m.cagr);
  CHECK(*m.cagr == close_to(std::pow(1.089, 84) - 1));
  CHECK(m.exposure == 0);
}

TEST_CASE("max drawdown is measured from the running peak", "[metrics]") {
  // E0 = 100, then 120, 90, 130, 104, 125.
  // running peak: 120, 120, 130, 130, 130
  // drawdown:     0, 30/120 = .25, 0, 26/130 = .2, 5/130
  // Not from E0 (that would give .1) and not from the last peak only (that gives .2).
  auto acc = accumulator(100, 252);
  for (double e : {120.0, 90.0, 130.0, 104.0, 125.0}) acc.on_equity(0, e, true);
  CHECK(acc.report().max_drawdown == close_to(0.25));
}

TEST_CASE("the initial capital is the first peak", "[metrics]") {
  // E0 = 100, then 80, 90: peak stays 100, worst is (100-80)/100 = .2.
  auto acc = accumulator(100, 252);
  acc.on_equity(0, 80, true);
  acc.on_equity(0, 90, true);
  const auto m = acc.report();
  CHECK(m.max_drawdown == close_to(0.2));
  CHECK(m.total_return == close_to(-0.1));
}

TEST_CASE("a curve that never falls has zero drawdown and no calmar", "[metrics]") {
  // E0 = 100, then 100, 101, 103: returns 0, .01, ~.0198; no negative return.
  auto acc = accumulator(100, 252);
  for (double e : {100.0, 101.0, 103.0}) acc.on_equity(0, e, true);
  const auto m = acc.report();
  CHECK(m.max_drawdown == 0);
  CHECK_FALSE(m.calmar);
  CHECK_FALSE(m.sortino);  // downside deviation is 0
  CHECK(m.sharpe);
  CHECK(m.cagr);
}

TEST_CASE("win rate and profit factor from round trips", "[metrics]") {
  // pnl 50, -20, 30, -10, 0: trades 5, wins 2 (a flat trade is not a win) -> .4;
  // gross profit 80, gross loss 30 -> profit factor 80/30.
  auto acc = accumulator(1000, 252);
  for (double pnl : {50.0, -20.0, 30.0, -10.0, 0.0}) acc.on_round_trip(pnl);
  const auto m = acc.report();
  CHECK(m.trades == 5);
  REQUIRE(m.win_rate);
  CHECK(*m.win_rate == close_to(0.4));
  REQUIRE(m.profit_factor);
  CHECK(*m.profit_factor == close_to(80.0 / 30.0));
  // Round trips do not move the equity curve: that comes only from on_equity.
  CHECK(m.bars == 0);
  CHECK(m.final_equity == 1000);
}

TEST_CASE("only winning trades leave profit factor undefined", "[metrics]") {
  auto acc = accumulator(1000, 252);
  acc.on_round_trip(5);
  acc.on_round_trip(7);
  const auto m = acc.report();
  REQUIRE(m.win_rate);
  CHECK(*m.win_rate == 1.0);
  CHECK_FALSE(m.profit_factor);
}

TEST_CASE("an empty run has only the defined metrics", "[metrics]") {
  const auto m = accumulator(5000, 252).report();
  CHECK(m.final_equity == 5000);
  CHECK(m.total_return == 0);
  CHECK_FALSE(m.cagr);
  CHECK_FALSE(m.sharpe);
  CHECK_FALSE(m.sortino);
  CHECK(m.max_drawdown == 0);
  CHECK_FALSE(m.calmar);
  CHECK_FALSE(m.win_rate);
  CHECK_FALSE(m.profit_factor);
  CHECK(m.trades == 0);
  CHECK(m.exposure == 0);
  CHECK(m.bars == 0);
}

TEST_CASE("one bar: sharpe needs two returns, sortino does not", "[metrics]") {
  // E0 = 100, then 90: r = -.1; downside_dev = .1, sortino = -.1/.1 * sqrt(4) = -2.
  auto acc = accumulator(100, 4);
  acc.on_equity(0, 90, false);
  const auto m = acc.report();
  CHECK_FALSE(m.sharpe);
  REQUIRE(m.sortino);
  CHECK(*m.sortino == close_to(-2));
  // cagr = .9^(4/1) - 1 = .6561 - 1
  REQUIRE(m.cagr);
  CHECK(*m.cagr == close_to(-0.3439));
}

TEST_CASE("a flat curve has zero volatility: no sharpe", "[metrics]") {
  auto acc = accumulator(100, 252);
  for (int i = 0; i < 4; ++i) acc.on_equity(0, 100, false);
  const auto m = acc.report();
  CHECK_FALSE(m.sharpe);
  CHECK_FALSE(m.sortino);
  REQUIRE(m.cagr);
  CHECK(*m.cagr == 0);
}

TEST_CASE("an equity of 0 is ruin: no statistic built from returns", "[metrics][ruin]") {
  // E0 = 100, then 50, 0: drawdown 1, but (0/100)^(ppy/N) is not a growth rate, and
  // the return after a 0 would divide by it.
  auto acc = accumulator(100, 252);
  acc.on_equity(day(0), 50, true);
  acc.on_equity(day(1), 0, true);
  const auto m = acc.report();
  CHECK_FALSE(m.cagr);
  CHECK_FALSE(m.sharpe);
  CHECK_FALSE(m.sortino);
  CHECK_FALSE(m.calmar);
  CHECK(m.max_drawdown == close_to(1));
  CHECK(m.total_return == close_to(-1));
  REQUIRE(m.ruined_at);
  CHECK(*m.ruined_at == day(1));
}

TEST_CASE("ruin stays ruin, whatever the equity does after it", "[metrics][ruin]") {
  // E0 = 100, then 110, 99, -5 (ruin, day 2), -10, 20.
  // From -5 to -10 the "return" would be -10/-5 - 1 = +1: a loss that looks like a
  // gain. Sign-flipped returns must never reach a Sharpe: all return statistics null.
  // Drawdown: peak 110; (110 - -10)/110 = 1.09 is more than all of it: capped at 1.
  // total_return = 20/100 - 1 = -.8 still holds: it compares two equities only.
  auto acc = accumulator(100, 252);
  const double curve[] = {110, 99, -5, -10, 20};
  for (int i = 0; i < 5; ++i)
    acc.on_equity(day(i), curve[i], true);
  const auto m = acc.report();
  REQUIRE(m.ruined_at);
  CHECK(*m.ruined_at == day(2));
  CHECK_FALSE(m.cagr);
  CHECK_FALSE(m.sharpe);
  CHECK_FALSE(m.sortino);
  CHECK_FALSE(m.calmar);
  CHECK(m.max_drawdown == 1);
  CHECK(m.final_equity == 20);
  CHECK(m.total_return == close_to(-0.8));
  CHECK(m.bars == 5);
  CHECK(m.exposure == 1);
  const std::string json = m.to_json();
  CHECK(json.find("  \"sharpe\": null,\n") != std::string::npos);
  CHECK(json.find("  \"max_drawdown\": 1,\n") != std::string::npos);
  CHECK(json.find("  \"ruined\": true,\n  \"ruined_at\": \"2000-01-05\"\n}\n")
        != std::string::npos);
}

TEST_CASE("a curve that stays above 0 is not ruined", "[metrics][ruin]") {
  // E0 = 100, then 1, 0.5: a 99.5 % loss, but never <= 0: every statistic defined.
  auto acc = accumulator(100, 252);
  acc.on_equity(day(0), 1, true);
  acc.on_equity(day(1), 0.5, true);
  const auto m = acc.report();
  CHECK_FALSE(m.ruined_at);
  CHECK(m.sharpe);
  CHECK(m.cagr);
  CHECK(m.max_drawdown == close_to(0.995));
  CHECK(m.to_json().find("  \"ruined\": false,\n  \"ruined_at\": null\n}\n")
        != std::string::npos);
}

TEST_CASE("sharpe and sortino are of the returns in excess of the risk-free rate",
          "[metrics][risk_free]") {
  // E0 = 100, then 110, 99, 108.9: r = .1, -.1, .1. P = 4 and rf = 1.01^4 - 1 = .04060401,
  // so rf_p = (1 + rf)^(1/4) - 1 = .01 and the excess returns are x = .09, -.11, .09.
  // mean(x) = .07/3 = 7/300; deviations 20/300, -40/300, 20/300;
  // sample var = (400 + 1600 + 400)/90000/2 = 1/75 (as without rf: a shift keeps it).
  // sharpe = (7/300) / sqrt(1/75) * sqrt(4) = 14 sqrt(75)/300 = 7 sqrt(3)/30 (= .4041).
  // downside dev = sqrt(.11^2 / 3) = .11/sqrt(3);
  // sortino = (7/300) / (.11/sqrt(3)) * 2 = 14 sqrt(3)/33 (= .7348).
  // cagr compounds the equity only: 1.089^(4/3) - 1, rf or not.
  auto acc = accumulator(100, 4, 1.01 * 1.01 * 1.01 * 1.01 - 1);
  for (double e : {110.0, 99.0, 108.9}) acc.on_equity(0, e, false);
  const auto m = acc.report();
  REQUIRE(m.sharpe);
  CHECK(*m.sharpe == close_to(7 * std::sqrt(3.0) / 30));
  REQUIRE(m.sortino);
  CHECK(*m.sortino == close_to(14 * std::sqrt(3.0) / 33));
  REQUIRE(m.cagr);
  CHECK(*m.cagr == close_to(std::pow(1.089, 4.0 / 3.0) - 1));
}

TEST_CASE("observe routes portfolio updates and position closes", "[metrics]") {
  auto acc = accumulator(100, 252);
  portfolio_update_data flat{};
  flat.equity = 100;
  flat.cash = 100;
  portfolio_update_data invested{};
  invested.equity = 110;
  invested.gross_exposure = 60;
  position_data closed{};
  closed.pnl = -3;
  position_data opened{};
  opened.pnl = 99;  // must not be counted: only POSITION_CLOSE is a round trip

  acc.observe(make_event(event_type::portfolio_update, flat));
  acc.observe(make_event(event_type::portfolio_update, invested));
  acc.observe(make_event(event_type::position_open, opened));
  acc.observe(make_event(event_type::position_close, closed));
  acc.observe(make_event(event_type::bar, bar_data{0, 1, 2, 0.5, 1.5, 10}));
  fill_data fill{};
  fill.price = 42;
  acc.observe(make_event(event_type::fill, fill));

  const auto m = acc.report();
  CHECK(m.bars == 2);
  CHECK(m.final_equity == 110);
  CHECK(m.exposure == close_to(0.5));  // gross_exposure > 0 on 1 of 2 updates
  CHECK(m.trades == 1);
  REQUIRE(m.win_rate);
  CHECK(*m.win_rate == 0);
  REQUIRE(m.profit_factor);  // one loss, no profit: 0 / 3
  CHECK(*m.profit_factor == 0);
}

TEST_CASE("to_json writes every key in the fixed order", "[metrics][json]") {
  metrics_report m;
  m.final_equity = 123456.789;
  m.total_return = 0.1;
  m.cagr = 1e-7;
  m.sharpe = -1.5;
  // sortino left undefined
  m.max_drawdown = 0.25;
  m.calmar = std::nullopt;
  m.win_rate = 0.5;
  m.profit_factor = 2;
  m.trades = 3;
  m.exposure = 0.75;
  m.bars = 252;
  m.cancelled = {{"zero_quantity", 2}, {"insufficient_cash", 1}};
  m.open_positions = 1;
  m.unrealized_pnl = -12.5;
  m.borrow_fees = 1.5;
  m.dividends = -0.75;
  CHECK(m.to_json() ==
        "{\n"
        "  \"final_equity\": 123456.789,\n"
        "  \"total_return\": 0.1,\n"
        "  \"cagr\": 1e-07,\n"
        "  \"sharpe\": -1.5,\n"
        "  \"sortino\": null,\n"
        "  \"max_drawdown\": 0.25,\n"
        "  \"calmar\": null,\n"
        "  \"win_rate\": 0.5,\n"
        "  \"profit_factor\": 2,\n"
        "  \"trades\": 3,\n"
        "  \"exposure\": 0.75,\n"
        "  \"bars\": 252,\n"
        "  \"cancelled\": {\"insufficient_cash\": 1, \"zero_quantity\": 2},\n"
        "  \"rejected\": {},\n"
        "  \"liquidations\": 0,\n"
        "  \"open_positions\": 1,\n"
        "  \"unrealized_pnl\": -12.5,\n"
        "  \"borrow_fees\": 1.5,\n"
        "  \"dividends\": -0.75,\n"
        "  \"ruined\": false,\n"
        "  \"ruined_at\": null\n"
        "}\n");
  m.ruined_at = *parse_timestamp("2008-10-10 14:30");
  CHECK(m.to_json().find("\"ruined\": true,\n  \"ruined_at\": \"2008-10-10 14:30:00\"\n")
        != std::string::npos);
}

TEST_CASE("to_json doubles are the shortest text that round-trips", "[metrics][json]") {
  metrics_report m;
  m.final_equity = 0.1 + 0.2;  // 0.30000000000000004: needs all 17 digits
  m.total_return = 1.0 / 3.0;
  m.cagr = std::nextafter(1.0, 2.0);  // 1 + 2^-52
  const std::string json = m.to_json();

  auto value_of = [&](const std::string& key) {
    const auto at = json.find("\"" + key + "\": ");
    REQUIRE(at != std::string::npos);
    const auto begin = at + key.size() + 4;
    return json.substr(begin, json.find_first_of(",\n", begin) - begin);
  };
  CHECK(value_of("final_equity") == "0.30000000000000004");
  CHECK(std::strtod(value_of("total_return").c_str(), nullptr) == m.total_return);
  CHECK(value_of("total_return") == "0.3333333333333333");
  CHECK(std::strtod(value_of("cagr").c_str(), nullptr) == *m.cagr);
  CHECK(value_of("cagr") == "1.0000000000000002");
}

TEST_CASE("to_json of a computed report parses back to the same values", "[metrics][json]") {
  auto acc = accumulator(100, 252);
  for (double e : {110.0, 99.0, 108.9}) acc.on_equity(0, e, true);
  acc.on_round_trip(1);
  acc.on_round_trip(-2);
  const auto m = acc.report();
  const std::string json = m.to_json();
  const std::vector<std::pair<std::string, double>> expected = {
    {"final_equity", m.final_equity}, {"total_return", m.total_return},
    {"cagr", *m.cagr},                {"sharpe", *m.sharpe},
    {"sortino", *m.sortino},          {"max_drawdown", m.max_drawdown},
    {"calmar", *m.calmar},            {"win_rate", *m.win_rate},
    {"profit_factor", *m.profit_factor}, {"exposure", m.exposure},
  };
  for (const auto& [key, value] : expected) {
    INFO(key);
    const auto at = json.find("\"" + key + "\": ");
    REQUIRE(at != std::string::npos);
    CHECK(std::strtod(json.c_str() + at + key.size() + 4, nullptr) == value);
  }
}

TEST_CASE("to_json writes non-finite values as null to stay valid JSON", "[metrics][json]") {
  metrics_report m;
  m.total_return = std::numeric_limits<double>::quiet_NaN();
  m.sortino = std::numeric_limits<double>::infinity();
  const std::string json = m.to_json();
  CHECK(json.find("\"total_return\": null,") != std::string::npos);
  CHECK(json.find("\"sortino\": null,") != std::string::npos);
}

TEST_CASE("metrics count cancels and rejects by reason, liquidations and open positions, "
          "and sum borrow fees",
          "[metrics]") {
  metrics_accumulator acc(1000, {}, time_format::date);
  auto with = [](event_type t, event_payload p) {
    event e;
    e.header.type = t;
    e.payload = std::move(p);
    return e;
  };
  order_cancel_data cut;
  cut.reason = cancel_reason::insufficient_cash;
  acc.observe(with(event_type::order_cancel, cut));
  acc.observe(with(event_type::order_cancel, cut));
  order_cancel_data none;
  none.reason = cancel_reason::zero_quantity;
  acc.observe(with(event_type::order_cancel, none));
  risk_reject_data halt;
  halt.reason = reject_reason::account_ruined;
  acc.observe(with(event_type::risk_reject, halt));
  acc.observe(with(event_type::liquidation, liquidation_data{}));
  position_data a, b, closed;
  a.pnl = 150.25;
  b.pnl = -50;
  b.borrow_fee = 2.25;       // an open short's fees so far
  closed.borrow_fee = 1.5;   // and a closed one's
  a.dividends = 4;           // an open long's dividends so far
  closed.dividends = -1.25;  // a closed short paid
  acc.observe(with(event_type::position_snapshot, a));
  acc.observe(with(event_type::position_snapshot, b));
  acc.observe(with(event_type::position_close, closed));
  const auto m = acc.report();
  CHECK(m.cancelled == std::map<std::string, std::uint64_t>{{"insufficient_cash", 2},
                                                             {"zero_quantity", 1}});
  CHECK(m.rejected == std::map<std::string, std::uint64_t>{{"account_ruined", 1}});
  CHECK(m.liquidations == 1);
  CHECK(m.open_positions == 2);
  CHECK(m.unrealized_pnl == 100.25);
  CHECK(m.borrow_fees == 3.75);
  CHECK(m.dividends == 2.75);
  CHECK(m.trades == 1);  // the closed one: an open position is not a round trip
}
