#include "actors/strategy/strategy_actor.hpp"

#include <algorithm>
#include <stdexcept>

#include <caf/typed_event_based_actor.hpp>

#include "runtime/barriers/barrier.hpp"
#include "runtime/data/resample.hpp"
#include "runtime/plugin/order_signal_checks.hpp"
#include "runtime/plugin/plugin_call.hpp"
#include "runtime/log/log.hpp"
#include "runtime/strategy/strategy.hpp"
#include "runtime/supervision/failure.hpp"

namespace admf {

namespace {

/// The strategy's view of the runtime while it handles one time slice: signals it
/// emits become SIGNAL events caused by the bar of their symbol. A signal for a derived
/// series (runtime/data/resample.hpp) trades its base symbol.
class slice_context final : public plugin::context {
public:
  /// `visible`: the ids its bars reach it under, sorted (empty: every symbol).
  slice_context(const run_context& ctx, container_id me, bus_port& port,
                std::vector<symbol_id> visible)
    : ctx_(ctx), me_(me), port_(port), visible_(std::move(visible)) {
    const auto& base = ctx_.data->base;
    if (!base.empty()) {
      family_.resize(base.size());
      for (symbol_id id = static_cast<symbol_id>(base.size()); id-- > 0;)
        family_[base[id]].push_back(id);
    }
  }

  void begin(const event* first, std::size_t count, event_batch* out) {
    first_ = first;
    count_ = count;
    out_ = out;
  }

  void emit(const plugin::signal& s) override {
    check_symbol(s.symbol);
    check_strength(s.symbol, s.strength);
    signal_data d{me_, traded(s.symbol), to_direction(s.target), s.strength, s.quantity,
                  static_cast<order_kind>(s.type), s.limit_price, s.stop_price};
    publish(d);
  }

  void submit(const plugin::order_signal& s) override {
    check_symbol(s.symbol);
    signal_data d;
    d.strategy = me_;
    d.symbol = traded(s.symbol);
    d.sizing = static_cast<target_kind>(s.target);
    d.target = to_direction(s.side);
    d.strength = s.strength;
    if (s.target == plugin::target_kind::side)
      d.quantity = s.value;
    else
      d.target_value = s.value;
    d.kind = static_cast<order_kind>(s.type);
    d.limit_price = s.limit_price;
    d.stop_price = s.stop_price;
    d.trail_amount = s.trail_amount;
    d.trail_percent = s.trail_percent;
    d.tif = static_cast<time_in_force>(s.tif);
    d.expire_time = s.expire_time;
    d.stop_loss = s.stop_loss;
    d.take_profit = s.take_profit;
    // A malformed order fails the strategy (its supervisor applies the policy) instead
    // of trading on a guess.
    if (const auto problem = plugin::order_signal_problem(s, first_->header.time); !problem.empty())
      bad(s.symbol, problem);
    publish(d);
  }

  void cancel(std::uint32_t symbol) override {
    check_symbol(symbol);
    signal_data d;
    d.strategy = me_;
    d.symbol = traded(symbol);
    d.action = signal_action::cancel;
    publish(d);
  }

  void replace(std::uint32_t symbol, const plugin::order_change& change) override {
    check_symbol(symbol);
    if (const auto problem = plugin::order_change_problem(change); !problem.empty())
      bad(symbol, problem);
    signal_data d;
    d.strategy = me_;
    d.symbol = traded(symbol);
    d.action = signal_action::replace;
    d.limit_price = change.limit_price;
    d.stop_price = change.stop_price;
    d.quantity = change.quantity;
    publish(d);
  }
  std::size_t symbol_count() const override { return ctx_.data->symbols.size(); }
  const std::vector<std::string>& symbol_names() const { return ctx_.data->symbols; }
  const char* symbol_name(std::uint32_t symbol) const override {
    return symbol < ctx_.data->symbols.size() ? ctx_.data->symbols[symbol].c_str() : "";
  }
  std::int64_t symbol_index(const char* name) const override {
    const auto& names = ctx_.data->symbols;
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name)
        return static_cast<std::int64_t>(i);
    return -1;
  }

private:
  static direction to_direction(plugin::direction d) {
    return d == plugin::direction::long_    ? direction::long_
           : d == plugin::direction::short_ ? direction::short_
                                            : direction::flat;
  }

  /// The symbol a signal for `symbol` trades: a derived series' base.
  symbol_id traded(std::uint32_t symbol) const { return base_of(*ctx_.data, symbol); }

  /// A SIGNAL caused by the bar of its symbol or of a series derived from it (the last
  /// of them in the slice; the slice's last bar if it has none). The slice is sorted by
  /// symbol id, so each candidate is a binary search, not a scan of the slice.
  void publish(const signal_data& d) {
    out_->push_back(port_.make(event_type::signal, first_->header.time, cause_of(d.symbol), d));
  }

  std::uint64_t cause_of(symbol_id traded_symbol) const {
    const event* end = first_ + count_;
    const auto bar_of = [&](symbol_id symbol) -> const event* {
      const auto it = std::lower_bound(first_, end, symbol, [](const event& e, symbol_id s) {
        return e.as<bar_data>().symbol < s;
      });
      return it != end && it->as<bar_data>().symbol == symbol ? it : nullptr;
    };
    if (family_.empty()) {
      if (const auto* bar = bar_of(traded_symbol))
        return bar->header.id;
    } else {
      for (const auto id : family_[traded_symbol])  // highest id first: the last in the slice
        if (const auto* bar = bar_of(id))
          return bar->header.id;
    }
    return first_[count_ - 1].header.id;
  }

  [[noreturn]] void bad(std::uint32_t symbol, const std::string& what) const {
    throw std::invalid_argument("signal for " + ctx_.data->symbols[symbol] + ": " + what);
  }

  void check_symbol(std::uint32_t symbol) const {
    if (symbol >= ctx_.data->symbols.size())
      throw std::invalid_argument("signal for unknown symbol index " + std::to_string(symbol));
    // Its portfolio's calendar and its barriers know only its symbols: a signal for
    // another would be acted on at times the strategy never saw.
    if (!visible_.empty() && !std::binary_search(visible_.begin(), visible_.end(), symbol))
      throw std::invalid_argument("signal for " + ctx_.data->symbols[symbol]
                                  + ", which is not among the strategy's symbols");
  }

  /// Strength 0 is no "don't trade": an out-of-range one would silently mean all of it.
  void check_strength(std::uint32_t symbol, double strength) const {
    if (!(strength > 0 && strength <= 1))
      bad(symbol, "strength " + std::to_string(strength) + ": it must be in (0, 1]");
  }



  const run_context& ctx_;
  container_id me_;
  bus_port& port_;
  const std::vector<symbol_id> visible_;
  /// Per data symbol: itself and the series derived from it, highest id first (empty:
  /// the run has no derived series).
  std::vector<std::vector<symbol_id>> family_;
  const event* first_ = nullptr;
  std::size_t count_ = 0;
  event_batch* out_ = nullptr;
};

template <class State>
void to_plugin_bars(State& st, timestamp t, const std::vector<timed_bar>* admitted) {
  st.slice.clear();
  if (admitted) {
    for (const auto& b : *admitted)
      st.slice.push_back(plugin::bar{b.time, b.bar.symbol, b.bar.open, b.bar.high, b.bar.low,
                                     b.bar.close, b.bar.volume});
    return;
  }
  for (const auto& b : st.raw)
    st.slice.push_back(plugin::bar{t, b.symbol, b.open, b.high, b.low, b.close, b.volume});
}

/// One timestamp: the barriers decide whether the strategy runs (and on which bars,
/// carried ones included) and how many of its signals pass.
template <class State>
void run_slice(State& st, timestamp t, event_batch& out) {
  // Marked as plugin code so a crash in it names the plugin, container and bar.
  const auto call = [&st, t] {
    const auto& symbols = st.context->symbol_names();
    const char* first = st.slice.empty() ? nullptr : symbols[st.slice[0].symbol].c_str();
    const plugin_call guard{st.site, t, first, st.slice.empty() ? 0 : st.slice.size() - 1};
    st.impl->on_bars(st.slice.data(), st.slice.size(), *st.context);
  };
  if (!st.barriers) {
    to_plugin_bars(st, t, nullptr);
    call();
    return;
  }
  const auto admitted = st.barriers->admit(t, st.raw);
  if (!admitted)
    return;
  to_plugin_bars(st, t, &*admitted);
  const auto before = out.size();
  call();
  out.resize(before + st.barriers->keep_signals(t, out.size() - before));
}

}  // namespace

strategy_actor::behavior_type strategy_behavior(strategy_actor::pointer self, context_ptr ctx,
                                                std::size_t portfolio, std::size_t index,
                                                strategy_parent_actor parent) {
  const container_id me = ctx->portfolios[portfolio].strategies[index];
  struct state {
    plugin_site site;
    strategy_ptr impl;
    bus_port port;
    container_log log;
    std::unique_ptr<slice_context> context;
    std::optional<barrier_set> barriers;
    std::vector<bar_data> raw;
    std::vector<plugin::bar> slice;
    std::vector<symbol_id> deliver_as;  ///< by id: the id a bar reaches it under; empty: its own
  };
  auto st = std::make_shared<state>();
  const strategy_config& config = ctx->config.portfolios[portfolio].strategies[index];
  const std::string plugin = config.plugin.empty() ? config.type : config.plugin;
  st->site = {describe_plugin(plugin, ""), ctx->name_of(me)};
  {
    const plugin_call creating{st->site, plugin_call::no_bar, nullptr, 0};
    std::string library;
    st->impl = make_strategy(config, &library);
    st->site.plugin = describe_plugin(plugin, library);
  }
  st->port = ctx->port_of(me);
  st->log = container_log{ctx->run_hex(), ctx->name_of(me)};
  const auto& layout = ctx->portfolios[portfolio];
  st->deliver_as = layout.strategy_deliver_as[index];
  std::vector<symbol_id> visible = layout.strategy_symbols[index];
  if (!st->deliver_as.empty()) {
    for (auto& id : visible)
      id = st->deliver_as[id];
    std::sort(visible.begin(), visible.end());
    visible.erase(std::unique(visible.begin(), visible.end()), visible.end());
  }
  st->context = std::make_unique<slice_context>(*ctx, me, st->port, std::move(visible));
  if (const auto& barriers = layout.strategy_barriers[index])
    st->barriers.emplace(*barriers, ctx->data->symbols, layout.strategy_own[index]);
  // An exception in the strategy ends this actor with the message as exit reason;
  // the portfolio (our supervisor) sees it and applies the configured policy.
  self->set_exception_handler([st](std::exception_ptr& ep) -> caf::error {
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      st->log.error("strategy failed: {}", e.what());
      return failure(e.what());
    }
  });
  return {
    [=](const bar_batch& in) {
      auto out = std::make_shared<event_batch>();
      const auto& bars = *in.events;
      // One call per timestamp: batches never split one, and bars within it are
      // ordered by symbol.
      for (std::size_t begin = 0; begin < bars.size();) {
        const timestamp t = bars[begin].header.time;
        std::size_t end = begin;
        st->raw.clear();
        for (; end < bars.size() && bars[end].header.time == t; ++end)
          st->raw.push_back(bars[end].as<bar_data>());
        if (!st->deliver_as.empty()) {  // its timeframe's bars under their base symbols' ids
          for (auto& b : st->raw)
            b.symbol = st->deliver_as[b.symbol];
          std::sort(st->raw.begin(), st->raw.end(),
                    [](const bar_data& a, const bar_data& b) { return a.symbol < b.symbol; });
        }
        st->context->begin(&bars[begin], end - begin, out.get());
        begin = end;
        run_slice(*st, t, *out);
      }
      st->port.publish(self, parent, signal_batch{{std::move(out), in.through}, me});
    },
  };
}

}  // namespace admf
