// admf_bench: throughput of the full actor pipeline against a plain single-threaded
// loop doing the same trading arithmetic, on synthetic bars. Prints one JSON object.
//
//   admf_bench [--bars N] [--repeats R] [--threads T] [--gate 1]
//
// Data generation is never timed. Both sides must make the same trades: the plain
// loop is the reference for what the actors add, so it is only a fair baseline if it
// does the same work (strategy, risk rules, fills, accounting, metrics).
#include <stdexcept>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <unistd.h>
#include <fstream>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/bench_flags.hpp"
#include "bench/median.hpp"
#include "actors/execution/fill_model.hpp"
#include "actors/portfolio/portfolio_book.hpp"
#include "actors/risk/risk_rules.hpp"
#include "plugins/sma_crossover/sma_crossover.hpp"
#include "runtime/strategy/strategy.hpp"
#include "apps/engine/backtest.hpp"
#include "runtime/metrics/metrics.hpp"

namespace {

using admf::bench::median;

using namespace admf;
using clock_type = std::chrono::steady_clock;

constexpr int fast = 10, slow = 30;
constexpr double initial_capital = 100000;
constexpr std::uint64_t seed = 42;

struct options {
  std::size_t bars = 1'000'000;
  int repeats = 3;
  std::size_t threads = 2;
  int gate = 0;  ///< 1: the pipeline and the plain loop only (the regression gate's run)
};

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;  // Linux: kilobytes
}


/// `type` sma_crossover loads the plugin; sma_builtin is the same class compiled into
/// this binary and registered in process.
backtest_config make_config(std::size_t batch_size, const std::string& type = "sma_crossover") {
  backtest_config c;
  c.name = "bench";
  c.engine.batch_size = batch_size;
  portfolio_config p;
  p.id = "bench_sma";
  p.initial_capital = initial_capital;
  strategy_config s;
  s.id = "sma";
  s.type = type;
  s.params.values = {{"fast", std::to_string(fast)}, {"slow", std::to_string(slow)}};
  p.strategies.push_back(s);
  c.portfolios.push_back(p);
  return c;
}

struct outcome {
  double bars_per_sec = 0;
  double cpu_bars_per_sec = 0;  ///< bars over the process's CPU seconds (all its threads)
  metrics_report metrics;
};

/// CPU seconds of this process, every thread: unlike wall time, it does not grow with
/// the other programs sharing the cores, so its ratios hold on a busy machine.
double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

outcome run_pipeline(const backtest_config& config, const std::shared_ptr<const market_data>& data,
                     std::size_t threads, const std::string& out_dir = "") {
  const auto t0 = clock_type::now();
  const double cpu0 = cpu_now();
  // out_dir "" (the default): no files, so disk speed is not measured.
  const auto result = run_backtest(config, data, run_options{out_dir, threads});
  const std::chrono::duration<double> dt = clock_type::now() - t0;
  const double cpu = cpu_now() - cpu0;
  const auto& p = result.portfolios.at(0);
  if (!p.ok)
    throw std::runtime_error("pipeline portfolio failed: " + p.error);
  const auto bars = static_cast<double>(data->bars.size());
  return {bars / dt.count(), bars / cpu, p.metrics};
}

/// Collects the signals a strategy emits, for the plain loop.
class collect_signals final : public plugin::context {
public:
  std::vector<plugin::signal> signals;
  void emit(const plugin::signal& s) override { signals.push_back(s); }
  std::size_t symbol_count() const override { return 1; }
  const char* symbol_name(std::uint32_t) const override { return "SYN"; }
  std::int64_t symbol_index(const char*) const override { return 0; }
  // The SMA strategy uses version 1's emit only.
  void submit(const plugin::order_signal&) override { throw std::logic_error("not in the bench"); }
  void cancel(std::uint32_t) override { throw std::logic_error("not in the bench"); }
  void replace(std::uint32_t, const plugin::order_change&) override {
    throw std::logic_error("not in the bench");
  }
};

/// What the portfolio, risk and execution actors do for one portfolio with one
/// strategy on one symbol, as a plain loop: a signal made at a bar's close becomes a
/// market order judged by the risk rules, which fills at the next bar's open.
outcome run_plain(const market_data& data, const execution_config& exec, const risk_config& risk,
                  const metrics_config& metrics_settings) {
  const auto t0 = clock_type::now();
  const double cpu0 = cpu_now();
  constexpr container_id strategy_id = 1;  // any id: it only keys the book's positions
  plugins::sma_crossover strat(fast, slow);
  portfolio_book book(initial_capital);
  metrics_accumulator metrics(initial_capital, metrics_settings, time_format_of(data, std::vector<bool>(data.symbols.size(), true)));
  collect_signals intents;
  std::optional<std::pair<order_data, timestamp>> open_order;  // one symbol: at most one
  std::uint64_t order_ids = 0, trade_ids = 0;
  for (const auto& [time, bar] : data.bars) {
    if (open_order && open_order->second < time) {
      if (auto fill = try_fill(open_order->first, bar, exec); fill && fill->quantity > 0)
        for (const auto& [type, pos] : book.apply(*fill, time, ++trade_ids))
          if (type == event_type::position_close)
            metrics.on_round_trip(pos.pnl);
      open_order.reset();  // market orders fill (or are cancelled for zero units) at once
    }
    book.mark(bar.symbol, bar.close);
    intents.signals.clear();
    const plugin::bar pbar{time, bar.symbol, bar.open, bar.high, bar.low, bar.close, bar.volume};
    strat.on_bars(&pbar, 1, intents);

    const auto update = book.update(0);
    metrics.on_equity(time, update.equity, update.gross_exposure > 0);
    // A long-only cash account: its buying power is its cash.
    const portfolio_snapshot snapshot{book.equity(), book.peak(), book.gross_exposure(),
                                      book.cash()};
    reservations reserved;
    for (const auto& s : intents.signals) {
      if (open_order)
        continue;  // as the portfolio: a signal is ignored while an order for it is open
      const position* held = book.find(strategy_id, s.symbol);
      const double qty = held ? held->quantity : 0;
      order_proposal p;
      p.order.order_id = ++order_ids;
      p.order.strategy = strategy_id;
      p.order.symbol = s.symbol;
      p.order.kind = static_cast<order_kind>(s.type);
      p.time = time;
      p.reference_price = book.last_close(s.symbol);
      const bool wants_long = s.target == plugin::direction::long_;
      if (qty > 0 && !wants_long) {
        p.order.action = side::sell;
        p.order.quantity = qty;
        p.exit = true;
      } else if (wants_long && qty <= 0) {
        p.order.action = side::buy;
        p.order.budget = book.equity();
      } else {
        continue;  // sma_crossover is long-only: nothing else to do
      }
      const auto verdict = judge(p, snapshot, risk, account_type::cash, reserved);
      if (const auto* order = std::get_if<order_data>(&verdict))
        open_order.emplace(*order, time);
    }
  }
  const std::chrono::duration<double> dt = clock_type::now() - t0;
  const double cpu = cpu_now() - cpu0;
  const auto bars = static_cast<double>(data.bars.size());
  return {bars / dt.count(), bars / cpu, metrics.report()};
}

/// Sum of what every tracer wrote to disk, from the trace_stats.json files.
std::pair<std::uint64_t, std::uint64_t> trace_disk_usage(const std::filesystem::path& dir) {
  std::uint64_t bytes = 0, records = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().filename() != "trace_stats.json")
      continue;
    std::ifstream in{entry.path()};
    const auto stats = nlohmann::json::parse(in);
    bytes += stats["disk_bytes"].get<std::uint64_t>();
    records += stats["disk_records"].get<std::uint64_t>();
  }
  return {bytes, records};
}

nlohmann::ordered_json figures(const std::vector<outcome>& runs);

/// Tracing off, minimal (trade_complete, in memory) and full to disk (plain and zstd),
/// interleaved run by run so machine noise hits every mode alike. Every mode writes
/// its results to disk, so the ratios isolate tracing's own cost.
nlohmann::ordered_json tracing_costs(const std::shared_ptr<const market_data>& data,
                                     const options& opt) {
  // One directory per process: two benches at once (or a test beside one) must not
  // share a staging directory.
  const auto dir = std::filesystem::temp_directory_path()
                   / ("admf_bench_trace_" + std::to_string(::getpid()));
  struct mode {
    const char* name;
    trace_settings tracing;
    std::vector<outcome> runs;
  };
  auto full = trace_level("debug", "");
  auto full_zstd = full;
  full_zstd.defaults.compress = true;
  std::vector<mode> modes{{"off", trace_level("none", ""), {}},
                          {"minimal", trace_level("minimal", ""), {}},
                          {"full_disk", full, {}},
                          {"full_disk_zstd", full_zstd, {}}};
  nlohmann::ordered_json out;
  for (int i = 0; i < opt.repeats; ++i) {
    for (auto& m : modes) {
      auto config = make_config(engine_config{}.batch_size);
      config.tracing = m.tracing;
      std::filesystem::remove_all(dir);
      m.runs.push_back(run_pipeline(config, data, opt.threads, dir.string()));
      if (i == 0 && m.tracing.defaults.storage == storage_backend::disk) {
        const auto [bytes, records] = trace_disk_usage(dir);
        out[m.name]["trace_bytes"] = bytes;
        out[m.name]["trace_records"] = records;
        out[m.name]["bytes_per_event"] = records ? static_cast<double>(bytes) / records : 0.0;
      }
    }
  }
  std::filesystem::remove_all(dir);
  const double off = figures(modes.front().runs)["bars_per_sec_median"].get<double>();
  for (auto& m : modes) {
    out[m.name].update(figures(m.runs));
    // Time relative to tracing off: the targets are minimal <= 1.3, full <= 2.
    out[m.name]["time_ratio_to_off"] = off / out[m.name]["bars_per_sec_median"].get<double>();
  }
  return out;
}

nlohmann::ordered_json figures(const std::vector<outcome>& runs) {
  std::vector<double> v, cpu;
  for (const auto& r : runs) {
    v.push_back(r.bars_per_sec);
    cpu.push_back(r.cpu_bars_per_sec);
  }
  return {{"bars_per_sec_median", median(v)}, {"bars_per_sec_runs", v},
          {"cpu_bars_per_sec_median", median(cpu)}};
}

} // namespace

int main(int argc, char** argv) try {
  options opt;
  bench::parse_flags(argc, argv, "admf_bench [--bars N] [--repeats R] [--threads T] [--gate 1]",
                     std::pair{"--bars", &opt.bars}, std::pair{"--repeats", &opt.repeats},
                     std::pair{"--threads", &opt.threads}, std::pair{"--gate", &opt.gate});
  const auto data = std::make_shared<const market_data>(synthetic_market_data(opt.bars, seed));
  const long rss_after_data = peak_rss_kb();

  // The pipeline runs first, so ru_maxrss read right after it is the peak of data +
  // pipeline, untouched by the plain loop or the batch-size sweep.
  const auto config = make_config(engine_config{}.batch_size);
  std::vector<outcome> pipeline, plain;
  for (int i = 0; i < opt.repeats; ++i)
    pipeline.push_back(run_pipeline(config, data, opt.threads));
  const long rss_after_pipeline = peak_rss_kb();

  for (int i = 0; i < opt.repeats; ++i)
    plain.push_back(run_plain(*data, config.execution, config.portfolios[0].risk,
                              config.portfolios[0].metrics));

  const auto& pm = pipeline.front().metrics;
  const auto& lm = plain.front().metrics;
  const bool same = pm.trades == lm.trades && pm.final_equity == lm.final_equity;
  nlohmann::ordered_json out;
  out["bars"] = opt.bars;
  out["repeats"] = opt.repeats;
  out["threads"] = opt.threads;
  out["batch_size"] = config.engine.batch_size;
  out["pipeline"] = figures(pipeline);
  out["pipeline"]["trades"] = pm.trades;
  out["pipeline"]["final_equity"] = pm.final_equity;
  out["plain_loop"] = figures(plain);
  out["plain_loop"]["trades"] = lm.trades;
  out["plain_loop"]["final_equity"] = lm.final_equity;
  out["ratio_pipeline_over_plain"] = out["pipeline"]["bars_per_sec_median"].get<double>()
                                     / out["plain_loop"]["bars_per_sec_median"].get<double>();
  out["cpu_ratio_pipeline_over_plain"] =
    out["pipeline"]["cpu_bars_per_sec_median"].get<double>()
    / out["plain_loop"]["cpu_bars_per_sec_median"].get<double>();
  out["same_result"] = same;
  out["peak_rss_kb_after_data"] = rss_after_data;
  out["peak_rss_kb_after_pipeline"] = rss_after_pipeline;
  if (opt.gate) {
    std::cout << out.dump(2) << "\n";
    return same ? 0 : 1;
  }

  nlohmann::ordered_json sweep = nlohmann::ordered_json::array();
  for (std::size_t batch : {64, 256, 1024, 4096}) {
    std::vector<outcome> runs;
    for (int i = 0; i < opt.repeats; ++i)
      runs.push_back(run_pipeline(make_config(batch), data, opt.threads));
    nlohmann::ordered_json row{{"batch_size", batch}};
    row.update(figures(runs));
    sweep.push_back(row);
  }

  const auto tracing = tracing_costs(data, opt);

  // The plugin against the same strategy built in, interleaved run by run.
  register_strategy("sma_builtin", [](const plugin::params& p) {
    return strategy_ptr{new plugins::sma_crossover(p), [](plugin::strategy* s) { delete s; }};
  });
  std::vector<outcome> as_plugin, built_in;
  for (int i = 0; i < opt.repeats; ++i) {
    as_plugin.push_back(run_pipeline(make_config(engine_config{}.batch_size), data, opt.threads));
    built_in.push_back(
      run_pipeline(make_config(engine_config{}.batch_size, "sma_builtin"), data, opt.threads));
  }

  out["batch_sizes"] = sweep;
  out["tracing"] = tracing;
  out["plugin"] = {{"plugin", figures(as_plugin)}, {"built_in", figures(built_in)}};
  // Time of the plugin relative to built in: the target is <= 1.05.
  out["plugin"]["time_ratio_plugin_over_built_in"] =
    out["plugin"]["built_in"]["bars_per_sec_median"].get<double>()
    / out["plugin"]["plugin"]["bars_per_sec_median"].get<double>();
  std::cout << out.dump(2) << "\n";
  // Different trades mean the baseline no longer does the pipeline's work: the ratio
  // would be meaningless, so fail loudly.
  return same ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "admf_bench: " << e.what() << "\n";
  return 1;
}
