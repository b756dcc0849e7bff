// Reads barrier nodes from YAML as strictly as the rest of the config (the shared
// reader in runtime/yaml/yaml_reader.hpp): every error names file, line and key path.
#include "runtime/barriers/barrier_config.hpp"


#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <map>
#include <utility>

#include "runtime/barriers/time_zone.hpp"
#include "runtime/yaml/yaml_reader.hpp"
#include "runtime/core/error.hpp"

namespace admf {
namespace {

using namespace yaml;

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
  const map_reader map(f, {"symbols", "missing", "timeframes"});
  data_alignment_barrier barrier;
  if (auto symbols = map.find("symbols"))
    for (const field& item : unique_items(*symbols)) {
      barrier.symbols.push_back(item.node.Scalar());
      barrier.symbol_locations.push_back(item.location());
    }
  if (auto missing = map.find("missing"))
    barrier.missing = to_choice<missing_bars>(
      *missing, {{"skip", missing_bars::skip}, {"carry_forward", missing_bars::carry_forward}});
  if (auto timeframes = map.find("timeframes")) {
    const std::vector<field> items = unique_items(*timeframes);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const timestamp timeframe = to_duration(items[i]);
      for (std::size_t j = 0; j < i; ++j)
        if (barrier.timeframes[j] == timeframe)
          items[i].fail("the same timeframe as " + items[j].path);
      barrier.timeframes.push_back(timeframe);
      barrier.timeframe_locations.push_back(items[i].location());
    }
  }
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
  load_context ctx{file, {}};
  return read_barrier(field{&ctx, node, key_path, line_of(node)});
}

} // namespace admf
