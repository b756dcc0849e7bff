#include <catch2/catch.hpp>

#include "actors/risk/risk_rules.hpp"

using namespace admf;

namespace {

order_proposal entry(double budget) {
  order_proposal p;
  p.order.budget = budget;
  p.reference_price = 10;
  return p;
}

} // namespace

TEST_CASE("within limits a budget order passes unchanged") {
  reservations reserved;
  auto v = judge(entry(1000), {1000, 1000, 0, 1000}, risk_config{}, account_type::cash, reserved);
  REQUIRE(std::holds_alternative<order_data>(v));
  CHECK(std::get<order_data>(v).budget == 1000);
  CHECK(reserved.exposure == 1000);
  CHECK(reserved.buying_power == 1000);
}

TEST_CASE("max position size caps the budget to its share of equity") {
  reservations reserved;
  risk_config limits;
  limits.max_position_size = 0.25;
  auto v = judge(entry(1000), {1000, 1000, 0, 1000}, limits, account_type::cash, reserved);
  REQUIRE(std::holds_alternative<order_data>(v));
  CHECK(std::get<order_data>(v).budget == Approx(250));
}

TEST_CASE("an explicit quantity over the position limit is rejected with the reason") {
  reservations reserved;
  risk_config limits;
  limits.max_position_size = 0.1;
  auto p = entry(0);
  p.order.quantity = 20;  // 200 of 1000 equity
  auto v = judge(p, {1000, 1000, 0, 1000}, limits, account_type::cash, reserved);
  REQUIRE(std::holds_alternative<risk_reject_data>(v));
  const auto& r = std::get<risk_reject_data>(v);
  CHECK(r.reason == reject_reason::max_position_size);
  CHECK(r.limit == 0.1);
  CHECK(r.observed == Approx(0.2));
}

TEST_CASE("gross exposure counts what was approved earlier at the same time") {
  reservations reserved;
  risk_config limits;
  limits.max_gross_exposure = 0.5;
  portfolio_snapshot s{1000, 1000, 0, 1000};
  auto first = judge(entry(400), s, limits, account_type::cash, reserved);
  auto second = judge(entry(400), s, limits, account_type::cash, reserved);
  auto third = judge(entry(400), s, limits, account_type::cash, reserved);
  CHECK(std::get<order_data>(first).budget == 400);
  CHECK(std::get<order_data>(second).budget == Approx(100));
  REQUIRE(std::holds_alternative<risk_reject_data>(third));
  CHECK(std::get<risk_reject_data>(third).reason == reject_reason::max_gross_exposure);
}

TEST_CASE("an exit frees its exposure for an entry judged after it (a flip)") {
  reservations reserved;
  risk_config limits;
  portfolio_snapshot s{1000, 1000, 1000, 0};  // fully invested: no room
  auto blocked = judge(entry(500), s, limits, account_type::cash, reserved);
  REQUIRE(std::holds_alternative<risk_reject_data>(blocked));
  auto exit = entry(0);
  exit.exit = true;
  exit.order.quantity = 100;
  exit.position_value = 1000;
  CHECK(std::holds_alternative<order_data>(judge(exit, s, limits, account_type::cash, reserved)));
  auto flipped = judge(entry(500), s, limits, account_type::cash, reserved);
  REQUIRE(std::holds_alternative<order_data>(flipped));
  CHECK(std::get<order_data>(flipped).budget == 500);
}

TEST_CASE("a drawdown beyond the limit halts entries but not exits") {
  reservations reserved;
  risk_config limits;
  limits.max_drawdown = 0.2;
  portfolio_snapshot s{750, 1000, 0, 750};
  auto v = judge(entry(100), s, limits, account_type::cash, reserved);
  REQUIRE(std::holds_alternative<risk_reject_data>(v));
  CHECK(std::get<risk_reject_data>(v).reason == reject_reason::max_drawdown_halt);
  CHECK(std::get<risk_reject_data>(v).observed == Approx(0.25));
  auto exit = entry(0);
  exit.exit = true;
  exit.order.quantity = 5;
  CHECK(std::holds_alternative<order_data>(judge(exit, s, limits, account_type::cash, reserved)));
}

TEST_CASE("budgets are capped to the buying power earlier proposals left, a capped one "
          "reserves only what it got") {
  reservations reserved;
  risk_config limits;
  limits.max_position_size = 0.4;
  portfolio_snapshot s{1000, 1000, 0, 1000};
  // Two symbols with the whole allocation each: each capped to 400 (position size), so
  // 200 of buying power stays free.
  auto a = judge(entry(1000), s, limits, account_type::cash, reserved);
  auto b = judge(entry(1000), s, limits, account_type::cash, reserved);
  CHECK(std::get<order_data>(a).budget == Approx(400));
  CHECK(std::get<order_data>(b).budget == Approx(400));
  CHECK(reserved.buying_power == Approx(800));
  // With 300 of buying power the second gets the 100 left, a third nothing: rejected
  // with what was available and what it wanted.
  reservations r2;
  portfolio_snapshot poor{1000, 1000, 0, 300};
  CHECK(std::get<order_data>(judge(entry(200), poor, risk_config{}, account_type::cash, r2)).budget
        == 200);
  CHECK(std::get<order_data>(judge(entry(200), poor, risk_config{}, account_type::cash, r2)).budget
        == 100);
  auto none = judge(entry(200), poor, risk_config{}, account_type::cash, r2);
  REQUIRE(std::holds_alternative<risk_reject_data>(none));
  CHECK(std::get<risk_reject_data>(none).reason == reject_reason::insufficient_cash);
  auto margin = judge(entry(200), poor, risk_config{}, account_type::margin, r2);
  CHECK(std::get<risk_reject_data>(margin).reason == reject_reason::insufficient_margin);
  CHECK(std::get<risk_reject_data>(none).limit == 0);
  CHECK(std::get<risk_reject_data>(none).observed == 200);
}

TEST_CASE("a cash account does not sell short, a margin account may") {
  reservations reserved;
  auto shorting = entry(500);
  shorting.order.action = side::sell;
  portfolio_snapshot s{1000, 1000, 0, 1000};
  auto cash = judge(shorting, s, risk_config{}, account_type::cash, reserved);
  REQUIRE(std::holds_alternative<risk_reject_data>(cash));
  CHECK(std::get<risk_reject_data>(cash).reason == reject_reason::short_sale);
  CHECK(std::holds_alternative<order_data>(
    judge(shorting, s, risk_config{}, account_type::margin, reserved)));
}
