#include "script_strategy.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "runtime/strategy/strategy.hpp"

namespace admf::test {

namespace {

struct step {
  std::string symbol;
  std::string action = "order";  ///< order | cancel | replace
  plugin::order_signal order;    ///< what it asks (an order; a replace's changes)
  bool v2 = false;               ///< needs plugin API version 2 (submit) to say it
};

plugin::direction side_named(const std::string& word) {
  return word == "long"    ? plugin::direction::long_
         : word == "short" ? plugin::direction::short_
                           : plugin::direction::flat;
}

/// The order type the prices given so far make: a stop and a limit is a stop-limit.
plugin::order_type type_of(const plugin::order_signal& o) {
  if (o.type == plugin::order_type::market_on_close || o.type == plugin::order_type::trailing_stop)
    return o.type;
  if (o.stop_price > 0)
    return o.limit_price > 0 ? plugin::order_type::stop_limit : plugin::order_type::stop;
  return o.limit_price > 0 ? plugin::order_type::limit : plugin::order_type::market;
}

void read_word(const std::string& word, std::istringstream& words, step& s) {
  auto& o = s.order;
  auto number = [&] {
    std::string text;
    words >> text;
    return std::stod(text);
  };
  if (word == "strength") {
    o.strength = number();
  } else if (word == "limit") {
    o.limit_price = number();
  } else if (word == "stop") {
    o.stop_price = number();
  } else if (word == "trail") {
    std::string text;
    words >> text;
    o.type = plugin::order_type::trailing_stop;
    if (text.back() == '%')
      o.trail_percent = std::stod(text) / 100;
    else
      o.trail_amount = std::stod(text);
    s.v2 = true;
  } else if (word == "moc") {
    o.type = plugin::order_type::market_on_close;
    s.v2 = true;
  } else if (word == "sl" || word == "tp") {
    (word == "sl" ? o.stop_loss : o.take_profit) = number();
    s.v2 = true;
  } else if (word == "day" || word == "ioc" || word == "fok") {
    o.tif = word == "day"   ? plugin::time_in_force::day
            : word == "ioc" ? plugin::time_in_force::ioc
                            : plugin::time_in_force::fok;
    s.v2 = true;
  } else if (word == "gtd") {
    std::string day;
    words >> day;
    o.tif = plugin::time_in_force::gtd;
    o.expire_time = *parse_timestamp(day);
    s.v2 = true;
  } else if (word == "qty" || word == "equity" || word == "weight") {
    o.target = word == "qty"      ? plugin::target_kind::quantity
               : word == "equity" ? plugin::target_kind::equity_fraction
                                  : plugin::target_kind::weight;
    o.value = number();
    s.v2 = true;
  } else {
    o.value = std::stod(word);  // a side target's quantity; a replace's new quantity
  }
}

std::map<long, std::vector<step>> parse(const std::string& script) {
  std::map<long, std::vector<step>> out;
  std::istringstream slices(script);
  std::string slice;
  while (std::getline(slices, slice, ';')) {
    const auto colon = slice.find(':');
    if (colon == std::string::npos)
      throw std::invalid_argument("script: expected 'N: targets' in '" + slice + "'");
    const long n = std::stol(slice.substr(0, colon));
    std::istringstream targets(slice.substr(colon + 1));
    std::string target;
    while (std::getline(targets, target, ',')) {
      std::istringstream words(target);
      step s;
      std::string first, word;
      words >> s.symbol >> first;
      if (first == "cancel" || first == "replace")
        s.action = first;
      else if (first == "long" || first == "short" || first == "flat")
        s.order.side = side_named(first);
      else
        read_word(first, words, s);  // a target kind
      while (words >> word)
        read_word(word, words, s);
      s.order.type = type_of(s.order);
      if (s.order.type == plugin::order_type::stop_limit)
        s.v2 = true;
      out[n].push_back(s);
    }
  }
  return out;
}

class script_strategy final : public plugin::strategy {
public:
  explicit script_strategy(const plugin::params& p) : script_(parse(p.text("script"))) {}

  void on_bars(const plugin::bar*, std::size_t, plugin::context& ctx) override {
    const auto it = script_.find(++slices_);
    if (it == script_.end())
      return;
    for (const auto& s : it->second) {
      const auto symbol = ctx.symbol_index(s.symbol.c_str());
      if (symbol < 0)
        throw std::runtime_error("script: no symbol " + s.symbol);
      const auto id = static_cast<std::uint32_t>(symbol);
      const auto& o = s.order;
      if (s.action == "cancel") {
        ctx.cancel(id);
      } else if (s.action == "replace") {
        ctx.replace(id, plugin::order_change{o.limit_price, o.stop_price, o.value});
      } else if (s.v2) {
        auto order = o;
        order.symbol = id;
        ctx.submit(order);
      } else {  // what version 1 can say goes the version-1 way
        plugin::signal signal;
        signal.symbol = id;
        signal.target = o.side;
        signal.quantity = o.value;
        signal.strength = o.strength;
        signal.type = o.type;
        signal.limit_price = o.limit_price;
        signal.stop_price = o.stop_price;
        ctx.emit(signal);
      }
    }
  }
  void reset() override { slices_ = 0; }

private:
  std::map<long, std::vector<step>> script_;
  long slices_ = 0;
};

}  // namespace

void add_daily_bars(market_data& m, const std::string& symbol,
                    const std::vector<std::pair<double, double>>& rows) {
  std::vector<bar_data> bars;
  for (const auto& [open, close] : rows)
    bars.push_back({0, open, std::max(open, close), std::min(open, close), close, 1000});
  add_daily_ohlcv(m, symbol, bars);
}

void add_daily_ohlcv(market_data& m, const std::string& symbol, const std::vector<bar_data>& rows) {
  constexpr timestamp day0 = 18'631 * ns_per_day;  // 2021-01-04
  const auto id = static_cast<symbol_id>(m.symbols.size());
  m.symbols.push_back(symbol);
  for (std::size_t d = 0; d < rows.size(); ++d) {
    auto bar = rows[d];
    bar.symbol = id;
    m.bars.push_back({day0 + static_cast<timestamp>(d) * ns_per_day, bar});
  }
}

std::shared_ptr<const market_data> in_stream_order(market_data m) {
  std::stable_sort(m.bars.begin(), m.bars.end(), [](const timed_bar& a, const timed_bar& b) {
    return a.time != b.time ? a.time < b.time : a.bar.symbol < b.bar.symbol;
  });
  return std::make_shared<const market_data>(std::move(m));
}

backtest_config scripted_config(const std::string& script, double capital) {
  register_script_strategy();
  backtest_config c;
  c.name = "scripted";
  portfolio_config p;
  p.id = "p";
  p.initial_capital = capital;
  strategy_config s;
  s.id = "script";
  s.type = "test_script";
  s.params.values = {{"script", script}};
  p.strategies.push_back(s);
  c.portfolios.push_back(p);
  return c;
}

void register_script_strategy() {
  static const bool registered = [] {
    register_strategy("test_script", [](const plugin::params& p) {
      return strategy_ptr{new script_strategy(p), [](plugin::strategy* s) { delete s; }};
    });
    return true;
  }();
  (void)registered;
}

}  // namespace admf::test
