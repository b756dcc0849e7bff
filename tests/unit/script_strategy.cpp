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
  plugin::direction target = plugin::direction::flat;
  double quantity = 0;
  double strength = 1;
  plugin::order_type type = plugin::order_type::market;
  double price = 0;  ///< limit or stop
};

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
      std::string side, extra;
      words >> s.symbol >> side;
      s.target = side == "long"    ? plugin::direction::long_
                 : side == "short" ? plugin::direction::short_
                                   : plugin::direction::flat;
      while (words >> extra) {
        if (extra == "strength") {
          words >> s.strength;
        } else if (extra == "limit" || extra == "stop") {
          s.type = extra == "limit" ? plugin::order_type::limit : plugin::order_type::stop;
          words >> s.price;
        } else {
          s.quantity = std::stod(extra);
        }
      }
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
      plugin::signal signal;
      const auto symbol = ctx.symbol_index(s.symbol.c_str());
      if (symbol < 0)
        throw std::runtime_error("script: no symbol " + s.symbol);
      signal.symbol = static_cast<std::uint32_t>(symbol);
      signal.target = s.target;
      signal.quantity = s.quantity;
      signal.strength = s.strength;
      signal.type = s.type;
      (s.type == plugin::order_type::limit ? signal.limit_price : signal.stop_price) = s.price;
      ctx.emit(signal);
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
  constexpr timestamp day0 = 18'631 * ns_per_day;  // 2021-01-04
  const auto id = static_cast<symbol_id>(m.symbols.size());
  m.symbols.push_back(symbol);
  for (std::size_t d = 0; d < rows.size(); ++d) {
    const auto [open, close] = rows[d];
    m.bars.push_back({day0 + static_cast<timestamp>(d) * ns_per_day,
                      {id, open, std::max(open, close), std::min(open, close), close, 1000}});
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
