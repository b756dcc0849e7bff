// signal_file: replays a signals.csv (README "Signal replay"), the file `admf run
// --signals` writes: each row of one strategy, at its time, as the order, cancel or
// replace it records. Signals generated once can so drive many runs of other risk,
// sizing or execution settings, and orders written by hand test order handling.
#pragma once
#include <string>
#include <vector>

#include "plugins/signal_file/signal_rows.hpp"
#include "runtime/plugin/strategy_plugin.hpp"

namespace admf::plugins {

class signal_file final : public plugin::strategy {
public:
  /// Reads the whole file: a bad row stops the run before it starts.
  explicit signal_file(const plugin::params& params);

  void on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) override;
  void reset() override;

private:
  void resolve_symbols(const plugin::context& ctx);
  void replay(const signal_row& row, plugin::context& ctx) const;
  std::string where(const signal_row& row) const;

  std::string path_;
  std::vector<signal_row> rows_;  // this strategy's, in time order
  std::size_t next_ = 0;          // the first row not replayed yet
  bool resolved_ = false;         // rows' symbols looked up in this run's data
};

}  // namespace admf::plugins
