#include "runtime/run/run_context.hpp"

#include "runtime/barriers/barrier.hpp"
#include "runtime/core/error.hpp"
#include "runtime/core/hash.hpp"
#include "runtime/run/timeframes.hpp"
#include "runtime/tracing/trace_plan.hpp"
#include "runtime/yaml/yaml_reader.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace admf {

namespace {

/// A 64-bit hash fed word by word. Not cryptographic: it only names runs.
struct run_hash {
  std::uint64_t h = fnv1a_basis;
  void mix(std::uint64_t word) {
    h ^= word + golden_gamma + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
  }
  void add(const void* p, std::size_t n) {
    auto bytes = static_cast<const unsigned char*>(p);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t word;
      std::memcpy(&word, bytes + i, 8);
      mix(word);
    }
    std::uint64_t tail = n;
    for (; i < n; ++i)
      tail = (tail << 8) | bytes[i];
    mix(tail);
  }
  void add(const std::string& s) { add(s.data(), s.size()); }
};

/// A portfolio's calendar: the symbols of its strategies and the base symbols of their
/// derived series, all of them as soon as one strategy takes every symbol.
std::vector<bool> calendar_of(const std::vector<std::vector<symbol_id>>& strategy_symbols,
                              const market_data& data) {
  const std::size_t symbol_count = data.symbols.size();
  std::vector<bool> calendar(symbol_count, false);
  for (const auto& ids : strategy_symbols) {
    if (ids.empty())
      return std::vector<bool>(symbol_count, true);
    for (symbol_id id : ids)
      calendar[id] = calendar[base_of(data, id)] = true;
  }
  return calendar;
}

/// A volume limit on a symbol whose bars carry no volume (a close-only file) would
/// fill nothing, silently: refused before the run.
void check_volumes(const market_data& data, const std::string& config_file) {
  std::vector<bool> traded(data.symbols.size());
  for (const auto& b : data.bars)
    traded[b.bar.symbol] = traded[b.bar.symbol] || b.bar.volume > 0;
  for (symbol_id s = 0; s < traded.size(); ++s)
    if (!traded[s] && !is_derived(data, s))
      throw input_error((config_file.empty() ? "" : config_file + ": ")
                        + "execution.max_volume_fraction: " + data.symbols[s]
                        + " has no volume in its data (every bar's is 0): no order in it "
                          "could ever fill");
}

}  // namespace

std::string run_context::run_hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(run_id));
  return buf;
}

std::shared_ptr<run_context> make_run_context(backtest_config config,
                                              std::shared_ptr<const market_data> data) {
  // The data's hash taken when it was loaded (a sweep's jobs share it), not the bars
  // hashed on every run (2% of a run, issue 13). Derived series added below follow
  // from the data and the strategies' timeframes, which the id hashes.
  const std::uint64_t content = data->content_hash != 0 ? data->content_hash : hash_bars(*data);
  if (const auto requests = series_requests(config, *data); !requests.empty())
    data = std::make_shared<const market_data>(with_series(*data, requests));
  auto ctx = std::make_shared<run_context>();
  auto add = [&](std::string name) {
    ctx->containers.push_back(std::move(name));
    return static_cast<container_id>(ctx->containers.size() - 1);
  };
  ctx->root = add("backtest");
  ctx->data_feed = add("data");
  ctx->execution = add("execution");
  run_hash hash;
  hash.add(config.name);
  for (const auto& p : config.portfolios) {
    portfolio_layout layout;
    layout.portfolio = add(p.id);
    layout.risk = add(p.id + "/risk");
    hash.add(p.id);
    for (const auto& s : p.strategies) {
      layout.strategies.push_back(add(p.id + "/" + s.id));
      hash.add(s.id);
      hash.add(s.type);
      for (const auto& [k, v] : s.params.values) {
        hash.add(k);
        hash.add(v);
      }
      strategy_view view = view_of(s, *data);
      for (symbol_id id : view.subscribed)
        hash.mix(id);
      if (s.timeframe)
        hash.mix(static_cast<std::uint64_t>(*s.timeframe));
      // Barriers name symbols and time zones: check them now, before any actor starts.
      if (view.barriers)
        barrier_set{*view.barriers, data->symbols, view.own};
      layout.strategy_symbols.push_back(std::move(view.subscribed));
      layout.strategy_own.push_back(std::move(view.own));
      layout.strategy_deliver_as.push_back(std::move(view.deliver_as));
      layout.strategy_barriers.push_back(std::move(view.barriers));
    }
    layout.calendar = calendar_of(layout.strategy_symbols, *data);
    ctx->portfolios.push_back(std::move(layout));
  }
  hash.mix(content);
  ctx->run_id = hash.h;
  ctx->trace_rules = resolve_trace_rules(config.tracing, ctx->containers);
  ctx->instruments.resize(data->symbols.size());
  for (const auto& [name, instrument] : config.instruments)
    ctx->instruments[symbol_named(data->symbols, name, instrument.location)] = instrument;
  for (const auto& instrument : ctx->instruments)
    ctx->symbol_costs.push_back(
      {instrument.commission.value_or(config.execution.commission),
       instrument.slippage.value_or(config.execution.slippage),
       instrument.borrow_fee.value_or(config.execution.borrow_fee)});
  if (config.execution.max_volume_fraction > 0)
    check_volumes(*data, config.source_file);
  ctx->taps.resize(ctx->containers.size());
  ctx->config = std::move(config);
  ctx->data = std::move(data);
  return ctx;
}

}  // namespace admf
