#include "actors/interceptor/interceptor_actor.hpp"

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "runtime/bus/tap_channel.hpp"
#include "runtime/results/files.hpp"
#include "runtime/supervision/failure.hpp"
#include "runtime/tracing/event_text.hpp"
#include "runtime/tracing/retention.hpp"
#include "runtime/tracing/trace_file.hpp"

namespace admf {

namespace fs = std::filesystem;

std::string trace_dir_of(const run_context& ctx, container_id c) {
  // The root's name would collide with nothing, but reads better spelled out.
  return c == ctx.root ? "backtest" : ctx.name_of(c);
}

namespace {

bool has_type(std::uint32_t mask, event_type t) { return (mask >> static_cast<unsigned>(t)) & 1u; }

/// The stream an event is ordered within: its symbol for bars, its portfolio for
/// updates (the high-volume kinds: short keys), portfolio/symbol for trading events,
/// strategy/symbol for signals.
std::string partition_key(const run_context& ctx, const event& e) {
  return std::visit(
    [&](const auto& p) -> std::string {
      using T = std::decay_t<decltype(p)>;
      if constexpr (std::is_same_v<T, bar_data>)
        return ctx.symbol_name(p.symbol);
      else if constexpr (std::is_same_v<T, signal_data>)
        return ctx.name_of(p.strategy) + "/" + ctx.symbol_name(p.symbol);
      else if constexpr (std::is_same_v<T, portfolio_update_data>
                         || std::is_same_v<T, liquidation_data>)
        return ctx.name_of(p.portfolio);
      else
        return ctx.name_of(p.portfolio) + "/" + ctx.symbol_name(p.symbol);
    },
    e.payload);
}

class interceptor {
public:
  interceptor(context_ptr ctx, container_id at, interceptor_options options)
    : ctx_(std::move(ctx)), at_(at), options_(std::move(options)),
      retained_(options_.trace ? options_.trace->retention : retention_policy::minimal,
                options_.trace ? options_.trace->max_events : 0, ctx_->run_id) {
    if (!options_.trace || ctx_->staging_dir.empty())
      return;
    dir_ = fs::path(ctx_->staging_dir) / trace_dir_of(*ctx_, at_);
    if (options_.trace->storage != storage_backend::disk)
      return;
    fs::create_directories(dir_);
    trace_header header;
    header.run_id = ctx_->run_hex();
    header.container = ctx_->name_of(at_);
    header.containers = ctx_->containers;
    header.symbols = ctx_->data->symbols;
    const auto name = options_.trace->compress ? "events.pb.zst" : "events.pb";
    writer_ =
      std::make_unique<trace_writer>((dir_ / name).string(), header, options_.trace->compress);
  }

  void on_tap(const tap_msg& tap) {
    for (const auto& e : *tap.events) {
      // A container emits what it created; what it forwards was recorded at its source.
      if (!tap.inbound && e.header.source != at_)
        continue;
      ++seen_;
      if (!tap.inbound && has_type(options_.console_events, e.header.type))
        print(e);
      if (!options_.trace || !has_type(options_.trace->events, e.header.type))
        continue;
      ++traced_;
      // Streamed to disk, `full` needs nothing in memory.
      const bool keep =
        !(writer_ && options_.trace->retention == retention_policy::full) && retained_.wants(e);
      if (!writer_ && !keep)
        continue;  // counted, not kept: no record to build
      trace_record r{e,
                     {e.header.created_ns, tap.emitted_ns, tap.received_ns, tap.processed_ns},
                     partition_key(*ctx_, e),
                     at_};
      if (writer_)
        writer_->write(r);
      if (keep)
        retained_.add(std::move(r));
    }
  }

  void finish() {
    if (writer_)
      writer_->close(ctx_->stop_requested() ? signal_name(ctx_->stop->signal()) : "");
    if (!options_.trace || dir_.empty())
      return;
    const auto& s = retained_.stats();
    nlohmann::ordered_json stats;
    stats["container"] = ctx_->name_of(at_);
    stats["retention_policy"] = policy_name();
    stats["max_events"] = options_.trace->max_events;
    stats["storage_backend"] = options_.trace->storage == storage_backend::disk ? "disk" : "memory";
    stats["events_seen"] = seen_;
    stats["events_traced"] = traced_;
    stats["events_held"] = s.held;
    stats["events_held_peak"] = s.peak;
    stats["bytes_held"] = s.held * sizeof(trace_record);
    stats["bytes_held_peak"] = s.peak * sizeof(trace_record);
    stats["events_dropped"] = s.dropped;
    stats["trades_completed"] = s.trades_completed;
    stats["disk_records"] = writer_ ? writer_->records_written() : 0;
    stats["disk_bytes"] = writer_ ? writer_->bytes_written() : 0;
    fs::create_directories(dir_);
    write_file_atomically(dir_ / "trace_stats.json", stats.dump(2) + "\n");
  }

private:
  const char* policy_name() const {
    switch (options_.trace->retention) {
      case retention_policy::trade_complete:
        return "trade_complete";
      case retention_policy::sliding_window:
        return "sliding_window";
      case retention_policy::minimal:
        return "minimal";
      case retention_policy::full:
        return "full";
    }
    return "?";
  }

  void print(const event& e) const {
    fmt::print(stderr, "{} {:<16} {:<24} {}\n", format_timestamp(e.header.time),
               to_string(e.header.type), ctx_->name_of(e.header.source), console_text(e));
  }

  std::string console_text(const event& e) const {
    const auto& symbols = ctx_->data->symbols;
    // A side SIGNAL stays "SYMBOL TARGET": the plugin tests read strategies' signals off
    // this line (printed_signals in plugins/plugin_test_support.py). Cancels, replaces
    // and other targets read as in traces.
    if (e.header.type == event_type::signal) {
      const auto& s = e.as<signal_data>();
      if (s.action == signal_action::order && s.sizing == target_kind::side)
        return name_or_number(symbols, s.symbol) + " " + direction_name(s.target);
    }
    return describe_payload(e, symbols);
  }

  context_ptr ctx_;
  container_id at_;
  interceptor_options options_;
  retention retained_;
  fs::path dir_;
  std::unique_ptr<trace_writer> writer_;
  std::uint64_t seen_ = 0, traced_ = 0;
};

}  // namespace

interceptor_actor::behavior_type interceptor_behavior(interceptor_actor::pointer self,
                                                      context_ptr ctx, container_id at,
                                                      interceptor_options options,
                                                      std::shared_ptr<tap_channel> tap) {
  struct state {
    std::shared_ptr<interceptor> impl;
    std::optional<caf::typed_response_promise<bool>> finishing;
    caf::error failed;  // a trace file could not be written: answered at finish
  };
  auto st = std::make_shared<state>();
  st->impl = std::make_shared<interceptor>(std::move(ctx), at, std::move(options));
  // Taps keep being taken after a failure (the containers go on pushing them), only
  // no longer written: the run fails at its end, when the root asks for the traces.
  // Written or not, they leave the channel: the root may be waiting for it to drain.
  auto handle = [=](const std::vector<tap_msg>& taps) {
    if (!st->failed) {
      try {
        for (const auto& t : taps)
          st->impl->on_tap(t);
      } catch (...) {
        st->failed = failure_of(std::current_exception());
      }
    }
    tap->handled(taps);
  };
  auto drain = [=] {
    handle(tap->take());
    if (!st->finishing || tap->live_containers() > 0)
      return;
    // Every attached container has ended: its last taps were queued before.
    handle(tap->take());
    if (!st->failed) {
      try {
        st->impl->finish();
      } catch (...) {
        st->failed = failure_of(std::current_exception());
      }
    }
    if (st->failed)
      st->finishing->deliver(st->failed);
    else
      st->finishing->deliver(true);
    self->quit();
  };
  return {
    [=](tap_drain_atom) { drain(); },
    [=](interceptor_finish_msg) {
      st->finishing = self->make_response_promise<bool>();
      drain();
      return *st->finishing;
    },
  };
}

}  // namespace admf
