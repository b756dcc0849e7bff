#include <catch2/catch.hpp>

#include "actors/portfolio/portfolio_book.hpp"
#include "runtime/core/time.hpp"

using namespace admf;

namespace {

fill_data fill(side s, double qty, double price, double commission = 0) {
  fill_data f;
  f.strategy = 3;
  f.symbol = 0;
  f.action = s;
  f.quantity = qty;
  f.price = price;
  f.commission = commission;
  return f;
}

} // namespace

TEST_CASE("a round trip: open, mark, close with pnl net of commissions") {
  portfolio_book book{1000};
  auto opened = book.apply(fill(side::buy, 10, 50, 1), 100, 7);
  REQUIRE(opened.size() == 1);
  CHECK(opened[0].first == event_type::position_open);
  CHECK(opened[0].second.trade_id == 7);
  CHECK(book.cash() == 1000 - 500 - 1);
  book.mark(0, 60);
  CHECK(book.equity() == Approx(499 + 600));
  CHECK(book.gross_exposure() == Approx(600));
  auto closed = book.apply(fill(side::sell, 10, 55, 1), 200, 7);
  REQUIRE(closed.size() == 1);
  CHECK(closed[0].first == event_type::position_close);
  CHECK(closed[0].second.pnl == Approx(50 - 2));
  CHECK(closed[0].second.entry_time == 100);
  CHECK(closed[0].second.exit_price == 55);
  CHECK(book.find(3, 0) == nullptr);
  CHECK(book.cash() == Approx(1000 + 50 - 2));
}

TEST_CASE("adding to a position averages its entry, a partial exit keeps it open") {
  portfolio_book book{10000};
  book.apply(fill(side::buy, 10, 50), 1, 1);
  CHECK(book.apply(fill(side::buy, 10, 70), 2, 1).empty());
  REQUIRE(book.find(3, 0));
  CHECK(book.find(3, 0)->entry_price == Approx(60));
  CHECK(book.apply(fill(side::sell, 5, 80), 3, 1).empty());
  CHECK(book.find(3, 0)->quantity == 15);
  auto closed = book.apply(fill(side::sell, 15, 40), 4, 1);
  REQUIRE(closed.size() == 1);
  CHECK(closed[0].second.pnl == Approx(5 * 20 - 15 * 20));
}

TEST_CASE("a fill larger than the position flips it: close, then open the other side") {
  portfolio_book book{10000};
  book.apply(fill(side::buy, 10, 50), 1, 1);
  auto flipped = book.apply(fill(side::sell, 15, 60), 2, 2);
  REQUIRE(flipped.size() == 2);
  CHECK(flipped[0].first == event_type::position_close);
  CHECK(flipped[0].second.pnl == Approx(100));
  CHECK(flipped[1].first == event_type::position_open);
  CHECK(flipped[1].second.quantity == -5);
  CHECK(flipped[1].second.trade_id == 2);
}

TEST_CASE("the peak follows the highest equity seen at updates") {
  portfolio_book book{1000};
  book.apply(fill(side::buy, 10, 50), 1, 1);
  book.mark(0, 80);
  CHECK(book.update(9).equity == Approx(1300));
  book.mark(0, 40);
  CHECK(book.update(9).equity == Approx(900));
  CHECK(book.peak() == Approx(1300));
}

namespace {

timestamp at(const char* text) { return *parse_timestamp(text); }

/// Symbol 0's annual borrow fee.
std::vector<execution_config> borrow_rate(double rate) {
  std::vector<execution_config> costs(1);
  costs[0].borrow_fee = rate;
  return costs;
}

}  // namespace

TEST_CASE("borrow fee: a short held over a weekend pays 3 days on Friday's close") {
  // Short 100 at 50 on Friday 2021-01-08, which closes at 50; 3.6 % a year. At Monday's
  // close: 100 x 50 x 0.036 x 3 / 360 = 1.50, from cash, into the round trip's costs.
  portfolio_book book{10000};
  const auto rate = borrow_rate(0.036);
  book.accrue_borrow(at("2021-01-08"), rate);  // the first close: nothing held before it
  book.apply(fill(side::sell, 100, 50), at("2021-01-08"), 1);
  book.mark(0, 50);
  CHECK(book.cash() == 15000);
  book.accrue_borrow(at("2021-01-11"), rate);
  CHECK(book.cash() == Approx(15000 - 1.5).margin(1e-9));
  CHECK(book.find(3, 0)->borrow_fee == Approx(1.5).margin(1e-9));
  // Monday closes at 40; Tuesday's close owes one day on 100 x 40: 0.40.
  book.mark(0, 40);
  book.accrue_borrow(at("2021-01-12"), rate);
  CHECK(book.cash() == Approx(15000 - 1.9).margin(1e-9));
  // Covered at 45 on Tuesday: pnl 100 x (50 - 45) - 1.90 = 498.10.
  const auto closed = book.apply(fill(side::buy, 100, 45), at("2021-01-12"), 1);
  REQUIRE(closed.size() == 1);
  CHECK(closed[0].second.borrow_fee == Approx(1.9).margin(1e-9));
  CHECK(closed[0].second.pnl == Approx(498.1).margin(1e-9));
  CHECK(book.cash() == Approx(10000 + 498.1).margin(1e-9));
}

TEST_CASE("borrow fee: only shorts held over the previous close pay, and long positions never") {
  portfolio_book book{100000};
  const auto rate = borrow_rate(0.072);
  book.accrue_borrow(at("2021-03-01"), rate);
  book.apply(fill(side::buy, 10, 100), at("2021-03-01"), 1);  // a long: no fee
  book.mark(0, 100);
  book.accrue_borrow(at("2021-03-02"), rate);
  CHECK(book.cash() == 99000);
  // Flipped to short 20 at 100 on 03-02: opened after that close's fees, it pays from the
  // next: 20 x 100 x 0.072 / 360 = 0.40 a day; 03-03 to 03-05 is 2 days, 0.80.
  book.apply(fill(side::sell, 30, 100), at("2021-03-02"), 2);
  book.accrue_borrow(at("2021-03-03"), rate);
  book.accrue_borrow(at("2021-03-05"), rate);
  CHECK(book.find(3, 0)->borrow_fee == Approx(1.2).margin(1e-9));
  CHECK(book.cash() == Approx(99000 + 3000 - 1.2).margin(1e-9));
}

TEST_CASE("borrow fee: intraday closes pay per UTC day crossed, at no rate nothing") {
  portfolio_book book{10000};
  const auto rate = borrow_rate(0.036);
  book.accrue_borrow(at("2021-01-04 15:00"), rate);
  book.apply(fill(side::sell, 100, 50), at("2021-01-04 15:00"), 1);
  book.mark(0, 50);
  book.accrue_borrow(at("2021-01-04 16:00"), rate);  // the same day: nothing yet
  CHECK(book.cash() == 15000);
  book.mark(0, 60);
  book.accrue_borrow(at("2021-01-05 15:00"), rate);  // a day on the last close, 60: 0.60
  CHECK(book.cash() == Approx(15000 - 0.6).margin(1e-9));
  book.accrue_borrow(at("2021-01-06 15:00"), borrow_rate(0));
  CHECK(book.cash() == Approx(15000 - 0.6).margin(1e-9));
}

TEST_CASE("borrow fee: owed whatever the equity") {
  // Short 10 at 100 with 10 of capital; at 110 equity is 10 + 1000 - 1100 = -90, and the
  // fee still accrues: 10 x 110 x 3.6 / 360 x 1 day = 11.
  portfolio_book book{10};
  const auto rate = borrow_rate(3.6);
  book.accrue_borrow(at("2021-01-04"), rate);
  book.apply(fill(side::sell, 10, 100), at("2021-01-04"), 1);
  book.mark(0, 110);
  book.accrue_borrow(at("2021-01-05"), rate);
  CHECK(book.cash() == Approx(1010 - 11).margin(1e-9));
  CHECK(book.equity() == Approx(-101).margin(1e-9));
}
