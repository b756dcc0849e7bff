#include "apps/engine/backtest.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <fstream>
#include <string_view>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/backtest/backtest_actor.hpp"
#include "actors/interceptor/interceptor_actor.hpp"
#include "runtime/core/error.hpp"
#include "runtime/core/time.hpp"
#include "runtime/results/dir_lock.hpp"
#include "runtime/results/files.hpp"
#include "runtime/strategy/checked_config.hpp"
#include "runtime/supervision/failure.hpp"

namespace admf {

namespace fs = std::filesystem;

namespace {

constexpr const char* manifest_name = "run.json";
/// Where an interrupted run leaves its trace files (a name no container can have: ids
/// have no '.'); the next complete run into the directory removes it.
constexpr const char* interrupted_traces_name = "interrupted.traces";

/// What a previous run published in `out` (its manifest), so a rerun can remove it
/// all, including portfolios the new config no longer has, and nothing else.
std::vector<std::string> previous_entries(const fs::path& out) {
  std::vector<std::string> entries;
  std::ifstream in{out / manifest_name};
  if (!in)
    return entries;
  auto manifest = nlohmann::json::parse(in, nullptr, false);
  if (manifest.is_object() && manifest["entries"].is_array())
    for (const auto& e : manifest["entries"])
      if (e.is_string() && e.get<std::string>().find("..") == std::string::npos)
        entries.push_back(e.get<std::string>());
  return entries;
}

/// Moves everything staged (one directory per portfolio or traced container) into
/// the output directory, replacing what the previous run there had published. A
/// stopped portfolio gets only an error.txt, so nothing there looks complete.
void publish_results(const run_result& result, const fs::path& staging, const fs::path& out) {
  for (const auto& old : previous_entries(out))
    fs::remove_all(out / old);
  fs::remove_all(out / interrupted_traces_name);
  for (const auto& p : result.portfolios) {
    if (p.ok)
      continue;
    fs::create_directories(staging / p.id);  // may hold its traces: keep them
    write_file_atomically(staging / p.id / "error.txt", p.error + "\n");
  }
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(staging))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());  // the manifest is a result file too: deterministic
  for (const auto& name : names) {
    fs::remove_all(out / name);
    fs::rename(staging / name, out / name);
  }
  nlohmann::json manifest;
  manifest["run_id"] = result.run_id;
  manifest["entries"] = names;
  fs::remove_all(staging);
  write_file_atomically(out / manifest_name, manifest.dump(2) + "\n");
}

/// Spawns the interceptor of every container that configuration traces or watches
/// on the console; the root ends them when the run is over.
void attach_interceptors(caf::actor_system& system, const std::shared_ptr<run_context>& ctx) {
  for (container_id c = 0; c < ctx->containers.size(); ++c) {
    interceptor_options options{ctx->trace_rules[c], ctx->config.tracing.console_events};
    if (!options.trace && !options.console_events)
      continue;
    auto tap = std::make_shared<tap_channel>();
    tap->bind(system.spawn(interceptor_behavior, context_ptr{ctx}, c, options, tap));
    ctx->taps[c] = tap;
  }
}

/// Waits for every interceptor to write its files; each answers once the containers
/// it watches (the whole tree is ending now) have ended. Returns the first failure
/// (a trace file that could not be written): the run then fails with it.
caf::error finish_interceptors(caf::scoped_actor& self, const run_context& ctx) {
  caf::error first;
  for (const auto& tap : ctx.taps)
    if (tap)
      self->request(tap->interceptor(), caf::infinite, interceptor_finish_msg{})
        .receive([](bool) {},
                 [&](caf::error& e) {
                   if (!first)
                     first = std::move(e);
                 });
  return first;
}

/// Runs `f`, turning a failed directory operation into an io_error
/// "PATH: `what` failed: OS error".
template <class F>
void filesystem_step(const char* what, F f) {
  try {
    f();
  } catch (const fs::filesystem_error& e) {
    throw io_error(e.path1().string() + ": " + what + " failed: " + e.code().message());
  }
}

/// Removes what runs killed before publishing left in `out`: `.staging-*` directories
/// and their lock files, where no live run holds the lock. A live run's stay.
void clean_stale_staging(const fs::path& out, const fs::path& ours) {
  constexpr std::string_view lock_suffix = ".lock";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(".staging-", 0) != 0)
      continue;
    if (!entry.is_directory(ec)) {  // a lock file, perhaps without its directory
      if (name.size() <= lock_suffix.size()
          || name.compare(name.size() - lock_suffix.size(), lock_suffix.size(), lock_suffix) != 0)
        continue;
      name.resize(name.size() - lock_suffix.size());
    }
    const fs::path staging = out / name;
    if (staging == ours)
      continue;
    try {
      const dir_lock stale(staging, staging.string() + ".lock", "run", true);
      fs::remove_all(staging, ec);
    } catch (const input_error&) {
      // A live run's: not ours to touch.
    }
  }
}

/// Moves the trace files an interrupted run staged (each ended by its tracer with an
/// "interrupted" end record) to OUT/interrupted.traces/<container>/, replacing an
/// earlier interrupted run's; the results beside them are not kept. Returns that
/// directory, "" when no trace file was staged.
std::string keep_interrupted_traces(const fs::path& staging, const fs::path& out) {
  const fs::path kept = out / interrupted_traces_name;
  fs::remove_all(kept);
  bool any = false;
  for (const auto& entry : fs::recursive_directory_iterator(staging)) {
    const auto name = entry.path().filename().string();
    if (!entry.is_regular_file()
        || (name != "events.pb" && name != "events.pb.zst" && name != "trace_stats.json"))
      continue;
    const auto to = kept / fs::relative(entry.path(), staging);
    fs::create_directories(to.parent_path());
    fs::rename(entry.path(), to);
    any = true;
  }
  return any ? kept.string() + "/" : "";
}

/// "interrupted by SIGINT at bar N of M (TIME)...": where the stream was cut (the
/// bars every container handled) and what became of the results.
std::string interruption(const run_context& ctx, std::uint64_t bars, const std::string& out_dir,
                         const std::string& kept_traces) {
  const auto& all = ctx.data->bars;
  std::string text = "interrupted by " + signal_name(ctx.stop->signal()) + " at bar "
                     + std::to_string(bars) + " of " + std::to_string(all.size());
  if (bars > 0 && bars <= all.size())
    text += " (" + format_timestamp(all[bars - 1].time) + ")";
  if (!out_dir.empty())
    text += "; results not published, staging removed";
  if (!kept_traces.empty())
    text += "; traces so far in " + kept_traces;
  return text;
}

}  // namespace

run_result run_backtest(const backtest_config& config, std::shared_ptr<const market_data> data,
                        const run_options& options) {
  validate(config);
  if (data->bars.empty())
    throw input_error("data: no bars to run on");
  auto ctx = make_run_context(config, std::move(data));
  fs::path staging;
  std::optional<dir_lock> staging_lock;  // held until the run returns or throws
  if (!options.out_dir.empty()) {
    if (fs::exists(options.out_dir) && !fs::is_directory(options.out_dir))
      throw input_error(options.out_dir + ": output path exists and is not a directory");
    staging = fs::path(options.out_dir) / (".staging-" + ctx->run_hex());
    filesystem_step("creating the staging directory", [&] {
      // The same run into the same directory at the same time would share the staging;
      // a refused twin leaves nothing it made.
      const bool existed = fs::exists(staging);
      fs::create_directories(staging);
      try {
        staging_lock.emplace(staging, staging.string() + ".lock", "run", true);
      } catch (const input_error&) {
        if (!existed)
          fs::remove(staging);
        throw;
      }
      clean_stale_staging(options.out_dir, staging);
      fs::remove_all(staging);
      fs::create_directories(staging);
    });
    ctx->staging_dir = staging.string();
    ctx->write_signals = options.write_signals;
  }
  ctx->stop = options.stop;

  const bool traces_to_disk =
    std::any_of(ctx->trace_rules.begin(), ctx->trace_rules.end(),
                [](const auto& r) { return r && r->storage == storage_backend::disk; });
  if (traces_to_disk && options.out_dir.empty())
    throw input_error("trace_settings: storage_backend disk needs an output directory");

  caf::actor_system_config cfg;
  const auto threads =
    options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  cfg.set("scheduler.max-threads", threads);
  cfg.set("logger.verbosity", caf::atom("quiet"));
  run_result result;
  caf::error failure, trace_failure;
  {
    caf::actor_system system{cfg};
    caf::scoped_actor self{system};
    attach_interceptors(system, ctx);
    auto root = system.spawn(intercepted(ctx->root, backtest_behavior, context_ptr{ctx}),
                             ctx->taps[ctx->root]);
    self->request(root, caf::infinite, start_atom::value)
      .receive([&](const run_result& r) { result = r; }, [&](caf::error& e) { failure = e; });
    trace_failure = finish_interceptors(self, *ctx);
  }
  if (failure || trace_failure) {
    if (!staging.empty())
      fs::remove_all(staging);
    if (failure)
      rethrow_failure(failure, "backtest failed: ");
    rethrow_failure(trace_failure, "tracing failed: ");
  }
  if (ctx->stop_requested()) {
    std::string kept;
    if (!staging.empty())
      filesystem_step("keeping the traces of an interrupted run", [&] {
        kept = keep_interrupted_traces(staging, options.out_dir);
        fs::remove_all(staging);
      });
    throw interrupted(ctx->stop->signal(), interruption(*ctx, result.bars, options.out_dir, kept));
  }
  if (!staging.empty())
    filesystem_step("creating the staging directory", [&] { publish_results(result, staging, options.out_dir); });
  return result;
}

std::shared_ptr<const market_data> load_reported_data(const data_config& config) {
  auto data = std::make_shared<const market_data>(load_market_data(config));
  for (const auto& report : data->bad_bars)
    std::fprintf(stderr, "warning: %s\n", describe(report).c_str());
  for (const auto& report : data->missing_rows)
    std::fprintf(stderr, "warning: %s\n", describe(report).c_str());
  return data;
}

run_result run_backtest(const backtest_config& config, const run_options& options) {
  return run_backtest(config, load_reported_data(config.data), options);
}

}  // namespace admf
