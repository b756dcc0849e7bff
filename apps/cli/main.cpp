// admf: the command line. `admf run CONFIG`, `admf validate CONFIG`, `admf trace FILE...`,
// `admf optimize CONFIG`, `admf worker`, `admf data inspect FILE`,
// `admf data import FILES... --out DIR`.
// Exit codes: 0 ok, 1 any other failure, 2 bad input (config, data, plugin, command
// line), 3 a portfolio was stopped, 4 a file could not be written (io_error), 5 a
// plugin crashed (runtime/plugin/crash_handler.hpp), 130 / 143 stopped cleanly by
// SIGINT / SIGTERM (interrupted).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "apps/cli/data_command.hpp"
#include "apps/cli/data_import_command.hpp"
#include "apps/cli/optimize_command.hpp"
#include "apps/cli/summary.hpp"
#include "apps/cli/trace_command.hpp"
#include "apps/cli/worker_command.hpp"
#include "apps/engine/backtest.hpp"
#include "runtime/core/error.hpp"
#include "runtime/core/stop_signal.hpp"
#include "runtime/log/log.hpp"
#include "runtime/plugin/crash_handler.hpp"
#include "runtime/run/run_context.hpp"
#include "runtime/strategy/checked_config.hpp"

namespace {

/// Event types `-v` prints live as their containers emit them.
std::uint32_t verbose_console_events() {
  std::uint32_t mask = 0;
  for (auto t : {admf::event_type::signal, admf::event_type::order, admf::event_type::fill,
                 admf::event_type::order_cancel, admf::event_type::position_open,
                 admf::event_type::position_close, admf::event_type::risk_reject,
                 admf::event_type::liquidation})
    mask |= 1u << static_cast<unsigned>(t);
  return mask;
}

int run_command(const std::string& config_path, std::string out_dir, std::size_t threads,
                const std::string& trace, bool verbose, bool signals) {
  auto config = admf::load_config(config_path);
  if (!trace.empty())
    config.tracing = admf::trace_level(trace, "--trace");
  if (verbose) {
    if (!config.tracing.enabled)
      config.tracing.defaults.enabled = false;  // console only: trace nothing
    config.tracing.console_events |= verbose_console_events();
    config.tracing.enabled = true;
  }
  if (out_dir.empty())
    out_dir = (std::filesystem::path("results") / config.name).string();
  auto data = admf::load_reported_data(config.data);
  admf::stop_flag stop;
  admf::run_options options{out_dir, threads, signals, &stop};
  const auto result = [&] {
    // Only while the run goes on: before, nothing needs cleaning up; after, nothing can be cut.
    const admf::signal_watcher watcher{stop};
    return admf::run_backtest(config, data, options);
  }();
  std::fputs(admf::summary_table(config, result, out_dir).c_str(), stdout);
  for (const auto& p : result.portfolios)
    if (!p.ok)
      return 3;  // some portfolio was stopped: the run is not a full success
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  admf::install_crash_handler();  // a plugin that crashes is named, and the run exits 5
  CLI::App app{"admf: actor-model backtesting, deterministic and observable"};
  app.require_subcommand(1);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "debug logging (every container, with the run id)");

  std::string config_path, out_dir, trace;
  std::size_t threads = 0;
  bool signals = false;
  auto* run = app.add_subcommand("run", "run a backtest and write its results");
  run->add_option("config", config_path, "YAML config")->required();
  run->add_option("--out", out_dir, "results directory (default: results/<config name>)");
  run->add_option("--threads", threads, "scheduler threads (default: one per core)")
    ->check(CLI::Range(1, 256));
  run->add_option("--trace", trace,
                  "trace level, replacing the config's trace_settings: "
                  "none, minimal, metrics, normal, debug");
  run->add_flag("--signals", signals,
                "also write each portfolio's signals as DIR/<portfolio>/signals.csv, "
                "which the signal_file plugin replays");
  run->add_flag("-v,--verbose", verbose, "debug logging, and trading events printed live");

  auto* validate = app.add_subcommand("validate", "check a config and its data without running");
  validate->add_option("config", config_path, "YAML config")->required();

  admf::trace_options trace_options;
  auto* trace_cmd = admf::add_trace_command(app, trace_options);

  admf::optimize_options optimize_options;
  auto* optimize_cmd = admf::add_optimize_command(app, optimize_options);

  admf::worker_options worker_options;
  auto* worker_cmd = admf::add_worker_command(app, worker_options);

  auto* data_group = admf::add_data_group(app);
  admf::inspect_options inspect_options;
  auto* inspect_cmd = admf::add_inspect_command(*data_group, inspect_options);
  admf::data_import_options import_options;
  auto* import_cmd = admf::add_data_import_command(*data_group, import_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "error: %s (see --help)\n", e.what());
    return 2;
  }
  admf::configure_logging(verbose);
  try {
    if (*run)
      return run_command(config_path, out_dir, threads, trace, verbose, signals);
    if (*trace_cmd)
      return admf::run_trace(trace_options, std::cout, std::cerr);
    if (*optimize_cmd) {
      admf::run_optimize(optimize_options, std::cout);
      return 0;
    }
    if (*import_cmd) {
      admf::run_data_import(import_options, std::cout);
      return 0;
    }
    if (*worker_cmd) {
      admf::run_worker(worker_options, std::cout);
      return 0;
    }
    if (*inspect_cmd)
      return admf::run_inspect(inspect_options, std::cout, std::cerr);
    auto config = admf::load_config(config_path);
    auto data = admf::load_reported_data(config.data);
    admf::make_run_context(std::move(config), std::move(data));  // checks trace patterns
    std::printf("%s: ok\n", config_path.c_str());
    return 0;
  } catch (const admf::input_error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const admf::io_error& e) {
    std::fprintf(stderr, "admf: %s\n", e.what());
    return 4;
  } catch (const admf::interrupted& e) {
    std::fprintf(stderr, "admf: %s\n", e.what());
    return admf::exit_code_of_signal(e.signal());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
