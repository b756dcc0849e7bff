#include "runtime/run/timeframes.hpp"

#include <algorithm>
#include <variant>

#include "runtime/core/error.hpp"

namespace admf {
namespace {

/// A series name as written somewhere in the config.
struct named {
  std::string name;
  std::string location;
};

/// What one strategy asks for, by series names (resolved to ids once the series exist).
struct name_plan {
  std::vector<named> symbols;  ///< its `symbols:` as it receives them (every data symbol if none)
  std::vector<std::string> bare;  ///< its plain symbols: what an alignment's timeframes apply to
  std::vector<named> extra;    ///< further series its barriers need
  std::optional<barrier_config> barriers;  ///< alignment timeframes spelled out
};

bool is_series_name(const std::string& name) { return name.find('@') != std::string::npos; }

/// "EURUSD@60m" -> "EURUSD@1h"; {symbol, timeframe} through `parts`.
std::string canonical(const std::string& name, const std::string& location,
                      std::pair<std::string, timestamp>* parts = nullptr) {
  const auto at = name.rfind('@');
  const auto timeframe = parse_duration(std::string_view(name).substr(at + 1));
  if (at == 0 || !timeframe)
    throw input_error(location + ": " + quote(name)
                      + ": expected SYMBOL@TIMEFRAME, such as EURUSD@4h (a timeframe such as "
                        "5m, 1h, 4h, 1d or 1w)");
  if (parts)
    *parts = {name.substr(0, at), *timeframe};
  return series_name(name.substr(0, at), *timeframe);
}

std::vector<std::string> data_symbols(const market_data& data) {
  std::vector<std::string> names;
  for (symbol_id id = 0; id < data.symbols.size(); ++id)
    if (!is_derived(data, id))
      names.push_back(data.symbols[id]);
  return names;
}

/// The smallest gap between two bars of `symbol` (0 with fewer than two bars).
timestamp spacing_of(const market_data& data, const std::string& symbol,
                     const std::string& location) {
  const symbol_id id = symbol_named(data.symbols, symbol, location);
  timestamp smallest = 0;
  std::optional<timestamp> previous;
  for (const auto& b : data.bars) {
    if (b.bar.symbol != id)
      continue;
    if (previous && (smallest == 0 || b.time - *previous < smallest))
      smallest = b.time - *previous;
    previous = b.time;
  }
  return smallest;
}

void expand_alignments(barrier_config& config, const strategy_config& strategy,
                       const market_data& data, name_plan& plan) {
  if (auto* group = std::get_if<barrier_group>(&config.barrier)) {
    for (auto& child : group->children)
      expand_alignments(child, strategy, data, plan);
    return;
  }
  auto* alignment = std::get_if<data_alignment_barrier>(&config.barrier);
  if (!alignment)
    return;
  auto& a = *alignment;
  const auto where = [&](std::size_t i) {
    return i < a.symbol_locations.size() ? a.symbol_locations[i] : config.location;
  };
  for (std::size_t i = 0; i < a.symbols.size(); ++i)
    if (is_series_name(a.symbols[i])) {
      a.symbols[i] = canonical(a.symbols[i], where(i));
      plan.extra.push_back({a.symbols[i], where(i)});
    }
  if (a.timeframes.empty())
    return;
  std::vector<named> listed;
  for (std::size_t i = 0; i < a.symbols.size(); ++i)
    listed.push_back({a.symbols[i], where(i)});
  if (listed.empty())
    for (const auto& symbol : plan.bare)
      listed.push_back({symbol, config.location});
  std::vector<std::string> symbols, locations;
  for (const auto& [symbol, location] : listed) {
    if (is_series_name(symbol))
      throw input_error(location + ": " + quote(symbol)
                        + " is a series of one timeframe: list plain symbols with timeframes");
    for (std::size_t i = 0; i < a.timeframes.size(); ++i) {
      const timestamp timeframe = a.timeframes[i];
      const std::string& at = i < a.timeframe_locations.size() ? a.timeframe_locations[i]
                                                              : config.location;
      // The strategy's own timeframe reaches it under the plain symbol.
      const bool own = strategy.timeframe ? timeframe == *strategy.timeframe
                                          : timeframe == spacing_of(data, symbol, location);
      symbols.push_back(own ? symbol : series_name(symbol, timeframe));
      locations.push_back(own ? location : at);
      if (!own)
        plan.extra.push_back({symbols.back(), at});
    }
  }
  a.symbols = std::move(symbols);
  a.symbol_locations = std::move(locations);
  a.timeframes.clear();
  a.timeframe_locations.clear();
}

name_plan plan_of(const strategy_config& s, const market_data& data) {
  name_plan plan;
  const auto& tf = s.timeframe;
  const std::string tf_where = s.timeframe_location.empty()
                                 ? "strategy " + quote(s.id) + ": timeframe"
                                 : s.timeframe_location;
  if (s.symbols.empty()) {
    plan.bare = data_symbols(data);
    for (const auto& symbol : plan.bare)
      plan.symbols.push_back({tf ? series_name(symbol, *tf) : symbol, tf_where});
  }
  for (std::size_t i = 0; i < s.symbols.size(); ++i) {
    const std::string& name = s.symbols[i];
    const std::string where = i < s.symbol_locations.size()
                                ? s.symbol_locations[i]
                                : "strategy " + quote(s.id) + ": symbols";
    if (is_series_name(name)) {
      plan.symbols.push_back({canonical(name, where), where});
      continue;
    }
    plan.bare.push_back(name);
    plan.symbols.push_back({tf ? series_name(name, *tf) : name, tf ? tf_where : where});
  }
  if (s.barriers) {
    plan.barriers = *s.barriers;
    expand_alignments(*plan.barriers, s, data, plan);
  }
  return plan;
}

/// The time zone of `symbol`'s source: the file that holds it decides its days.
std::string zone_of(const data_config& config, const std::string& symbol,
                    const std::string& location) {
  std::optional<std::string> unlisted;  // the zone of wide files that name no columns
  bool differ = false;
  for (const auto& source : config.sources) {
    if (source.format == csv_format::ohlcv && source.symbol == symbol)
      return source.timezone;
    if (source.format != csv_format::wide)
      continue;
    if (std::find(source.symbols.begin(), source.symbols.end(), symbol) != source.symbols.end())
      return source.timezone;
    if (source.symbols.empty()) {
      differ = differ || (unlisted && *unlisted != source.timezone);
      unlisted = source.timezone;
    }
  }
  if (differ)
    throw input_error(location + ": cannot tell which wide file holds " + quote(symbol)
                      + ", so which timezone its days are in: list the files' symbols");
  return unlisted.value_or("");
}

} // namespace

std::vector<series_request> series_requests(const backtest_config& config,
                                            const market_data& data) {
  std::vector<series_request> requests;
  for (const auto& p : config.portfolios)
    for (const auto& s : p.strategies) {
      const name_plan plan = plan_of(s, data);
      for (const auto* list : {&plan.symbols, &plan.extra})
        for (const auto& [name, location] : *list) {
          if (!is_series_name(name))
            continue;
          std::pair<std::string, timestamp> parts;
          canonical(name, location, &parts);
          requests.push_back({parts.first, parts.second,
                              zone_of(config.data, parts.first, location), location});
        }
    }
  return requests;
}

strategy_view view_of(const strategy_config& strategy, const market_data& data) {
  const name_plan plan = plan_of(strategy, data);
  strategy_view view;
  view.barriers = plan.barriers;
  const auto id_of = [&](const named& n) { return symbol_named(data.symbols, n.name, n.location); };
  const auto sorted_unique = [&](std::vector<symbol_id>& ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    // Every symbol is no filter: neither narrows the bars nor changes the run id.
    if (ids.size() == data.symbols.size())
      ids.clear();
  };
  if (strategy.timeframe) {
    view.deliver_as.resize(data.symbols.size());
    for (symbol_id id = 0; id < data.symbols.size(); ++id) {
      const symbol_id base = base_of(data, id);
      const bool own_timeframe =
        data.symbols[id] == series_name(data.symbols[base], *strategy.timeframe);
      view.deliver_as[id] = own_timeframe ? base : id;
    }
  }
  for (const auto& n : plan.symbols) {
    const symbol_id id = id_of(n);
    view.subscribed.push_back(id);
    view.own.push_back(view.deliver_as.empty() ? id : view.deliver_as[id]);
  }
  for (const auto& n : plan.extra)
    view.subscribed.push_back(id_of(n));
  sorted_unique(view.subscribed);
  sorted_unique(view.own);
  return view;
}

} // namespace admf
