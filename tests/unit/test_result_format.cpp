// Numbers and times in result files: one rule each (runtime/results/format.hpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <string>

#include "temp_dir.hpp"

#include "apps/engine/backtest.hpp"
#include "runtime/data/market_data.hpp"
#include "runtime/results/format.hpp"

using namespace admf;

TEST_CASE("numbers: shortest digits, positional in the usual range", "[format]") {
  CHECK(format_double(0.1) == "0.1");
  CHECK(format_double(100000) == "100000");  // not 1e+05, to_chars' shortest
  CHECK(format_double(164421.02) == "164421.02");
  CHECK(format_double(164421.0199999999) == "164421.0199999999");
  CHECK(format_double(0.1 + 0.2) == "0.30000000000000004");
  CHECK(format_double(-2.5e-5) == "-0.000025");
  CHECK(format_double(1e-6) == "0.000001");
  CHECK(format_double(1e20) == "100000000000000000000");
  // The shortest digits padded with zeros, not the double's exact binary value
  // (123456789012345683968), as JavaScript writes it.
  CHECK(format_double(123456789012345680000.0) == "123456789012345680000");
}

TEST_CASE("numbers: an exponent beyond 1e21 and below 1e-6", "[format]") {
  CHECK(format_double(1e21) == "1e+21");
  CHECK(format_double(1e-7) == "1e-07");
  CHECK(format_double(-1.5e-7) == "-1.5e-07");
  CHECK(format_double(5e-324) == "5e-324");  // the smallest subnormal
  CHECK(format_double(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
}

TEST_CASE("numbers: zero is 0, non-finite is empty or null", "[format]") {
  CHECK(format_double(0.0) == "0");
  CHECK(format_double(-0.0) == "0");  // decided: the sign of a zero says nothing in a result
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(format_double(nan).empty());  // an empty CSV field
  CHECK(format_double(-inf).empty());
  CHECK(json_number(inf) == "null");
  CHECK(json_number(nan) == "null");
  CHECK(json_number(100000) == "100000");
  std::string row = "a,";
  append_double(row, 2.5);
  CHECK(row == "a,2.5");
}

TEST_CASE("numbers: every finite double reads back as itself", "[format]") {
  std::mt19937_64 bits(9);
  for (int i = 0; i < 100000; ++i) {
    double x;
    const auto raw = bits();
    std::memcpy(&x, &raw, sizeof x);
    if (!std::isfinite(x))
      continue;
    const std::string text = format_double(x);
    INFO(text);
    REQUIRE(std::strtod(text.c_str(), nullptr) == x);
  }
  // Values on the edges of the positional range, and money-like ones.
  for (double x : {1e21 - 65536, 1e21, 9.999999e-7, 1e-6, 0.01, 99999.99, 1e15 + 0.5}) {
    const std::string text = format_double(x);
    INFO(text);
    CHECK(std::strtod(text.c_str(), nullptr) == x);
  }
}

TEST_CASE("times: one format per file, decided by the bars", "[format]") {
  const timestamp midnight = *parse_timestamp("2000-01-03");
  const timestamp afternoon = *parse_timestamp("2000-01-03 14:30");
  market_data daily;
  daily.bars = {{midnight, {}}, {midnight + ns_per_day, {}}};
  CHECK(time_format_of(daily, {true}) == time_format::date);
  market_data intraday = daily;
  intraday.bars.push_back({afternoon + ns_per_day, {}});
  CHECK(time_format_of(intraday, {true}) == time_format::date_time);
  // Only the portfolio's own symbols count: symbol 1's intraday bar is another's.
  market_data mixed = daily;
  mixed.bars.push_back({afternoon + ns_per_day, bar_data{1}});
  CHECK(time_format_of(mixed, {true, false}) == time_format::date);
  CHECK(time_format_of(mixed, {true, true}) == time_format::date_time);

  CHECK(format_time(midnight, time_format::date) == "2000-01-03");
  // In a date-time file a midnight row shows its time like every other row.
  CHECK(format_time(midnight, time_format::date_time) == "2000-01-03 00:00:00");
  CHECK(format_time(afternoon, time_format::date_time) == "2000-01-03 14:30:00");
}

TEST_CASE("times: the UTC day and month of a time, before 1970 too", "[format]") {
  CHECK(utc_day(0) == 0);
  CHECK(utc_day(*parse_timestamp("1970-01-02 23:59:59")) == 1);
  CHECK(utc_day(*parse_timestamp("1969-12-31 23:59:59")) == -1);
  CHECK(utc_day(*parse_timestamp("2021-01-11")) - utc_day(*parse_timestamp("2021-01-08")) == 3);
  CHECK(utc_month(*parse_timestamp("1970-01-31 23:00")) == 12 * 1970);
  CHECK(utc_month(*parse_timestamp("1969-12-31 23:00")) == 12 * 1969 + 11);
  CHECK(utc_month(*parse_timestamp("2024-02-29")) == 12 * 2024 + 1);
  CHECK(utc_month(*parse_timestamp("2024-03-01")) == 12 * 2024 + 2);
}

TEST_CASE("times: an intraday run writes a date-time on every row, midnight too", "[format][files]") {
  // Bars at 00:00, 12:00, 00:00, 12:00: a file of dates with times on every other row
  // is what no reader should have to parse.
  auto data = std::make_shared<market_data>();
  data->symbols = {"X"};
  const timestamp start = *parse_timestamp("2000-01-03");
  for (int i = 0; i < 4; ++i)
    data->bars.push_back({start + i * ns_per_day / 2, bar_data{0, 10, 11, 9, 10.5, 100}});
  backtest_config config;
  portfolio_config p;
  p.id = "p";
  strategy_config hold;
  hold.id = "hold";
  hold.type = "buy_and_hold";
  p.strategies.push_back(hold);
  config.portfolios.push_back(p);
  admf::testing::temp_dir dir;
  REQUIRE(run_backtest(config, data, {dir.path().string()}).portfolios.at(0).ok);

  std::ifstream in(dir.path() / "p" / "equity.csv");
  std::string line;
  std::getline(in, line);
  CHECK(line == "time,equity,cash,gross_exposure,net_exposure");
  const char* expected_times[] = {"2000-01-03 00:00:00,", "2000-01-03 12:00:00,",
                                  "2000-01-04 00:00:00,", "2000-01-04 12:00:00,"};
  for (const char* time : expected_times) {
    REQUIRE(std::getline(in, line));
    CHECK(line.rfind(time, 0) == 0);
  }
  // Bought at the second bar's open: floor(100000 / 10) = 10000 units, no cash left;
  // at the last close 10000 * 10.5 = 105000 held long: gross = net = equity.
  CHECK(line == "2000-01-04 12:00:00,105000,0,105000,105000");
}
