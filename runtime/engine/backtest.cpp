#include "runtime/engine/backtest.hpp"

#include <filesystem>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/backtest/backtest_actor.hpp"
#include "runtime/core/error.hpp"
#include "runtime/results/files.hpp"

namespace admf {

namespace fs = std::filesystem;

namespace {

/// Moves each finished portfolio directory from staging into the output directory.
/// A stopped portfolio gets only an error.txt, so nothing there looks complete.
void publish_results(const run_result& result, const fs::path& staging, const fs::path& out) {
  for (const auto& p : result.portfolios) {
    const auto target = out / p.id;
    fs::remove_all(target);
    if (p.ok) {
      fs::rename(staging / p.id, target);
    } else {
      fs::create_directories(target);
      write_file_atomically(target / "error.txt", p.error + "\n");
    }
  }
  fs::remove_all(staging);
}

} // namespace

run_result run_backtest(const backtest_config& config, std::shared_ptr<const market_data> data,
                        const run_options& options) {
  validate(config);
  if (data->bars.empty())
    throw input_error("data: no bars to run on");
  auto ctx = make_run_context(config, std::move(data));
  fs::path staging;
  if (!options.out_dir.empty()) {
    staging = fs::path(options.out_dir) / (".staging-" + ctx->run_hex());
    fs::remove_all(staging);
    fs::create_directories(staging);
    ctx->staging_dir = staging.string();
  }

  caf::actor_system_config cfg;
  const auto threads =
    options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  cfg.set("scheduler.max-threads", threads);
  cfg.set("logger.verbosity", caf::atom("quiet"));
  run_result result;
  caf::error failure;
  {
    caf::actor_system system{cfg};
    caf::scoped_actor self{system};
    auto root = self->spawn(backtest_actor, context_ptr{ctx});
    self->request(root, caf::infinite, start_atom::value)
      .receive([&](const run_result& r) { result = r; }, [&](caf::error& e) { failure = e; });
  }
  if (failure) {
    if (!staging.empty())
      fs::remove_all(staging);
    throw std::runtime_error("backtest failed: " + caf::to_string(failure));
  }
  if (!staging.empty())
    publish_results(result, staging, options.out_dir);
  return result;
}

run_result run_backtest(const backtest_config& config, const run_options& options) {
  auto data = std::make_shared<const market_data>(load_market_data(config.data));
  return run_backtest(config, std::move(data), options);
}

} // namespace admf
