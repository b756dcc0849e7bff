// A run's market data: every source loaded (runtime/data/source_loader.cpp) and merged
// into one stream; and synthetic bars for benchmarks and tests.
#include "runtime/data/market_data.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "runtime/core/error.hpp"
#include "runtime/core/splitmix64.hpp"
#include "runtime/data/bar_cache.hpp"
#include "runtime/data/source_loader.hpp"

namespace admf {
namespace {

/// Each source is sorted and its ids exceed all earlier ones, so a linear merge
/// keeps the whole stream ordered by (time, symbol).
void merge_into(std::vector<timed_bar>& all, std::vector<timed_bar> more) {
  if (all.empty()) {
    all = std::move(more);
    return;
  }
  const auto middle = static_cast<std::ptrdiff_t>(all.size());
  all.insert(all.end(), more.begin(), more.end());
  std::inplace_merge(all.begin(), all.begin() + middle, all.end(), bar_before);
}

/// Symbol ids in name order: the order in which a strategy sees a timestamp's bars and
/// a portfolio sums its positions is then the same whatever else the data holds, so a
/// portfolio's results cannot depend on other portfolios' symbols.
void order_symbols_by_name(market_data& data) {
  const auto& names = data.symbols;
  if (std::is_sorted(names.begin(), names.end()))
    return;
  std::vector<symbol_id> by_name(names.size());
  std::iota(by_name.begin(), by_name.end(), symbol_id{0});
  std::sort(by_name.begin(), by_name.end(),
            [&](symbol_id a, symbol_id b) { return names[a] < names[b]; });
  std::vector<symbol_id> id_of(names.size());
  std::vector<std::string> sorted(names.size());
  for (symbol_id rank = 0; rank < by_name.size(); ++rank) {
    id_of[by_name[rank]] = rank;
    sorted[rank] = names[by_name[rank]];
  }
  data.symbols = std::move(sorted);
  for (auto& b : data.bars)
    b.bar.symbol = id_of[b.bar.symbol];
  std::sort(data.bars.begin(), data.bars.end(), bar_before);
}

/// One CSV source parsed, with symbol ids local to it (what the cache keeps).
source_bars parse_source(const data_source_config& source, bad_bar_policy policy) {
  source_bars parsed;
  symbol_table local(parsed.symbols);
  loaded_source loaded = load_source(source, policy, local);
  parsed.bars = std::move(loaded.bars);
  if (loaded.bad_bars)
    parsed.bad_bars.push_back(std::move(*loaded.bad_bars));
  if (loaded.missing_rows)
    parsed.missing_rows.push_back(std::move(*loaded.missing_rows));
  return parsed;
}

/// Numbers the source's symbols after those of earlier sources and merges its bars in.
void add_source(market_data& data, symbol_table& symbols, const data_source_config& source,
                source_bars parsed) {
  // Where a symbol loaded twice is said to come from: a wide file's header names it.
  const std::string where = source.format == csv_format::wide ? source.path + ":1" : source.path;
  std::vector<symbol_id> id_of;
  for (const auto& name : parsed.symbols)
    id_of.push_back(symbols.add(name, where));
  for (auto& b : parsed.bars)
    b.bar.symbol = id_of[b.bar.symbol];
  data.bad_bars.insert(data.bad_bars.end(), parsed.bad_bars.begin(), parsed.bad_bars.end());
  data.missing_rows.insert(data.missing_rows.end(), parsed.missing_rows.begin(),
                           parsed.missing_rows.end());
  merge_into(data.bars, std::move(parsed.bars));
}

} // namespace

market_data load_market_data(const data_config& config) {
  market_data data;
  symbol_table symbols(data.symbols);
  for (const auto& source : config.sources)
    add_source(data, symbols, source,
               load_source_bars(source, config.on_bad_bar, config.cache,
                                [&] { return parse_source(source, config.on_bad_bar); }));
  order_symbols_by_name(data);
  return data;
}

namespace {

double round4(double x) { return std::round(x * 1e4) / 1e4; }

} // namespace

std::string describe(const bad_bar_report& report) {
  const bool repaired = report.action == bad_bar_policy::repair;
  const char* what = repaired ? "repaired (on_bad_bar: repair)" : "skipped (on_bad_bar: skip)";
  return report.path + ": " + std::to_string(report.count)
         + (report.count == 1 ? " bar " : " bars ") + what + ", the first at " + report.first;
}

std::string describe(const missing_row_report& report) {
  return report.path + ": " + std::to_string(report.count)
         + (report.count == 1 ? " row" : " rows")
         + " with a missing price skipped (on_missing: skip), the first at " + report.first;
}

market_data synthetic_market_data(std::size_t bars, std::uint64_t seed, std::string symbol) {
  constexpr double base_price = 100;
  constexpr double step = 0.01;       // max log move of the close per bar
  constexpr double reversion = 0.002;  // pull of the log price back to the base price
  market_data data;
  data.symbols.push_back(std::move(symbol));
  data.bars.reserve(bars);
  splitmix64 rng(seed);
  const timestamp start = days_from_civil(2000, 1, 3) * ns_per_day;
  // Nanosecond timestamps end in 2262: beyond ~95,000 bars daily spacing would
  // overflow, so long series use one-minute bars (room for over 100 million).
  const auto max_days = (std::numeric_limits<timestamp>::max() - start) / ns_per_day;
  const bool daily = bars <= static_cast<std::size_t>(max_days);
  const timestamp spacing = daily ? ns_per_day : 60 * ns_per_second;
  // Log deviation from the base price. The mean reversion bounds it by step / reversion
  // (= 5), so prices stay within base * e^±5 however many bars are drawn.
  double x = 0;
  double prev_close = base_price;
  for (std::size_t i = 0; i < bars; ++i) {
    const double open = prev_close * (1 + (rng.uniform() - 0.5) * 0.004);
    x += (2 * rng.uniform() - 1) * step - reversion * x;
    const double close = base_price * std::exp(x);
    const double high = std::max(open, close) * (1 + rng.uniform() * 0.005);
    const double low = std::min(open, close) * (1 - rng.uniform() * 0.005);
    const double volume = static_cast<double>(100'000 + rng.next() % 900'000);
    // Rounding is monotonic, so low <= open, close <= high still holds afterwards.
    const bar_data bar{0, round4(open), round4(high), round4(low), round4(close), volume};
    data.bars.push_back({start + static_cast<timestamp>(i) * spacing, bar});
    prev_close = close;
  }
  return data;
}

symbol_id symbol_named(const std::vector<std::string>& symbols, const std::string& name,
                       const std::string& where) {
  const auto it = std::find(symbols.begin(), symbols.end(), name);
  if (it == symbols.end()) {
    std::string known;
    for (const auto& s : symbols)
      known += (known.empty() ? "" : ", ") + s;
    throw input_error(where + ": unknown symbol '" + name + "' (the run has: " + known + ")");
  }
  return static_cast<symbol_id>(it - symbols.begin());
}

} // namespace admf
