// Resampling to coarser timeframes. Only .cpp files include date/tz.h: see
// runtime/barriers/time_zone.cpp for why these macros come first.
#include "runtime/data/resample.hpp"

#define USE_OS_TZDB 1
#define HAS_STRING_VIEW 1
#define ONLY_C_LOCALE 1
#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <numeric>
#include <utility>

#include "runtime/core/error.hpp"

namespace admf {
namespace {

constexpr timestamp ns_per_week = 7 * ns_per_day;
/// 1970-01-01 was a Thursday: Mondays are 4 days after a multiple of 7 days.
constexpr timestamp monday_offset = 4 * ns_per_day;

timestamp floor_to(timestamp t, timestamp step) {
  const timestamp q = t / step;
  return (t % step < 0 ? q - 1 : q) * step;
}

using local_ns = date::local_time<std::chrono::nanoseconds>;

/// Where each bucket of one timeframe closes, in UTC or in a zone's local time.
class bucket_clock {
public:
  bucket_clock(timestamp timeframe, const date::time_zone* zone)
      : timeframe_(timeframe), zone_(zone) {}

  /// The close of the bucket that holds a bar stamped `t`: always after `t`, and never
  /// smaller for a later `t`.
  timestamp close_after(timestamp t) const {
    if (!zone_) {
      if (timeframe_ == ns_per_week)
        return floor_to(t - monday_offset, ns_per_week) + monday_offset + ns_per_week;
      return floor_to(t, timeframe_) + timeframe_;
    }
    const local_ns local = zone_->to_local(date::sys_time<std::chrono::nanoseconds>(
      std::chrono::nanoseconds(t)));
    const auto midnight = date::floor<date::days>(local);
    if (timeframe_ == ns_per_week) {
      const unsigned since_monday = (date::weekday(midnight).c_encoding() + 6) % 7;
      return utc_of(midnight - date::days(since_monday) + date::days(7));
    }
    // The first boundary after t: around a clock change the local time of t may be
    // behind the boundary it passed, so walk on until one is later than t.
    const timestamp into_day = (local - midnight).count();
    for (timestamp k = into_day / timeframe_ + 1; k * timeframe_ < ns_per_day; ++k) {
      const timestamp close = utc_of(midnight + std::chrono::nanoseconds(k * timeframe_));
      if (close > t)
        return close;
    }
    return utc_of(midnight + date::days(1));
  }

private:
  /// The moment the local clock first reads `local` (a time skipped by a clock change:
  /// the moment of the change).
  timestamp utc_of(local_ns local) const {
    return zone_->to_sys(local, date::choose::earliest).time_since_epoch().count();
  }

  timestamp timeframe_;
  const date::time_zone* zone_;
};

const date::time_zone* find_zone(const std::string& zone, const std::string& where) {
  if (zone.empty())
    return nullptr;
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    throw input_error(where + ": unknown time zone '" + zone
                      + "' (expected a name of the tz database, such as America/New_York)");
  }
}

void check_timeframe(const std::vector<timed_bar>& bars, timestamp timeframe,
                     const std::string& zone, const std::string& where) {
  const std::string name = format_timeframe(timeframe);
  if (timeframe > ns_per_day && timeframe != ns_per_week)
    throw input_error(where + ": timeframe " + name
                      + " is not supported (timeframes under a day, 1d and 1w are)");
  if (!zone.empty() && timeframe < ns_per_day && ns_per_day % timeframe != 0)
    throw input_error(where + ": timeframe " + name + " does not divide a day, so its buckets "
                      "cannot start at local midnight in " + zone
                      + " (use one that does, such as 5m, 15m, 1h or 4h)");
  if (bars.size() < 2)
    return;
  std::size_t closest = 1;  // the later bar of the smallest gap
  for (std::size_t i = 2; i < bars.size(); ++i)
    if (bars[i].time - bars[i - 1].time < bars[closest].time - bars[closest - 1].time)
      closest = i;
  const timestamp spacing = bars[closest].time - bars[closest - 1].time;
  if (timeframe <= spacing)
    throw input_error(where + ": timeframe " + name + " is not coarser than the data's own "
                      + format_timeframe(spacing) + " (bars " + format_timestamp(bars[closest - 1].time)
                      + " and " + format_timestamp(bars[closest].time) + ")");
}

} // namespace

std::string format_timeframe(timestamp timeframe) {
  static const std::pair<timestamp, char> units[] = {{ns_per_week, 'w'},
                                                     {ns_per_day, 'd'},
                                                     {3600 * ns_per_second, 'h'},
                                                     {60 * ns_per_second, 'm'},
                                                     {ns_per_second, 's'}};
  for (const auto& [unit, letter] : units)
    if (timeframe % unit == 0)
      return std::to_string(timeframe / unit) + letter;
  return std::to_string(timeframe) + "ns";
}

std::string series_name(const std::string& symbol, timestamp timeframe) {
  return symbol + "@" + format_timeframe(timeframe);
}

std::vector<timed_bar> resample(const std::vector<timed_bar>& bars, timestamp timeframe,
                                const std::string& zone, symbol_id id, const std::string& where) {
  check_timeframe(bars, timeframe, zone, where);
  const bucket_clock clock(timeframe, find_zone(zone, where));
  std::vector<timed_bar> out;
  timestamp close = 0;
  for (const auto& b : bars) {
    if (out.empty() || b.time >= close) {
      close = clock.close_after(b.time);
      out.push_back({close, b.bar});
      out.back().bar.symbol = id;
      continue;
    }
    bar_data& d = out.back().bar;
    d.high = std::max(d.high, b.bar.high);
    d.low = std::min(d.low, b.bar.low);
    d.close = b.bar.close;
    d.volume += b.bar.volume;
  }
  return out;
}

market_data with_series(const market_data& data, const std::vector<series_request>& requests) {
  // Each series once, in name order (the map's), with the data symbol it comes from.
  std::map<std::string, std::pair<symbol_id, const series_request*>> wanted;
  for (const auto& r : requests) {
    const symbol_id from = symbol_named(data.symbols, r.symbol, r.location);
    if (is_derived(data, from))
      throw input_error(r.location + ": '" + r.symbol + "' is itself a derived series");
    const std::string name = series_name(r.symbol, r.timeframe);
    const auto have = std::find(data.symbols.begin(), data.symbols.end(), name);
    if (have == data.symbols.end())
      wanted.emplace(name, std::make_pair(from, &r));
    else if (!is_derived(data, static_cast<symbol_id>(have - data.symbols.begin())))
      throw input_error(r.location + ": the data has a symbol named '" + name
                        + "', the name of a derived series");
  }
  if (wanted.empty())
    return data;

  market_data out;
  out.bad_bars = data.bad_bars;
  out.missing_rows = data.missing_rows;
  std::vector<symbol_id> old_base = data.base;
  if (old_base.empty()) {
    old_base.resize(data.symbols.size());
    std::iota(old_base.begin(), old_base.end(), symbol_id{0});
  }
  // Names: the data's, then the new series; ids in name order.
  std::vector<std::string> names = data.symbols;
  std::vector<symbol_id> base_by_old = old_base;
  for (const auto& [name, source] : wanted) {
    names.push_back(name);
    base_by_old.push_back(source.first);
  }
  std::vector<symbol_id> by_name(names.size());
  std::iota(by_name.begin(), by_name.end(), symbol_id{0});
  std::sort(by_name.begin(), by_name.end(),
            [&](symbol_id a, symbol_id b) { return names[a] < names[b]; });
  std::vector<symbol_id> new_id(names.size());
  for (symbol_id rank = 0; rank < by_name.size(); ++rank)
    new_id[by_name[rank]] = rank;
  out.symbols.resize(names.size());
  out.base.resize(names.size());
  for (symbol_id old = 0; old < names.size(); ++old) {
    out.symbols[new_id[old]] = names[old];
    out.base[new_id[old]] = new_id[base_by_old[old]];
  }

  std::map<symbol_id, std::vector<timed_bar>> own_bars;
  for (const auto& [name, source] : wanted)
    own_bars[source.first];
  for (const auto& b : data.bars)
    if (auto it = own_bars.find(b.bar.symbol); it != own_bars.end())
      it->second.push_back(b);
  out.bars.reserve(data.bars.size());
  for (auto b : data.bars) {
    b.bar.symbol = new_id[b.bar.symbol];
    out.bars.push_back(b);
  }
  symbol_id old = static_cast<symbol_id>(data.symbols.size());
  for (const auto& [name, source] : wanted) {
    const auto& [from, request] = source;
    const auto derived = resample(own_bars[from], request->timeframe, request->zone,
                                  new_id[old++], request->location + ": " + name);
    out.bars.insert(out.bars.end(), derived.begin(), derived.end());
  }
  std::sort(out.bars.begin(), out.bars.end(), [](const timed_bar& a, const timed_bar& b) {
    return a.time != b.time ? a.time < b.time : a.bar.symbol < b.bar.symbol;
  });
  return out;
}

} // namespace admf
