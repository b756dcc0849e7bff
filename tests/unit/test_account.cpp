// The account's rules as pure functions (actors/portfolio/account.hpp), and lot sizes
// (actors/execution/fill_model.hpp), with hand-worked values.
#include <catch2/catch.hpp>

#include "actors/execution/fill_model.hpp"
#include "actors/portfolio/account.hpp"

using namespace admf;

namespace {

fill_data entry(side s, double qty, double price, symbol_id symbol = 1) {
  fill_data f;
  f.strategy = 3;
  f.symbol = symbol;
  f.action = s;
  f.quantity = qty;
  f.price = price;
  return f;
}

struct rules_fixture {
  account_config account;
  risk_config risk;
  commission_config commission;
  instrument_config instrument;
  entry_rules rules() const { return {account, risk, commission, instrument}; }
};

}  // namespace

TEST_CASE("account: a cash account takes an entry up to its cash, in whole lots", "[account]") {
  rules_fixture r;
  portfolio_book book{10000};
  // 100 @ 100 costs 10,000: all of it.
  auto all = admit_entry(book, entry(side::buy, 100, 100), 100, r.rules());
  CHECK(all.quantity == 100);
  CHECK(!all.cut);
  // 150 would cost 15,000: cut to 100, because of cash.
  auto cut = admit_entry(book, entry(side::buy, 150, 100), 150, r.rules());
  CHECK(cut.quantity == 100);
  CHECK(cut.cut == cancel_reason::insufficient_cash);
  // With a commission of 5 per order: 99 @ 100 + 5 = 9,905 fits, 100 would be 10,005.
  r.commission.minimum = 5;
  CHECK(admit_entry(book, entry(side::buy, 150, 100), 150, r.rules()).quantity == 99);
  // Reject policy: all or nothing.
  r.account.on_shortfall = shortfall_policy::reject;
  auto none = admit_entry(book, entry(side::buy, 150, 100), 150, r.rules());
  CHECK(none.quantity == 0);
  CHECK(none.cut == cancel_reason::insufficient_cash);
}

TEST_CASE("account: limits are checked with other positions at their last close", "[account]") {
  rules_fixture r;
  portfolio_book book{10000};
  book.apply(entry(side::buy, 40, 100, 0), 1, 1);  // 4,000 in symbol 0; cash 6,000
  book.mark(0, 150);                                // now worth 6,000: equity 12,000
  // Cash 6,000 buys 60 @ 100 of symbol 1. max_gross_exposure 0.75 x 12,000 = 9,000
  // leaves 3,000 next to the 6,000 held: 30.
  r.risk.max_gross_exposure = 0.75;
  auto gross = admit_entry(book, entry(side::buy, 60, 100), 60, r.rules());
  CHECK(gross.quantity == 30);
  CHECK(gross.cut == cancel_reason::max_gross_exposure);
  // max_position_size 0.2 x 12,000 = 2,400: 24 (60 would pass cash and gross exposure).
  r.risk.max_gross_exposure = 1;
  r.risk.max_position_size = 0.2;
  auto position = admit_entry(book, entry(side::buy, 60, 100), 60, r.rules());
  CHECK(position.quantity == 24);
  CHECK(position.cut == cancel_reason::max_position_size);
}

TEST_CASE("account: a cash account does not sell short", "[account]") {
  rules_fixture r;
  portfolio_book book{10000};
  auto refused = admit_entry(book, entry(side::sell, 10, 100), 10, r.rules());
  CHECK(refused.quantity == 0);
  CHECK(refused.cut == cancel_reason::short_sale);
}

TEST_CASE("account: short sales need equity besides their proceeds", "[account]") {
  rules_fixture r;
  r.account = {account_type::margin, 1, 0.25, shortfall_policy::cut};
  portfolio_book book{10000};
  // Leverage 1: a short's value may reach the equity, 10,000: 100 @ 100, not 150.
  auto first = admit_entry(book, entry(side::sell, 150, 100), 150, r.rules());
  CHECK(first.quantity == 100);
  CHECK(first.cut == cancel_reason::insufficient_margin);
  book.apply(entry(side::sell, 100, 100), 1, 1);  // cash 20,000 of which 10,000 proceeds
  book.mark(1, 100);
  CHECK(buying_power(book, r.account) == 0);  // 1 x 10,000 - 10,000
  CHECK(admit_entry(book, entry(side::buy, 1, 100, 2), 1, r.rules()).quantity == 0);
  // Leverage 2 (Reg T): 2 x 10,000 - 10,000 = 10,000 more.
  r.account = {account_type::margin, 2, 0.25, shortfall_policy::cut};
  r.risk.max_gross_exposure = 2;
  CHECK(buying_power(book, r.account) == 10000);
  CHECK(admit_entry(book, entry(side::buy, 150, 100, 2), 150, r.rules()).quantity == 100);
}

TEST_CASE("account: an account with no equity takes no entry", "[account]") {
  rules_fixture r;
  r.account = {account_type::margin, 2, 0.25, shortfall_policy::cut};
  portfolio_book book{1000};
  book.apply(entry(side::buy, 20, 100, 0), 1, 1);  // cash -1,000
  book.mark(0, 40);                                 // worth 800: equity -200
  auto none = admit_entry(book, entry(side::buy, 1, 10), 1, r.rules());
  CHECK(none.quantity == 0);
  CHECK(none.cut == cancel_reason::account_ruined);
}

TEST_CASE("account: explicit quantities keep to whole lots and the minimum", "[account]") {
  rules_fixture r;
  portfolio_book book{10000};
  auto odd = admit_entry(book, entry(side::buy, 2.5, 100), 2.5, r.rules());
  CHECK(odd.quantity == 2);
  CHECK(odd.cut == cancel_reason::lot_size);
  r.instrument = {0.0001, 0.5, "", {}, {}};
  // 0.2941 BTC is 2941 lots of 0.0001 exactly (0.2941 / 0.0001 is 2940.9999... in binary).
  CHECK(admit_entry(book, entry(side::buy, 0.2941, 34000), 0.2941, r.rules()).quantity
        == 0.2941);
  // 1 BTC at 34,000 is more than 10,000: 2941 lots = 0.2941, under the minimum of 0.5.
  auto small = admit_entry(book, entry(side::buy, 1, 34000), 1, r.rules());
  CHECK(small.quantity == 0);
  CHECK(small.cut == cancel_reason::below_min_quantity);
}

TEST_CASE("account: liquidation is due on ruin, and on a margin call for margin accounts",
          "[account]") {
  account_config cash;
  account_config margin{account_type::margin, 2, 0.25, shortfall_policy::cut};
  CHECK(!liquidation_due({0, 100, 20000, 120000}, cash));
  auto call = liquidation_due({0, 100, 20000, 120000}, margin);  // 20,000 < 30,000
  REQUIRE(call);
  CHECK(call->reason == liquidation_reason::margin_call);
  CHECK(call->requirement == 30000);
  CHECK(!liquidation_due({0, 100, 30000, 120000}, margin));  // exactly the requirement
  auto ruined = liquidation_due({0, 200000, -50000, 250000}, cash);
  REQUIRE(ruined);
  CHECK(ruined->reason == liquidation_reason::ruined);
  CHECK(!liquidation_due({0, -10, -10, 0}, cash));  // nothing held: nothing to liquidate
}

TEST_CASE("fill model: budgets buy whole lots", "[account][fill_model]") {
  CHECK(lots_in(0.2941, 0.0001) == 2941);
  CHECK(lots_to_units(2941, 0.0001) == 0.2941);
  CHECK(lots_in(7.9, 1) == 7);
  CHECK(lots_in(1.0, 0.3) == 3);  // lots that are not 1/n of a unit: multiples
  CHECK(units_for_budget(10000, 34000, {}) == 0);
  CHECK(units_for_budget(10000, 34000, {}, 0.0001) == 0.2941);
  CHECK(units_for_budget(10000, 34000, {0, 0, 10}, 0.0001) == 0.2938);  // 9,989.2 + 10
  CHECK(units_for_budget(1000, 30, {}, 10) == 30);  // 3 lots of 10
  // 1e9 / 1e-3 / 1e-9 = 1e21 lots: more than doubles count (2^53); capped, not a hang.
  const double huge = units_for_budget(1e9, 1e-3, {}, 1e-9);
  CHECK(huge == lots_to_units(9007199254740992.0, 1e-9));
  CHECK(huge * 1e-3 <= 1e9);
}
