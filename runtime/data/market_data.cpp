// A run's market data: every source loaded (runtime/data/source_loader.cpp) and merged
// into one stream; and synthetic bars for benchmarks and tests.
#include "runtime/data/market_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <numeric>

#include <xxhash.h>

#include "runtime/core/error.hpp"
#include "runtime/core/splitmix64.hpp"
#include "runtime/data/bar_cache.hpp"
#include "runtime/data/bar_merge.hpp"
#include "runtime/data/source_loader.hpp"

namespace admf {
namespace {

/// 0 means "not known" (market_data::content_hash): a hash that comes out 0 is moved.
std::uint64_t nonzero(std::uint64_t h) { return h != 0 ? h : 1; }

/// A 64-bit XXH3 digest fed piece by piece; never 0 (0 means "no hash taken").
class xxh3_64 {
public:
  xxh3_64() : state_(XXH3_createState(), XXH3_freeState) {
    if (!state_)
      throw std::bad_alloc();
    XXH3_64bits_reset(state_.get());
  }
  void add(const void* bytes, std::size_t n) { XXH3_64bits_update(state_.get(), bytes, n); }
  /// With its length first, so that no two name lists hash alike by accident.
  void add(const std::string& s) {
    const std::uint64_t n = s.size();
    add(&n, sizeof n);
    add(s.data(), s.size());
  }
  std::uint64_t digest() const { return nonzero(XXH3_64bits_digest(state_.get())); }

private:
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state_;
};

/// Symbol ids in name order: the order in which a strategy sees a timestamp's bars and
/// a portfolio sums its positions is then the same whatever else the data holds, so a
/// portfolio's results cannot depend on other portfolios' symbols. Returns, for each
/// id in load order, its id in name order, and sorts data.symbols.
std::vector<symbol_id> order_symbols_by_name(market_data& data) {
  const auto& names = data.symbols;
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
  return id_of;
}

/// One CSV source parsed, with symbol ids local to it (what the cache keeps).
source_bars parse_source(const data_source_config& source, bad_bar_policy policy,
                         const byte_sink& on_read) {
  source_bars parsed;
  symbol_table local(parsed.symbols);
  loaded_source loaded = load_source(source, policy, local, false, on_read);
  parsed.bars = std::move(loaded.bars);
  if (loaded.bad_bars)
    parsed.bad_bars.push_back(std::move(*loaded.bad_bars));
  if (loaded.missing_rows)
    parsed.missing_rows.push_back(std::move(*loaded.missing_rows));
  return parsed;
}

/// Numbers the source's symbols after those of earlier sources (load order), adds its
/// reports, and returns its local ids' load-order ids.
std::vector<symbol_id> add_source(market_data& data, symbol_table& symbols,
                                  const data_source_config& source, source_bars& parsed) {
  // Where a symbol loaded twice is said to come from: a wide file's header names it.
  const std::string where = source.format == csv_format::wide ? source.path + ":1" : source.path;
  std::vector<symbol_id> id_of;
  for (const auto& name : parsed.symbols)
    id_of.push_back(symbols.add(name, where));
  data.bad_bars.insert(data.bad_bars.end(), parsed.bad_bars.begin(), parsed.bad_bars.end());
  data.missing_rows.insert(data.missing_rows.end(), parsed.missing_rows.begin(),
                           parsed.missing_rows.end());
  return id_of;
}

} // namespace

market_data load_market_data(const data_config& config) {
  market_data data;
  symbol_table symbols(data.symbols);
  std::vector<std::vector<timed_bar>> runs;
  std::vector<std::vector<symbol_id>> load_ids;  // per source: local id -> load-order id
  // What the data is made from: each source's origin and symbols, so that a CSV and
  // the bar file imported from it, or its cache entry, give the same hash.
  xxh3_64 hash;
  for (const auto& source : config.sources) {
    bar_file_key origin;
    source_bars parsed = load_source_bars(
      source, config.on_bad_bar, config.cache,
      [&](const byte_sink& on_read) { return parse_source(source, config.on_bad_bar, on_read); },
      origin);
    hash.add(origin.data(), origin.size());
    for (const auto& name : parsed.symbols)
      hash.add(name);
    load_ids.push_back(add_source(data, symbols, source, parsed));
    runs.push_back(std::move(parsed.bars));
  }
  // Each source is renumbered to the final (name order) ids before the merge: a source
  // of one symbol stays sorted, a wide one is sorted again when the renumbering
  // reorders its symbols. The sources' symbols are disjoint, so (time, symbol) is a
  // strict order across them and the merge has one result.
  const std::vector<symbol_id> final_id = order_symbols_by_name(data);
  for (std::size_t s = 0; s < runs.size(); ++s) {
    std::vector<symbol_id> id_of;
    for (const symbol_id id : load_ids[s])
      id_of.push_back(final_id[id]);
    bool same = true;
    for (symbol_id local = 0; local < id_of.size(); ++local)
      same = same && id_of[local] == local;
    if (same)
      continue;
    for (auto& b : runs[s])
      b.bar.symbol = id_of[b.bar.symbol];
    if (!std::is_sorted(id_of.begin(), id_of.end()))
      std::sort(runs[s].begin(), runs[s].end(), bar_before);
  }
  data.bars = merge_runs(std::move(runs));
  data.content_hash = hash.digest();
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

std::uint64_t hash_bars(const market_data& data) {
  xxh3_64 hash;
  for (const auto& name : data.symbols)
    hash.add(name);
  // Packed in blocks: one update per bar would cost more than the hashing.
  constexpr std::size_t words_per_bar = 8;
  std::uint64_t block[256 * words_per_bar];
  std::size_t used = 0;
  for (const auto& b : data.bars) {
    std::uint64_t* w = block + used;
    w[0] = static_cast<std::uint64_t>(b.time);
    w[1] = b.bar.symbol;
    std::memcpy(w + 2, &b.bar.open, 8);
    std::memcpy(w + 3, &b.bar.high, 8);
    std::memcpy(w + 4, &b.bar.low, 8);
    std::memcpy(w + 5, &b.bar.close, 8);
    std::memcpy(w + 6, &b.bar.volume, 8);
    std::memcpy(w + 7, &b.bar.dividend, 8);
    used += words_per_bar;
    if (used == std::size(block)) {
      hash.add(block, sizeof block);
      used = 0;
    }
  }
  hash.add(block, used * sizeof(std::uint64_t));
  return hash.digest();
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
  data.content_hash = hash_bars(data);
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
