#include "actors/recorder/recorder_actor.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

#include <caf/typed_event_based_actor.hpp>

#include "actors/recorder/signals_csv.hpp"
#include "runtime/results/files.hpp"
#include "runtime/results/format.hpp"
#include "runtime/supervision/failure.hpp"

namespace admf {

namespace {

class recorder {
public:
  recorder(context_ptr ctx, std::size_t index)
    : ctx_(std::move(ctx)), layout_(ctx_->portfolios[index]), me_(layout_.portfolio),
      signals_(layout_.strategies.size()), strategy_names_(strategy_ids()),
      // Decided from the data before the first row: rows are streamed, and every time
      // they hold is a bar time.
      times_(time_format_of(*ctx_->data, layout_.calendar)),
      metrics_(ctx_->config.portfolios[index].initial_capital,
               ctx_->config.portfolios[index].metrics, times_) {
    if (ctx_->staging_dir.empty())
      return;
    dir_ = std::filesystem::path(ctx_->staging_dir) / ctx_->name_of(me_);
    std::filesystem::create_directories(dir_);
    equity_.emplace(dir_ / "equity.csv");
    equity_->write("time,equity,cash,gross_exposure,net_exposure\n");
    trades_.emplace(dir_ / "trades.csv");
    trades_->write("trade_id,strategy,symbol,side,quantity,entry_time,entry_price,exit_time,"
                   "exit_price,commission,borrow_fee,dividends,pnl\n");
    if (ctx_->write_signals) {
      signal_rows_.emplace(dir_ / "signals.csv");
      signal_rows_->write(signals_csv_header());
    }
  }

  void observe(const event& e) {
    ++counts_[static_cast<std::size_t>(e.header.type)];
    metrics_.observe(e);
    if (e.header.type == event_type::signal) {
      const auto& s = e.as<signal_data>();
      const std::size_t slot = slot_of(s.strategy);
      ++signals_[slot];
      if (signal_rows_) {
        time_text_.clear();
        signal_times_.append(time_text_, e.header.time);
        append_signal_row(signal_rows_->buffer(), time_text_, strategy_names_[slot],
                          ctx_->symbol_name(s.symbol), s);
        signal_rows_->appended();
      }
    }
    if (e.header.type == event_type::portfolio_update && equity_) {
      const auto& u = e.as<portfolio_update_data>();
      std::string& row = equity_->buffer();
      equity_times_.append(row, e.header.time);
      for (double value : {u.equity, u.cash, u.gross_exposure, u.net_exposure}) {
        row += ',';
        append_double(row, value);
      }
      row += '\n';
      equity_->appended();
    } else if (e.header.type == event_type::position_close && trades_) {
      const auto& p = e.as<position_data>();
      std::string& row = trades_->buffer();
      row += std::to_string(scoped_id_counter(p.trade_id));
      row += ',';
      row += strategy_names_[slot_of(p.strategy)];
      row += ',';
      row += ctx_->symbol_name(p.symbol);
      row += p.quantity > 0 ? ",long," : ",short,";
      append_double(row, std::abs(p.quantity));
      row += ',';
      trade_times_.append(row, p.entry_time);
      row += ',';
      append_double(row, p.entry_price);
      row += ',';
      trade_times_.append(row, e.header.time);
      for (double value : {p.exit_price, p.commission, p.borrow_fee, p.dividends, p.pnl}) {
        row += ',';
        append_double(row, value);
      }
      row += '\n';
      trades_->appended();
    } else if (e.header.type == event_type::position_snapshot) {
      const auto& p = e.as<position_data>();
      open_.push_back({strategy_names_[slot_of(p.strategy)], ctx_->symbol_name(p.symbol),
                       p.quantity, p.entry_time, p.entry_price, p.exit_price, p.pnl});
    }
  }

  recorder_report finish(bool keep) {
    if (equity_) {
      if (keep) {
        equity_->commit();
        trades_->commit();
        if (signal_rows_)
          signal_rows_->commit();
        write_file_atomically(dir_ / "positions.csv", positions_csv());
        write_file_atomically(dir_ / "metrics.json", metrics_.report().to_json());
      } else {
        equity_->discard();
        trades_->discard();
        if (signal_rows_)
          signal_rows_->discard();
      }
    }
    return recorder_report{me_, metrics_.report(), counts_, open_, silent_strategies()};
  }

private:
  std::size_t slot_of(container_id strategy) const {
    const auto& ids = layout_.strategies;
    return static_cast<std::size_t>(std::find(ids.begin(), ids.end(), strategy) - ids.begin());
  }

  /// A strategy that never signalled is worth a word: wrong params, symbols or barriers
  /// make a run that does nothing.
  std::vector<std::string> silent_strategies() const {
    std::vector<std::string> out;
    const auto& ids = layout_.strategies;
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (signals_[i] == 0)
        out.push_back(strategy_names_[i]);
    return out;
  }

  /// The positions held at the end, one row each (a header only when none).
  std::string positions_csv() const {
    std::string out = "strategy,symbol,side,quantity,entry_time,entry_price,last_price,"
                      "unrealized_pnl\n";
    for (const auto& p : open_) {
      out += p.strategy + ',' + p.symbol + ',' + (p.quantity > 0 ? "long" : "short") + ',';
      out += format_double(std::abs(p.quantity)) + ',' + format_time(p.entry_time, times_) + ',';
      out += format_double(p.entry_price) + ',' + format_double(p.last_price) + ',';
      out += format_double(p.unrealized_pnl) + '\n';
    }
    return out;
  }

  /// The strategies' config ids, in layout order (their names are "<portfolio>/<id>").
  std::vector<std::string> strategy_ids() const {
    std::vector<std::string> out;
    for (container_id strategy : layout_.strategies) {
      const auto& full = ctx_->name_of(strategy);
      out.push_back(full.substr(full.find('/') + 1));
    }
    return out;
  }

  context_ptr ctx_;
  const portfolio_layout& layout_;
  container_id me_;
  std::vector<std::uint64_t> signals_;       // SIGNALs seen, per strategy (layout order)
  std::vector<std::string> strategy_names_;  // per strategy (layout order)
  time_format times_;
  // One per file: each caches the day of its own rows.
  time_writer equity_times_{times_}, trade_times_{times_}, signal_times_{times_};
  metrics_accumulator metrics_;
  event_counts counts_{};
  std::filesystem::path dir_;
  std::optional<streamed_file> equity_, trades_;
  std::optional<streamed_file> signal_rows_;  // signals.csv, only when asked for
  std::string time_text_;                     // a signal's time
  std::vector<open_position> open_;
};

}  // namespace

recorder_actor::behavior_type recorder_behavior(recorder_actor::pointer self, context_ptr ctx,
                                                std::size_t portfolio,
                                                recorder_parent_actor parent) {
  const container_id me = ctx->portfolios[portfolio].portfolio;
  auto recorded = std::make_shared<std::uint64_t>(0);
  auto r = std::make_shared<recorder>(std::move(ctx), portfolio);
  // A result file that cannot be written ends the recorder with the cause; the root
  // (linked) then fails the run: results must not be published without it.
  self->set_exception_handler([](std::exception_ptr& ep) { return failure_of(ep); });
  return {
    [=](const recorder_input& in) {
      for (const auto& e : *in.events)
        r->observe(e);
      if (in.through > *recorded) {
        *recorded = in.through;
        self->send(parent, recorded_msg{me, in.through});
      }
    },
    [r, self](const finish_msg& f) {
      self->quit();
      return r->finish(f.keep);
    },
  };
}

}  // namespace admf
