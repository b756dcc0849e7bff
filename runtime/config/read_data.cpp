// The `data:` section: which CSV files, in which layout, and what to do with bad bars.
#include <filesystem>
#include <string>
#include <system_error>

#include "runtime/config/section_readers.hpp"
#include "runtime/data/bar_cache.hpp"

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

const std::vector<std::string> source_keys = {"csv", "symbol", "format", "symbols"};

/// One source's keys, read from `map`: a `sources:` item, or the `data:` section itself.
data_source_config read_source(const map_reader& map) {
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
    if (auto symbol = map.find("symbol"))
      symbol->fail("only for format ohlcv (a wide file names its symbols in its header)");
    if (auto symbols = map.find("symbols"))
      source.symbols = to_string_list(*symbols);
  }
  return source;
}

/// `cache: DIR | auto | off`: the automatic cache's directory, "" when off.
std::string read_cache_dir(const field& f) {
  const std::string value = to_string(f);
  if (value == "off")
    return "";
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
  std::vector<std::string> keys = source_keys;
  keys.insert(keys.end(), {"sources", "on_bad_bar", "cache"});
  const map_reader map(f, keys);
  data_config data;
  const auto policy = map.find("on_bad_bar");
  if (policy)
    data.on_bad_bar = read_bad_bar_policy(*policy);
  const auto cache = map.find("cache");
  if (cache)
    data.cache = read_cache_dir(*cache);
  const auto sources = map.find("sources");
  if (!sources) {
    data.sources.push_back(read_source(map));
    return data;
  }
  if (map.size() > 1u + (policy ? 1u : 0u) + (cache ? 1u : 0u))
    f.fail("give either 'sources' or the keys of a single source, not both");
  for (const field& item : list_items(*sources))
    data.sources.push_back(read_source(map_reader(item, source_keys)));
  return data;
}

}  // namespace admf::sections
