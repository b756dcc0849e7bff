#include "plugins/signal_file/signal_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <stdexcept>

namespace admf::plugins {

signal_file::signal_file(const plugin::params& params) {
  static const char* const known[] = {"file", "strategy", nullptr};
  params.expect_only(known);
  // Relative to the working directory: params do not know where the config is.
  path_ = params.text("file");
  if (path_.empty())
    params.fail("file", "required: the signals.csv to replay");
  std::ifstream in(path_, std::ios::binary);
  if (!in)
    params.fail("file", "cannot open " + path_ + ": " + std::strerror(errno));
  auto rows = read_signal_rows(in, path_);
  if (in.bad())
    params.fail("file", "cannot read " + path_);
  const std::string wanted = params.text("strategy");
  std::set<std::string> ids;
  for (const auto& row : rows)
    ids.insert(row.strategy);
  std::string list;
  for (const auto& id : ids)
    list += (list.empty() ? "" : ", ") + id;
  if (wanted.empty() && ids.size() > 1)
    params.fail("file", path_ + " holds rows of several strategies (" + list
                          + "): choose one with the parameter strategy");
  // A strategy id the file does not hold is most likely a typo: it would replay nothing.
  // (A strategy that never signalled replays from a file with the header alone.)
  if (!wanted.empty() && !ids.empty() && !ids.count(wanted))
    params.fail("strategy", path_ + " has no rows of strategy '" + wanted + "' (it has: " + list
                              + ")");
  for (auto& row : rows)
    if (wanted.empty() || row.strategy == wanted)
      rows_.push_back(std::move(row));
}

void signal_file::on_bars(const plugin::bar* bars, std::size_t count, plugin::context& ctx) {
  if (count == 0)
    return;
  if (!resolved_)
    resolve_symbols(ctx);
  const std::int64_t now = bars[0].time;
  for (; next_ < rows_.size() && rows_[next_].time <= now; ++next_) {
    const auto& row = rows_[next_];
    if (row.time < now)
      throw std::runtime_error(where(row) + ": no bar at " + row.time_text
                               + " for this strategy: the row cannot be replayed");
    replay(row, ctx);
  }
}

void signal_file::reset() {
  next_ = 0;
  resolved_ = false;
}

void signal_file::resolve_symbols(const plugin::context& ctx) {
  for (auto& row : rows_) {
    const auto index = ctx.symbol_index(row.symbol.c_str());
    if (index < 0)
      throw std::invalid_argument(where(row) + ": symbol: unknown symbol '" + row.symbol
                                  + "' (not in the run's data)");
    row.order.symbol = static_cast<std::uint32_t>(index);
  }
  resolved_ = true;
}

void signal_file::replay(const signal_row& row, plugin::context& ctx) const {
  using plugin::signal_csv::action;
  // The context checks the order itself (a limit order needs its price, ...); its
  // message names the symbol, this one adds the row.
  try {
    if (row.action == action::order)
      ctx.submit(row.order);
    else if (row.action == action::cancel)
      ctx.cancel(row.order.symbol);
    else
      ctx.replace(row.order.symbol, row.change);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(where(row) + ": " + e.what());
  }
}

std::string signal_file::where(const signal_row& row) const {
  return path_ + ":" + std::to_string(row.line);
}

}  // namespace admf::plugins
