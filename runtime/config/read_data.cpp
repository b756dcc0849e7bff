// The `data:` section: which CSV files, in which layout, read how (README "Data
// files"), and what to do with bad bars.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>

#include <date/tz.h>

#include "runtime/config/section_readers.hpp"
#include "runtime/core/text.hpp"
#include "runtime/data/bar_cache.hpp"
#include "runtime/data/timestamp_reader.hpp"

namespace admf::sections {

using namespace yaml;

namespace {

namespace fs = std::filesystem;

/// Relative paths are tried from the working directory, then next to the config, so
/// a config works both from the repo root and when run from elsewhere.
std::string resolve_data_path(const field& csv_field, const std::string& csv) {
  const fs::path written(csv);
  std::error_code ignored;  // an unreadable path counts as missing
  if (fs::is_regular_file(written, ignored))
    return csv;
  if (written.is_absolute())
    csv_field.fail("data file " + quote(csv) + " not found");
  const fs::path beside = fs::path(csv_field.ctx->file).parent_path() / written;
  if (fs::is_regular_file(beside, ignored))
    return beside.string();
  csv_field.fail("data file " + quote(csv)
                 + " not found (looked in the working directory and next to the config)");
}

const std::vector<std::string> source_keys = {"csv", "symbol", "format", "symbols",
                                              "corporate_actions"};

/// How a file is read: a source's own, or at the `data:` level the default of every
/// source under `sources:`.
const std::vector<std::string> option_keys = {"delimiter", "decimal",  "columns",    "time_format",
                                              "timezone",  "order",    "on_missing", "start",
                                              "end",       "adjust"};

/// Options a wide file (a time column and closes) cannot have.
const std::vector<std::string> ohlcv_only_keys = {"columns", "on_missing", "adjust"};

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// The option fields that apply to one source: its own, else the `data:` level's.
using option_fields = std::map<std::string, field>;

option_fields options_of(const map_reader& source, const map_reader& defaults) {
  option_fields out;
  for (const auto& key : option_keys) {
    if (auto f = source.find(key))
      out.emplace(key, *f);
    else if (auto d = defaults.find(key))
      out.emplace(key, *d);
  }
  return out;
}

char read_delimiter(const field& f) {
  const std::string& text = scalar_text(f, "a delimiter");
  if (text == "tab" || text == "\t")
    return '\t';
  if (text.size() != 1 || text == "\"" || text == "\n" || text == "\r")
    f.fail("expected one character (',', ';', '|', \"\\t\" or tab), got " + quote(text));
  return text[0];
}

column_names read_columns(const field& f) {
  const map_reader map(f, {"time", "open", "high", "low", "close", "volume", "adj_close"});
  column_names names;
  const std::pair<const char*, std::string*> slots[] = {
    {"time", &names.time},   {"open", &names.open},     {"high", &names.high},
    {"low", &names.low},     {"close", &names.close},   {"volume", &names.volume},
    {"adj_close", &names.adj_close}};
  for (const auto& [key, slot] : slots)
    if (auto name = map.find(key))
      *slot = to_string(*name);
  return names;
}

/// The first instant of a local day whose midnight a DST change skips (São Paulo,
/// 2018-11-04): the moment the clocks jump. `midnight` is the day's local midnight
/// written as if it were UTC; nullopt when that midnight exists.
std::optional<timestamp> first_instant_after_gap(timestamp midnight, const std::string& timezone) {
  using namespace std::chrono;
  const date::local_seconds at{seconds(midnight / ns_per_second)};
  const date::local_info info = date::locate_zone(timezone)->get_info(at);
  if (info.result != date::local_info::nonexistent)
    return std::nullopt;
  return duration_cast<nanoseconds>(info.first.end.time_since_epoch()).count();
}

/// `start:` / `end:` as a date or a date and time, in the source's zone. A date alone
/// as `end:` means the end of that day, as `start:` its first instant.
timestamp read_range_end(const field& f, const std::string& timezone, bool is_end) {
  const std::string text = to_string(f);
  const bool date_only = text.size() <= 10;
  const std::string local = date_only && is_end ? text + " 23:59:59" : text;
  read_time t;
  std::string error;
  if (timestamp_reader("", timezone).read(local, t, error))
    return is_end ? t.later + (date_only ? ns_per_second - 1 : 0) : t.earlier;
  read_time as_utc;
  std::string layout_error;
  if (!timestamp_reader("", "").read(local, as_utc, layout_error))
    f.fail("expected a date (YYYY-MM-DD) or a date and time (YYYY-MM-DD HH:MM[:SS]), got "
           + quote(text));
  // Well formed, but not a time of the zone: a local time a DST change skips.
  if (date_only && !is_end)
    if (const auto first = first_instant_after_gap(as_utc.earlier, timezone))
      return *first;
  f.fail(error);
}

void read_options(const option_fields& options, data_source_config& source) {
  const auto find = [&](const std::string& key) -> const field* {
    const auto it = options.find(key);
    return it == options.end() ? nullptr : &it->second;
  };
  if (const field* f = find("delimiter"))
    source.delimiter = read_delimiter(*f);
  if (const field* f = find("decimal")) {
    const std::string& text = scalar_text(*f, "a decimal mark");
    if (text != "." && text != ",")
      f->fail("expected '.' or ',', got " + quote(text));
    source.decimal = text[0];
    if (source.decimal == ',' && source.delimiter == ',')
      f->fail("decimal ',' needs a delimiter other than ','");
  }
  if (const field* f = find("columns"))
    source.columns = read_columns(*f);
  if (const field* f = find("timezone")) {
    source.timezone = to_string(*f);
    try {
      timestamp_reader("", source.timezone);
    } catch (const input_error& e) {
      f->fail(e.what());
    }
  }
  if (const field* f = find("time_format")) {
    source.time_format = to_string(*f);
    try {
      timestamp_reader(source.time_format, source.timezone);
    } catch (const input_error& e) {
      f->fail(e.what());
    }
  }
  if (const field* f = find("order"))
    source.order = to_choice<row_order>(
      *f, {{"ascending", row_order::ascending}, {"descending", row_order::descending}});
  if (const field* f = find("on_missing"))
    source.on_missing = to_choice<missing_row_policy>(
      *f, {{"error", missing_row_policy::error}, {"skip", missing_row_policy::skip}});
  if (const field* f = find("adjust"))
    source.adjust = to_choice<price_adjustment>(
      *f, {{"none", price_adjustment::none}, {"adj_close", price_adjustment::adj_close}});
  const field* start = find("start");
  const field* end = find("end");
  if (start)
    source.start = read_range_end(*start, source.timezone, false);
  if (end)
    source.end = read_range_end(*end, source.timezone, true);
  if (start && end && *source.start > *source.end)
    end->fail("is before start " + quote(start->node.Scalar()));
  if (source.format == csv_format::wide)
    for (const auto& key : ohlcv_only_keys)
      if (const field* f = find(key))
        f->fail("only for format ohlcv (a wide file has just a time and one close per symbol)");
}

/// One source's keys, read from `map`: a `sources:` item, or the `data:` section itself;
/// `defaults` is the `data:` section.
data_source_config read_source(const map_reader& map, const map_reader& defaults) {
  data_source_config source;
  const field csv = map.require("csv");
  source.csv = to_string(csv);
  source.path = resolve_data_path(csv, source.csv);
  if (auto format = map.find("format"))
    source.format =
      to_choice<csv_format>(*format, {{"ohlcv", csv_format::ohlcv}, {"wide", csv_format::wide}});
  if (source.format == csv_format::ohlcv) {
    source.symbol = to_string(map.require("symbol"));
    if (auto symbols = map.find("symbols"))
      symbols->fail("only for format wide");
  } else {
    if (auto actions = map.find("corporate_actions"))
      actions->fail("only for format ohlcv (a file of one symbol's splits and dividends)");
    if (auto symbol = map.find("symbol"))
      symbol->fail("only for format ohlcv (a wide file names its symbols in its header)");
    if (auto symbols = map.find("symbols"))
      source.symbols = to_string_list(*symbols);
  }
  read_options(options_of(map, defaults), source);
  if (auto actions = map.find("corporate_actions")) {
    if (source.adjust == price_adjustment::adj_close)
      actions->fail("not with adjust: adj_close (the splits would be applied twice)");
    source.corporate_actions = resolve_data_path(*actions, to_string(*actions));
  }
  return source;
}

/// `cache: DIR | auto | off`: the automatic cache's directory, "" when off. A YAML
/// boolean other than `off` is refused: `cache: on` meant a directory named "on".
std::string read_cache_dir(const field& f) {
  const std::string value = to_string(f);
  if (value == "off")
    return "";
  const std::string lower = lower_case(value);
  for (const char* flag : {"on", "true", "yes", "1", "false", "no", "0"})
    if (lower == flag)
      f.fail(quote(value) + " is not a cache setting: use auto, off or a directory (./" + value
             + " for a directory of that name)");
  if (value != "auto")
    return value;
  std::string dir = default_cache_dir();
  if (dir.empty())
    f.fail("'auto' needs $ADMF_CACHE_DIR, $XDG_CACHE_HOME or $HOME to be set");
  return dir;
}

bad_bar_policy read_bad_bar_policy(const field& f) {
  return to_choice<bad_bar_policy>(f, {{"reject", bad_bar_policy::reject},
                                       {"repair", bad_bar_policy::repair},
                                       {"skip", bad_bar_policy::skip}});
}

}  // namespace

data_config read_data(const field& f) {
  const map_reader map(f, source_keys + option_keys + std::vector<std::string>{"sources", "on_bad_bar", "cache"});
  data_config data;
  if (const auto policy = map.find("on_bad_bar"))
    data.on_bad_bar = read_bad_bar_policy(*policy);
  const auto cache = map.find("cache");
  if (cache)
    data.cache = read_cache_dir(*cache);
  const auto sources = map.find("sources");
  if (!sources) {
    data.sources.push_back(read_source(map, map));
    return data;
  }
  for (const auto& key : source_keys)
    if (map.find(key))
      f.fail("give either 'sources' or the keys of a single source (" + key
             + "), not both; the other keys at this level are the defaults of every source");
  for (const field& item : list_items(*sources))
    data.sources.push_back(read_source(map_reader(item, source_keys + option_keys), map));
  return data;
}

}  // namespace admf::sections
