#include "actor_fixture.hpp"

#include <algorithm>
#include <sstream>

#include "runtime/strategy/strategy.hpp"

namespace admf::actor_test {

namespace {

/// A strategy whose signals the test scripts: on its `long_at`-th time slice it asks
/// to be long `qty` units of the slice's first symbol, on its `flat_at`-th to be flat.
class scripted final : public plugin::strategy {
public:
  explicit scripted(const plugin::params& p)
    : long_at_(static_cast<long>(p.number_or("long_at", 0))),
      flat_at_(static_cast<long>(p.number_or("flat_at", 0))), qty_(p.number_or("qty", 100)) {}

  void on_bars(const plugin::bar* bars, std::size_t, plugin::context& ctx) override {
    ++slices_;
    if (slices_ != long_at_ && slices_ != flat_at_)
      return;
    plugin::signal s;
    s.symbol = bars[0].symbol;
    s.target = slices_ == long_at_ ? plugin::direction::long_ : plugin::direction::flat;
    s.quantity = qty_;
    ctx.emit(s);
  }
  void reset() override { slices_ = 0; }

private:
  long long_at_, flat_at_, slices_ = 0;
  double qty_;
};

}  // namespace

backtest_config config_of(const std::vector<std::string>& portfolios,
                          const std::string& strategy_type,
                          std::map<std::string, std::string> params) {
  static const bool registered = [] {
    register_strategy("test_scripted", [](const plugin::params& p) {
      return strategy_ptr{new scripted(p), [](plugin::strategy* s) { delete s; }};
    });
    return true;
  }();
  (void)registered;
  backtest_config c;
  c.name = "actor_tests";
  for (const auto& id : portfolios) {
    portfolio_config p;
    p.id = id;
    p.initial_capital = 100000;
    strategy_config s;
    s.id = "s";
    s.type = strategy_type;
    s.params.values = params;
    p.strategies.push_back(std::move(s));
    c.portfolios.push_back(std::move(p));
  }
  return c;
}

run_setup::run_setup(backtest_config config, std::vector<std::string> symbols,
                     std::vector<bar_row> rows) {
  auto data = std::make_shared<market_data>();
  data->symbols = std::move(symbols);
  for (const auto& r : rows)
    data->bars.push_back(timed_bar{r.time, bar_data{r.symbol, r.open, std::max(r.open, r.close),
                                                    std::min(r.open, r.close), r.close, 1000}});
  ctx = make_run_context(std::move(config), data);
  auto port = ctx->port_of(ctx->data_feed);
  for (const auto& b : data->bars)
    bars.push_back(port.make(event_type::bar, b.time, 0, b.bar));
}

bar_batch run_setup::batch(std::uint64_t first, std::uint64_t last) const {
  auto events = std::make_shared<event_batch>(bars.begin() + (first - 1), bars.begin() + last);
  return bar_batch{{std::move(events), last}};
}

std::string describe(const event& e) {
  std::ostringstream out;
  out << to_string(e.header.type) << " t=" << e.header.time << " id=" << e.header.id
      << " cause=" << e.header.causation << " corr=" << e.header.correlation << ':';
  std::visit(
    [&](const auto& p) {
      using T = std::decay_t<decltype(p)>;
      if constexpr (std::is_same_v<T, signal_data>)
        out << " target=" << int(p.target) << " qty=" << p.quantity;
      else if constexpr (std::is_same_v<T, order_data>)
        out << " order=" << p.order_id << " side=" << int(p.action) << " qty=" << p.quantity;
      else if constexpr (std::is_same_v<T, position_data>)
        out << " trade=" << p.trade_id << " qty=" << p.quantity << " entry=" << p.entry_price
            << " exit=" << p.exit_price << " pnl=" << p.pnl;
      else if constexpr (std::is_same_v<T, portfolio_update_data>)
        out << " cash=" << p.cash << " equity=" << p.equity;
      else if constexpr (std::is_same_v<T, risk_reject_data>)
        out << " reason=" << int(p.reason);
    },
    e.payload);
  return out.str();
}

std::string describe(const std::vector<portfolio_output>& outputs, bool signals) {
  std::string text;
  for (const auto& o : outputs)
    for (const auto& e : *o.events)
      if (signals || e.header.type != event_type::signal)
        text += describe(e) + '\n';
  if (!outputs.empty())
    text += "through " + std::to_string(outputs.back().through) + '\n';
  return text;
}

std::string describe_signals(const std::vector<portfolio_output>& outputs) {
  std::vector<event> signals;
  for (const auto& o : outputs)
    for (const auto& e : *o.events)
      if (e.header.type == event_type::signal)
        signals.push_back(e);
  std::sort(signals.begin(), signals.end(),
            [](const event& x, const event& y) { return x.header.id < y.header.id; });
  std::string text;
  for (const auto& e : signals)
    text += describe(e) + '\n';
  return text;
}

}  // namespace admf::actor_test
