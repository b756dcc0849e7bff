#include <catch2/catch.hpp>

#include "actors/portfolio/portfolio_book.hpp"

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
