// The checks every row of a data file passes, shared by the ohlcv and wide loaders of
// source_loader.cpp: its time (format, zone, DST fold, order, start/end) and whether its
// bar can exist (on_bad_bar). Internal to runtime/data.
#pragma once
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "runtime/core/error.hpp"
#include "runtime/data/csv_table.hpp"
#include "runtime/data/source_loader.hpp"
#include "runtime/data/timestamp_reader.hpp"

namespace admf::row_checks {

inline constexpr std::size_t max_examples = 5;  // of each kind of row kept for inspect

inline void note(std::vector<std::string>& examples, std::string what) {
  if (examples.size() < max_examples)
    examples.push_back(std::move(what));
}

/// The time column of a file: cells through the source's timestamp_reader, the DST
/// fold resolved by row order, and the order checked strictly (README "Data files").
class time_column {
public:
  time_column(const data_source_config& source, std::size_t column, source_info& info,
              bool keep_going)
    : reader_(make_reader(source)), descending_(source.order == row_order::descending),
      column_(column), info_(info), keep_going_(keep_going) {
    info_.time_format = reader_.describe();
  }

  /// The row's time; false when the row is dropped for its order (keep_going only).
  bool read(const csv_table& file, timestamp& t) {
    read_time both;
    const std::string_view cell = file.field(column_);
    if (!reader_.read(cell, both, error_)) {
      // The reader's message holds the whole cell: cut it as csv_table cuts every cell.
      const std::size_t at =
        cell.size() > csv_table::max_echoed ? error_.find(cell) : std::string::npos;
      if (at != std::string::npos)
        error_.replace(at, cell.size(), file.text(column_));
      file.fail(file.about(column_, error_));
    }
    // An ambiguous local time is the instant that keeps the rows in order: in an
    // ascending file the earlier unless it is not after the previous row.
    if (!descending_)
      t = prev_line_ == 0 || both.earlier > prev_ ? both.earlier : both.later;
    else
      t = prev_line_ == 0 || both.later < prev_ ? both.later : both.earlier;
    first_ = prev_line_ == 0 ? t : std::min(first_, t);
    last_ = prev_line_ == 0 ? t : std::max(last_, t);
    const bool in_order = prev_line_ == 0 || (descending_ ? t < prev_ : t > prev_);
    if (!in_order) {
      const std::string what = order_problem(t);
      if (!keep_going_)
        file.fail(what);
      ++(t == prev_ ? info_.duplicates : info_.unsorted);
      note(info_.order_problems, file.where() + ": " + what);
      return false;
    }
    if (prev_line_ == 0)
      first_line_ = file.line();
    prev_ = t;
    prev_line_ = file.line();
    return true;
  }

  /// "2020-01-01 to 2020-03-31": the times of all rows read (none read: "").
  std::string span() const {
    return prev_line_ == 0 ? "" : format_timestamp(first_) + " to " + format_timestamp(last_);
  }

private:
  static timestamp_reader make_reader(const data_source_config& source) {
    try {
      return timestamp_reader(source.time_format, source.timezone);
    } catch (const input_error& e) {
      throw input_error(source.path + ": " + e.what());
    }
  }

  std::string order_problem(timestamp t) const {
    const std::string previous = std::to_string(prev_line_);
    if (t == prev_)
      return "duplicate timestamp " + format_timestamp(t) + ", same as line " + previous;
    // A step back right after the first row is what a newest-first file looks like.
    const char* hint = descending_                  ? " (order: descending)"
                       : prev_line_ == first_line_ ? " (newest first? set order: descending)"
                                                   : "";
    return "unsorted timestamp " + format_timestamp(t) + (descending_ ? " is after " : " is before ")
           + format_timestamp(prev_) + " on line " + previous + hint;
  }

  timestamp_reader reader_;
  bool descending_;
  std::size_t column_;
  source_info& info_;
  bool keep_going_;
  std::string error_;  // reused: reading a cell allocates nothing when it succeeds
  timestamp prev_ = 0, first_ = 0, last_ = 0;
  std::size_t prev_line_ = 0, first_line_ = 0;  // of the last and the first row kept
};

/// `start:` / `end:`, both inclusive.
struct time_range {
  std::optional<timestamp> start, end;

  bool contains(timestamp t) const { return (!start || t >= *start) && (!end || t <= *end); }

  /// A range that leaves no bar of a file with rows is a mistake, not an empty run.
  void check_not_empty(const csv_table& file, const loaded_source& out,
                       const time_column& times) const {
    if (!out.bars.empty() || out.info.out_of_range == 0)
      return;
    std::string what = "no rows";
    if (start)
      what += " from start " + format_timestamp(*start);
    if (end)
      what += std::string(start ? " to" : " up to") + " end " + format_timestamp(*end);
    throw input_error(file.path() + ": " + what + " (the file's rows run from " + times.span()
                      + ")");
  }
};

/// What makes a bar impossible, worded as the error that rejects it; `clippable` when
/// clipping open and close into [low, high] is all it takes to fix it.
struct bar_problem {
  std::string what;
  bool clippable = false;
};

inline std::optional<bar_problem> price_problem(const csv_table& file, std::size_t column, double v) {
  if (!std::isfinite(v))
    return bar_problem{file.about(column, "price must be finite, got " + file.text(column))};
  if (v <= 0)
    return bar_problem{file.about(column, "price must be positive, got " + file.text(column))};
  return std::nullopt;
}

inline std::optional<bar_problem> volume_problem(const csv_table& file, std::size_t column, double v) {
  if (!std::isfinite(v))
    return bar_problem{file.about(column, "volume must be finite, got " + file.text(column))};
  if (v < 0)
    return bar_problem{file.about(column, "volume must not be negative, got " + file.text(column))};
  return std::nullopt;
}

/// Applies the on_bad_bar policy to one file's impossible bars and counts what it did.
class bad_bar_filter {
public:
  bad_bar_filter(const csv_table& file, bad_bar_policy policy, source_info& info)
    : file_(file), policy_(policy), info_(info) {
    report_.path = file.path();
    report_.action = policy;
  }

  /// Whether to keep the bar, repaired if need be. Throws input_error under reject, and
  /// under repair when clipping cannot fix the bar.
  bool keep(bar_data& b, const std::optional<bar_problem>& problem) {
    if (!problem)
      return true;
    const bool fixable = policy_ == bad_bar_policy::skip
                         || (policy_ == bad_bar_policy::repair && problem->clippable);
    if (!fixable)
      file_.fail(problem->what);
    const std::string what = file_.where() + ": " + problem->what;
    if (report_.count++ == 0)
      report_.first = what;
    const bool skip = policy_ == bad_bar_policy::skip;
    note(info_.bad_rows, what + (skip ? " (skipped)" : " (repaired)"));
    if (skip)
      return false;
    b.open = std::clamp(b.open, b.low, b.high);
    b.close = std::clamp(b.close, b.low, b.high);
    return true;
  }

  std::optional<bad_bar_report> report() const {
    return report_.count > 0 ? std::optional<bad_bar_report>(report_) : std::nullopt;
  }

private:
  const csv_table& file_;
  bad_bar_policy policy_;
  source_info& info_;
  bad_bar_report report_;
};


}  // namespace admf::row_checks
