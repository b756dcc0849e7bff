#include "apps/cli/data_command.hpp"

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "runtime/core/error.hpp"
#include "runtime/data/source_loader.hpp"
#include "runtime/strategy/checked_config.hpp"

namespace admf {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t gaps_shown = 5;

/// "1d", "30m", "4h30m", "1d2h", "15s", "250ms": a spacing between bars.
std::string duration_text(timestamp ns) {
  if (ns < ns_per_second)
    return std::to_string(ns / 1'000'000) + "ms";
  const std::pair<timestamp, const char*> units[] = {
    {ns_per_day, "d"}, {3600 * ns_per_second, "h"}, {60 * ns_per_second, "m"}, {ns_per_second, "s"}};
  std::string out;
  for (const auto& [unit, name] : units)
    if (ns >= unit) {
      out += std::to_string(ns / unit) + name;
      ns %= unit;
    }
  return out;
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }

/// The source as a run would read FILE: the config's, or the defaults.
std::pair<data_source_config, bad_bar_policy> source_for(const inspect_options& options) {
  data_source_config source;
  if (options.config.empty()) {
    if (options.format != "ohlcv" && options.format != "wide")
      throw input_error("--format: expected ohlcv or wide, got '" + options.format + "'");
    source.format = options.format == "wide" ? csv_format::wide : csv_format::ohlcv;
    source.symbol = fs::path(options.file).stem().string();
    source.csv = source.path = options.file;
    return {source, bad_bar_policy::reject};
  }
  const backtest_config config = load_config(options.config);
  const auto& sources = config.data.sources;
  std::optional<std::size_t> index = options.source;
  if (!index) {
    std::error_code ignored;
    for (std::size_t i = 0; i < sources.size() && !index; ++i)
      if (fs::equivalent(sources[i].path, options.file, ignored))
        index = i;
    if (!index)
      throw input_error(options.file + " is not a source of " + options.config
                        + "; give --source N to read it as that source");
  }
  if (*index >= sources.size())
    throw input_error("--source " + std::to_string(*index) + ": " + options.config + " has "
                      + std::to_string(sources.size()) + " source(s), numbered from 0");
  source = sources[*index];
  source.csv = source.path = options.file;
  return {source, config.data.on_bad_bar};
}

void print_dialect(const csv_dialect& d, std::ostream& out) {
  out << "dialect:     delimiter " << delimiter_name(d.delimiter)
      << (d.delimiter_detected ? " (detected)" : " (delimiter:)") << ", decimal '" << d.decimal
      << "', byte order mark " << yes_no(d.bom) << ", line ends "
      << (d.crlf ? "CRLF" : "LF") << "\n";
}

void print_examples(const char* title, std::size_t count, const std::string& outcome,
                    const std::vector<std::string>& examples, std::ostream& out) {
  out << title << count;
  if (count > 0)
    out << " " << outcome;
  out << "\n";
  for (const auto& e : examples)
    out << "  " << e << "\n";
  if (count > examples.size())
    out << "  ... and " << count - examples.size() << " more\n";
}

/// Distinct times of the bars, and the spacing between them: median and largest. Memory
/// is one timestamp per spacing (for the median) beside the bars, reserved exactly.
void print_spacing(const std::vector<timed_bar>& bars, std::ostream& out) {
  std::size_t spacings = 0;
  for (std::size_t i = 1; i < bars.size(); ++i)
    spacings += bars[i].time != bars[i - 1].time;
  if (spacings == 0) {
    out << "spacing:     (fewer than two times)\n";
    return;
  }
  std::vector<timestamp> lengths;
  lengths.reserve(spacings);
  // The largest (length, later time): longest first, equal lengths in time order, so
  // the output is the same every run. Later ties never displace earlier ones.
  std::vector<std::pair<timestamp, timestamp>> largest;
  const auto before = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  for (std::size_t i = 1; i < bars.size(); ++i) {
    if (bars[i].time == bars[i - 1].time)
      continue;
    const std::pair<timestamp, timestamp> gap{bars[i].time - bars[i - 1].time, bars[i].time};
    lengths.push_back(gap.first);
    if (largest.size() < gaps_shown || before(gap, largest.back())) {
      if (largest.size() == gaps_shown)
        largest.pop_back();
      largest.insert(std::upper_bound(largest.begin(), largest.end(), gap, before), gap);
    }
  }
  std::nth_element(lengths.begin(), lengths.begin() + lengths.size() / 2, lengths.end());
  out << "spacing:     median " << duration_text(lengths[lengths.size() / 2]) << "\n";
  out << "largest gaps:\n";
  for (const auto& [length, later] : largest)
    out << "  " << duration_text(length) << " from " << format_timestamp(later - length) << " to "
        << format_timestamp(later) << "\n";
}

}  // namespace

CLI::App* add_data_group(CLI::App& app) {
  auto* data = app.add_subcommand("data", "work with data files (inspect)");
  data->require_subcommand(1);
  return data;
}

CLI::App* add_inspect_command(CLI::App& data, inspect_options& options) {
  auto* cmd = data.add_subcommand("inspect", "print what the loader sees in a data file");
  cmd->add_option("file", options.file, "CSV data file")->required();
  cmd->add_option("--config", options.config,
                  "read the file with the options of this config's source");
  cmd->add_option_function<std::size_t>(
    "--source", [&options](std::size_t n) { options.source = n; },
    "which of the config's sources (0-based; default: the one whose csv is FILE)");
  cmd->add_option("--format", options.format, "without --config: ohlcv (default) or wide");
  return cmd;
}

int run_inspect(const inspect_options& options, std::ostream& out, std::ostream& err) {
  if (options.source && options.config.empty())
    throw input_error("--source needs --config");
  const auto [source, on_bad_bar] = source_for(options);
  std::vector<std::string> names;
  symbol_table symbols(names);
  const loaded_source loaded = load_source(source, on_bad_bar, symbols, true);
  const source_info& info = loaded.info;
  out << "file:        " << info.path << "\n";
  print_dialect(info.dialect, out);
  out << "time format: " << info.time_format << "\n";
  out << "columns:     ";
  for (std::size_t i = 0; i < info.columns.size(); ++i)
    out << (i == 0 ? "" : ", ") << info.columns[i].first << " <- '" << info.columns[i].second
        << "'";
  out << "\n";
  out << "rows:        " << info.rows << " (bars loaded: " << loaded.bars.size();
  if (source.start || source.end)
    out << ", outside start/end: " << info.out_of_range;
  out << ")\n";
  if (!loaded.bars.empty())
    out << "range:       " << format_timestamp(loaded.bars.front().time) << " to "
        << format_timestamp(loaded.bars.back().time) << "\n";
  print_spacing(loaded.bars, out);
  print_examples("duplicate or unsorted timestamps: ", info.duplicates + info.unsorted,
                 "(" + std::to_string(info.duplicates) + " duplicate, "
                   + std::to_string(info.unsorted)
                   + " unsorted: their rows are left out here, a run stops at the first)",
                 info.order_problems, out);
  const char* bad_policy = on_bad_bar == bad_bar_policy::reject   ? "(on_bad_bar: reject)"
                           : on_bad_bar == bad_bar_policy::repair ? "(on_bad_bar: repair)"
                                                                  : "(on_bad_bar: skip)";
  print_examples("bad bars: ", loaded.bad_bars ? loaded.bad_bars->count : 0, bad_policy,
                 info.bad_rows, out);
  print_examples("missing rows skipped: ", loaded.missing_rows ? loaded.missing_rows->count : 0,
                 "(on_missing: skip)", info.missing_rows, out);
  if (info.order_problems.empty())
    return 0;
  err << "error: " << info.order_problems.front() << "\n";
  return 2;
}

}  // namespace admf
