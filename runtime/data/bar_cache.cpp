// The automatic cache and bar files named in a config. XXH3 (libxxhash) hashes the CSV:
// it runs at memory speed, several times faster than SHA-256 here, and the key only has
// to tell contents apart, not resist an attacker (bench/README.md "data cache").
#include "runtime/data/bar_cache.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

#include <spdlog/spdlog.h>
#include <xxhash.h>

#include "runtime/core/error.hpp"
#include "runtime/data/mapped_file.hpp"
#include "runtime/data/market_data.hpp"

namespace admf {
namespace {

namespace fs = std::filesystem;

/// An XXH3-128 digest fed piece by piece: a cache key, or what a source's bars were
/// made from (load_source_bars).
class key_hasher {
public:
  key_hasher() : state_(XXH3_createState(), XXH3_freeState) {
    if (!state_)
      throw std::bad_alloc();
    XXH3_128bits_reset(state_.get());
    add(&csv_loader_version, sizeof csv_loader_version);
  }

  void add(const void* bytes, std::size_t n) { XXH3_128bits_update(state_.get(), bytes, n); }

  /// Strings go in with their length, so that no two option lists hash alike by accident.
  void add(const std::string& s) {
    const std::uint64_t n = s.size();
    add(&n, sizeof n);
    add(s.data(), s.size());
  }

  /// The bytes of the file at `path`, mapped (no copy through a buffer) and a window at
  /// a time, each window dropped once hashed: `admf data import` hashes the CSV while it
  /// holds the bars, and the whole file mapped would double its peak memory.
  void add_file(const std::string& path) {
    constexpr std::uint64_t window = std::uint64_t{1} << 20;
    const mapped_file file(path, false);
    for (std::uint64_t at = 0; at < file.size(); at += window) {
      const std::uint64_t n = std::min(window, file.size() - at);
      file.populate(at, n);
      add(file.data() + at, n);
      file.release(at, n);
    }
  }

  void add_options(const data_source_config& source, bad_bar_policy policy) {
    for (const auto& [name, value] : parse_options(source, policy)) {
      add(name);
      add(value);
    }
  }

  bar_file_key digest() const {
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(state_.get()));
    bar_file_key key;
    std::memcpy(key.data(), canonical.digest, key.size());
    return key;
  }

private:
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state_;
};

/// source_key() once the CSV's bytes are in `h`.
bar_file_key finish_source_key(key_hasher& h, const data_source_config& source,
                               bad_bar_policy policy) {
  if (!source.corporate_actions.empty())
    h.add_file(source.corporate_actions);
  h.add_options(source, policy);
  return h.digest();
}

std::string hex(const bar_file_key& key) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (const std::uint8_t b : key) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

/// The parse options a bar file cannot take: those whose value is not the default's.
/// `timezone:` is not one of them: it must name the file's zone (from_bar_file).
void refuse_parse_options(const data_source_config& source) {
  data_source_config plain;
  plain.format = source.format;
  plain.symbol = source.symbol;
  plain.symbols = source.symbols;
  const auto given = parse_options(source, bad_bar_policy::reject);
  const auto defaults = parse_options(plain, bad_bar_policy::reject);
  for (std::size_t i = 0; i < given.size(); ++i)
    if (given[i] != defaults[i] && given[i].first != "timezone")
      throw input_error(source.path + ": a bar file holds bars parsed already: '"
                        + given[i].first
                        + "' applies when it is made (admf data import --config)");
}

/// A bar file named by the config, fitted to the source's symbol settings. `origin`:
/// the file's key, the source_key() of the CSV it was made from.
source_bars from_bar_file(const data_source_config& source, bar_file_key& origin) {
  refuse_parse_options(source);
  bar_file_contents contents = read_bar_file(source.path);
  origin = contents.key;
  // The run reads the zone from the config (timeframes), so it must be the file's.
  if (contents.timezone != source.timezone)
    throw input_error(
      source.path
      + (contents.timezone.empty()
           ? ": made without timezone: (UTC); remove timezone: from this source"
           : ": made with timezone: " + contents.timezone + "; write timezone: "
               + contents.timezone + " on this source")
      + " (it decides the days of timeframes)");
  source_bars bars = std::move(contents.bars);
  if (source.format == csv_format::ohlcv) {
    if (bars.symbols.size() != 1)
      throw input_error(source.path + ": a bar file of " + std::to_string(bars.symbols.size())
                        + " symbols needs format: wide");
    bars.symbols[0] = source.symbol;
    return bars;
  }
  if (source.symbols.empty())
    return bars;
  // Keep the selected symbols, renumbered in the order `symbols:` gives them.
  constexpr symbol_id dropped = ~symbol_id{0};
  std::vector<symbol_id> new_id(bars.symbols.size(), dropped);
  for (std::size_t i = 0; i < source.symbols.size(); ++i) {
    const auto it = std::find(bars.symbols.begin(), bars.symbols.end(), source.symbols[i]);
    if (it == bars.symbols.end())
      throw input_error(source.path + ": unknown symbol '" + source.symbols[i]
                        + "': the bar file does not hold it");
    new_id[static_cast<std::size_t>(it - bars.symbols.begin())] = static_cast<symbol_id>(i);
  }
  std::vector<timed_bar> kept;
  for (auto b : bars.bars)
    if ((b.bar.symbol = new_id[b.bar.symbol]) != dropped)
      kept.push_back(b);
  // Renumbering can reorder the bars of one timestamp.
  std::stable_sort(kept.begin(), kept.end(), [](const timed_bar& a, const timed_bar& b) {
    return a.time != b.time ? a.time < b.time : a.bar.symbol < b.bar.symbol;
  });
  bars.bars = std::move(kept);
  bars.symbols = source.symbols;
  return bars;
}

/// A cache entry made from a file of the same content at another path reports its
/// bad bars and missing rows under that path: they are told as this source's, as
/// parsing it would.
void move_reports_to(source_bars& bars, const std::string& path) {
  const auto move = [&](auto& r) {
    if (r.path == path)
      return;
    if (r.first.compare(0, r.path.size() + 1, r.path + ":") == 0)
      r.first = path + r.first.substr(r.path.size());
    r.path = path;
  };
  for (auto& r : bars.bad_bars)
    move(r);
  for (auto& r : bars.missing_rows)
    move(r);
}

void warn(const std::string& what) { spdlog::warn("data cache: {}", what); }

/// The cached bars of a CSV source, or parse()'s, stored for next time.
source_bars through_cache(const data_source_config& source, bad_bar_policy policy,
                          const std::string& dir, const source_parser& parse,
                          bar_file_key& key) {
  key = source_key(source, policy);
  const fs::path entry = fs::path(dir) / (hex(key) + bar_file_extension);
  std::error_code ec;
  if (fs::exists(entry, ec)) {
    try {
      bar_file_contents cached = read_bar_file(entry.string());
      if (cached.key != key)
        throw input_error(entry.string() + ": damaged bar file: its key is not its name");
      move_reports_to(cached.bars, source.path);
      return std::move(cached.bars);
    } catch (const input_error& e) {
      warn(std::string(e.what()) + "; parsing " + source.path + " again and replacing it");
    }
  }
  source_bars bars = parse({});
  fs::create_directories(dir, ec);
  if (ec) {
    warn(dir + ": cannot create the directory: " + ec.message() + "; not cached");
    return bars;
  }
  // The bars are moved in and back out: a copy would double the peak memory of a miss.
  bar_file_contents contents{std::move(bars), key, describe_source(source), source.timezone};
  try {
    write_bar_file(entry.string(), contents);
  } catch (const io_error& e) {
    warn(std::string(e.what()) + "; not cached");
  }
  return std::move(contents.bars);
}

}  // namespace

std::string describe_source(const data_source_config& source) {
  std::string symbols = source.symbol;
  for (const auto& s : source.symbols)
    symbols += (symbols.empty() ? "" : ",") + s;
  return source.path + " (" + (source.format == csv_format::wide ? "wide" : "ohlcv")
         + (symbols.empty() ? "" : ", " + symbols) + ")";
}

bar_file_contents import_bar_file(const data_source_config& source, bad_bar_policy policy,
                                  const std::string& out_path) {
  // One source loaded alone: its symbol ids are already the file's own (sorted by name).
  market_data data = load_market_data(data_config{{source}, policy});
  bar_file_contents contents{{std::move(data.symbols), std::move(data.bars),
                              std::move(data.bad_bars), std::move(data.missing_rows)},
                             source_key(source, policy), describe_source(source),
                             source.timezone};
  write_bar_file(out_path, contents);
  return contents;
}

std::string default_cache_dir() {
  if (const char* dir = std::getenv("ADMF_CACHE_DIR"); dir && *dir)
    return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return (fs::path(xdg) / "admf").string();
  if (const char* home = std::getenv("HOME"); home && *home)
    return (fs::path(home) / ".cache" / "admf").string();
  return "";
}

std::vector<std::pair<std::string, std::string>> parse_options(const data_source_config& s,
                                                               bad_bar_policy policy) {
  std::string symbols;
  for (const auto& name : s.symbols)
    symbols += std::to_string(name.size()) + ":" + name;
  const auto when = [](const std::optional<timestamp>& t) {
    return t ? std::to_string(*t) : std::string("none");
  };
  const column_names& c = s.columns;
  return {
    {"format", std::to_string(static_cast<int>(s.format))},
    {"symbol", s.symbol},
    {"symbols", symbols},
    {"delimiter", std::string(1, s.delimiter)},
    {"decimal", std::string(1, s.decimal)},
    {"columns.time", c.time},
    {"columns.open", c.open},
    {"columns.high", c.high},
    {"columns.low", c.low},
    {"columns.close", c.close},
    {"columns.volume", c.volume},
    {"columns.adj_close", c.adj_close},
    {"time_format", s.time_format},
    {"timezone", s.timezone},
    {"order", std::to_string(static_cast<int>(s.order))},
    {"on_missing", std::to_string(static_cast<int>(s.on_missing))},
    {"start", when(s.start)},
    {"end", when(s.end)},
    {"adjust", std::to_string(static_cast<int>(s.adjust))},
    {"corporate_actions", s.corporate_actions.empty() ? "none" : "file"},
    {"on_bad_bar", std::to_string(static_cast<int>(policy))},
  };
}

bar_file_key source_key(const data_source_config& source, bad_bar_policy policy) {
  key_hasher h;
  h.add_file(source.path);
  return finish_source_key(h, source, policy);
}

source_bars load_source_bars(const data_source_config& source, bad_bar_policy policy,
                             const std::string& cache_dir, const source_parser& parse,
                             bar_file_key& origin) {
  if (is_bar_file(source.path))
    return from_bar_file(source, origin);
  if (!cache_dir.empty())
    return through_cache(source, policy, cache_dir, parse, origin);
  // The key of the bytes as the parser reads them: the file is read once.
  key_hasher h;
  source_bars bars = parse([&h](std::string_view bytes) { h.add(bytes.data(), bytes.size()); });
  origin = finish_source_key(h, source, policy);
  return bars;
}

}  // namespace admf
