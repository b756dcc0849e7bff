// Reads barrier nodes from YAML as strictly as the rest of the config: every error
// names the file, the line and the key path. The helpers mirror the reader in
// runtime/config/backtest_config.cpp, which keeps its own private.
#include "runtime/barriers/barrier_config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <map>
#include <utility>

#include "runtime/barriers/time_zone.hpp"
#include "runtime/core/error.hpp"

namespace admf {
namespace {

// ---------------------------------------------------------------- message parts

std::string quote(const std::string& text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out + "'";
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names)
    out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::optional<int> line_of(const YAML::Node& node) {
  const int line = node.Mark().line;  // 0-based; -1 when yaml-cpp has no position
  return line < 0 ? std::nullopt : std::optional<int>(line + 1);
}

std::string describe(const YAML::Node& node) {
  if (node.IsScalar())
    return quote(node.Scalar());
  if (node.IsSequence())
    return node.size() == 0 ? "an empty list" : "a list";
  if (node.IsMap())
    return node.size() == 0 ? "an empty map" : "a map";
  return "nothing";
}

/// One value in the file: the node, its key path and its line.
struct field {
  const std::string* file;
  YAML::Node node;
  std::string path;
  std::optional<int> line;

  /// "file:line: key_path", leaving out what is unknown.
  std::string location() const {
    std::string out = *file;
    if (!file->empty() && line)
      out += ":" + std::to_string(*line);
    if (!out.empty() && !path.empty())
      out += ": ";
    return out + path;
  }

  [[noreturn]] void fail(const std::string& message) const {
    throw input_error(location() + ": " + message);
  }

  field child(const YAML::Node& value, const std::string& suffix) const {
    return {file, value, path + suffix, line_of(value)};
  }
};

// ---------------------------------------------------------------- maps, lists, scalars

/// One YAML map: unknown and repeated keys are rejected up front.
class map_reader {
public:
  map_reader(const field& map, std::vector<std::string> keys) : map_(map), keys_(std::move(keys)) {
    if (!map_.node.IsMap())
      map_.fail("expected a map, got " + describe(map_.node));
    for (const auto& entry : map_.node)
      add(entry.first, entry.second);
  }

  std::optional<field> find(const std::string& key) const {
    const auto it = entries_.find(key);
    if (it == entries_.end())
      return std::nullopt;
    return it->second;
  }

  field require(const std::string& key) const {
    if (auto value = find(key))
      return *value;
    map_.fail("missing key '" + key + "'");
  }

  /// The keys in file order.
  const std::vector<field>& keys() const { return key_fields_; }

private:
  void add(const YAML::Node& key_node, const YAML::Node& value) {
    if (!key_node.IsScalar())
      map_.fail("expected plain keys, got " + describe(key_node));
    const std::string key = key_node.Scalar();
    const field key_field = map_.child(key_node, (map_.path.empty() ? "" : ".") + key);
    if (std::find(keys_.begin(), keys_.end(), key) == keys_.end())
      key_field.fail("unknown key (expected one of: " + joined(keys_) + ")");
    // yaml-cpp gives an empty value the position of the next token: use the key's line.
    const auto line = value.IsNull() ? key_field.line : line_of(value);
    if (!entries_.emplace(key, field{map_.file, value, key_field.path, line}).second)
      key_field.fail("duplicate key");
    key_fields_.push_back(key_field);
  }

  field map_;
  std::vector<std::string> keys_;
  std::map<std::string, field> entries_;
  std::vector<field> key_fields_;
};

std::vector<field> list_items(const field& list) {
  if (!list.node.IsSequence() || list.node.size() == 0)
    list.fail("expected a non-empty list, got " + describe(list.node));
  std::vector<field> items;
  for (std::size_t i = 0; i < list.node.size(); ++i)
    items.push_back(list.child(list.node[i], "[" + std::to_string(i) + "]"));
  return items;
}

const std::string& scalar_text(const field& f, const std::string& expected) {
  if (!f.node.IsScalar())
    f.fail("expected " + expected + ", got " + describe(f.node));
  return f.node.Scalar();
}

std::string to_string(const field& f) {
  const std::string& text = scalar_text(f, "a string");
  if (text.empty())
    f.fail("must not be empty");
  return text;
}

template <class Value>
Value to_choice(const field& f, const std::vector<std::pair<std::string, Value>>& choices) {
  const std::string& text = scalar_text(f, "a string");
  std::vector<std::string> names;
  for (const auto& [name, value] : choices) {
    if (name == text)
      return value;
    names.push_back(name);
  }
  f.fail("expected one of: " + joined(names) + ", got " + quote(text));
}

bool to_bool(const field& f) { return to_choice<bool>(f, {{"true", true}, {"false", false}}); }

std::size_t to_count(const field& f) {
  const std::string& text = scalar_text(f, "an integer");
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || stop != end || value < 1)
    f.fail("expected an integer >= 1, got " + quote(text));
  return value;
}

timestamp to_duration(const field& f) {
  const std::string& text = scalar_text(f, "a duration");
  if (auto value = parse_duration(text))
    return *value;
  f.fail("expected a duration such as 30m, 4h, 1d or 1w (a whole number > 0 and one of "
         "the units s, m, h, d, w), got " + quote(text));
}

/// "HH:MM" as minutes after midnight; 24:00 only where `allow_midnight_end`.
int to_minute_of_day(const field& f, bool allow_midnight_end) {
  const std::string& text = scalar_text(f, "a time");
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  const bool shaped = text.size() == 5 && digit(0) && digit(1) && text[2] == ':' && digit(3)
                      && digit(4);
  const int hours = shaped ? (text[0] - '0') * 10 + (text[1] - '0') : 0;
  const int minutes = shaped ? (text[3] - '0') * 10 + (text[4] - '0') : 0;
  const int minute_of_day = hours * 60 + minutes;
  const int last = allow_midnight_end ? 24 * 60 : 24 * 60 - 1;
  if (!shaped || minutes > 59 || minute_of_day > last)
    f.fail(std::string("expected a time HH:MM from 00:00 to ") + (allow_midnight_end ? "24:00" : "23:59")
           + ", got " + quote(text));
  return minute_of_day;
}

// ---------------------------------------------------------------- barriers

/// Unique strings of a non-empty list, with where each is written.
std::vector<field> unique_items(const field& list) {
  std::vector<field> items = list_items(list);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string text = to_string(items[i]);
    for (std::size_t j = 0; j < i; ++j)
      if (items[j].node.Scalar() == text)
        items[i].fail("duplicate " + quote(text) + " (also at " + items[j].path + ")");
  }
  return items;
}

data_alignment_barrier read_data_alignment(const field& f) {
  const map_reader map(f, {"symbols", "missing", "timeframe"});
  data_alignment_barrier barrier;
  if (auto symbols = map.find("symbols"))
    for (const field& item : unique_items(*symbols)) {
      barrier.symbols.push_back(item.node.Scalar());
      barrier.symbol_locations.push_back(item.location());
    }
  if (auto missing = map.find("missing"))
    barrier.missing = to_choice<missing_bars>(
      *missing, {{"skip", missing_bars::skip}, {"carry_forward", missing_bars::carry_forward}});
  if (auto timeframe = map.find("timeframe"))
    barrier.timeframe = to_duration(*timeframe);
  return barrier;
}

std::uint8_t read_days(const field& list) {
  static const std::array<std::pair<std::string, weekday>, 7> names{{{"Mon", weekday::mon},
                                                                     {"Tue", weekday::tue},
                                                                     {"Wed", weekday::wed},
                                                                     {"Thu", weekday::thu},
                                                                     {"Fri", weekday::fri},
                                                                     {"Sat", weekday::sat},
                                                                     {"Sun", weekday::sun}}};
  std::uint8_t days = 0;
  for (const field& item : unique_items(list))
    days |= day_bit(to_choice<weekday>(item, {names.begin(), names.end()}));
  return days;
}

trading_hours_barrier read_trading_hours(const field& f) {
  const map_reader map(f, {"start", "end", "timezone", "days"});
  trading_hours_barrier barrier;
  barrier.start_minute = to_minute_of_day(map.require("start"), false);
  const field end = map.require("end");
  barrier.end_minute = to_minute_of_day(end, true);
  if (barrier.end_minute <= barrier.start_minute)
    end.fail("must be after start (windows across midnight are not supported: use two "
             "trading_hours under any)");
  const field zone = map.require("timezone");
  barrier.timezone = to_string(zone);
  if (!time_zone::find(barrier.timezone))
    zone.fail("unknown time zone " + quote(barrier.timezone)
              + " (expected a name of the tz database, such as America/New_York or UTC)");
  if (auto days = map.find("days"))
    barrier.days = read_days(*days);
  return barrier;
}

max_signals_barrier read_max_signals(const field& f) {
  const map_reader map(f, {"count", "period"});
  return {to_count(map.require("count")), to_duration(map.require("period"))};
}

barrier_config read_barrier(const field& f);

barrier_group read_group(const field& f, barrier_group::mode combine) {
  barrier_group group{combine, {}};
  for (const field& item : list_items(f))
    group.children.push_back(read_barrier(item));
  return group;
}

/// A map with exactly one key, the kind of barrier.
barrier_config read_barrier(const field& f) {
  const map_reader map(f, {"all", "any", "data_alignment", "trading_hours", "max_signals"});
  if (map.keys().empty())
    f.fail("expected one barrier: all, any, data_alignment, trading_hours or max_signals");
  if (map.keys().size() > 1)
    f.fail("expected one barrier, got " + std::to_string(map.keys().size())
           + " keys (combine barriers with all: [...] or any: [...])");
  const field& key = map.keys().front();
  const std::string& kind = key.node.Scalar();
  const field value = map.require(kind);
  barrier_config config;
  config.location = key.location();
  if (kind == "all")
    config.barrier = read_group(value, barrier_group::mode::all);
  else if (kind == "any")
    config.barrier = read_group(value, barrier_group::mode::any);
  else if (kind == "data_alignment")
    config.barrier = read_data_alignment(value);
  else if (kind == "trading_hours")
    config.barrier = read_trading_hours(value);
  else
    config.barrier = read_max_signals(value);
  return config;
}

} // namespace

std::optional<timestamp> parse_duration(std::string_view text) {
  if (text.size() < 2)
    return std::nullopt;
  timestamp unit = 0;
  switch (text.back()) {
  case 's': unit = ns_per_second; break;
  case 'm': unit = 60 * ns_per_second; break;
  case 'h': unit = 3600 * ns_per_second; break;
  case 'd': unit = ns_per_day; break;
  case 'w': unit = 7 * ns_per_day; break;
  default: return std::nullopt;
  }
  timestamp count = 0;
  const char* end = text.data() + text.size() - 1;
  const auto [stop, ec] = std::from_chars(text.data(), end, count);
  if (ec != std::errc() || stop != end || count < 1
      || count > std::numeric_limits<timestamp>::max() / unit)
    return std::nullopt;
  return count * unit;
}

barrier_config read_barrier_config(const YAML::Node& node, const std::string& file,
                                   const std::string& key_path) {
  return read_barrier(field{&file, node, key_path, line_of(node)});
}

portfolio_barrier_config read_portfolio_barrier_config(const YAML::Node& node,
                                                       const std::string& file,
                                                       const std::string& key_path) {
  const map_reader map(field{&file, node, key_path, line_of(node)}, {"no_duplicates"});
  portfolio_barrier_config config;
  if (auto no_duplicates = map.find("no_duplicates"))
    config.no_duplicate_orders = to_bool(*no_duplicates);
  return config;
}

} // namespace admf
