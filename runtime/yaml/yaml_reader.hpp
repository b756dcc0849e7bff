// The strict YAML reading every config section shares: each value is a `field`
// that knows its file, line and key path, so every error is one line
// "FILE:LINE: KEY_PATH: what"; maps reject unknown and repeated keys up front.
#pragma once
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/core/error.hpp"

namespace admf::yaml {

/// 1-based line of each key read from the file, by key path; lets the config's
/// validation point at a line although the config structs carry none.
using line_index = std::map<std::string, int>;

// ---------------------------------------------------------------- message parts

/// "file:line: key_path", leaving out what is unknown. A line alone means nothing,
/// so it is only written after a file.
inline std::string locate(const std::string& file, std::optional<int> line,
                          const std::string& key_path) {
  std::string out = file;
  if (!file.empty() && line)
    out += ":" + std::to_string(*line);
  if (!out.empty() && !key_path.empty())
    out += ": ";
  return out + key_path;
}

using admf::quote;  // part of every message: defined beside the errors (core/error.hpp)

inline std::string join_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// ---------------------------------------------------------------- strict numbers

/// from_chars is strict and locale-free but rejects the leading '+' YAML allows.
inline const char* skip_plus(const std::string& text) {
  const bool plus = text.size() > 1 && text[0] == '+' && text[1] != '-';
  return text.data() + (plus ? 1 : 0);
}

inline std::optional<double> parse_number(const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(skip_plus(text), end, value);
  if (ec != std::errc() || stop != end || !std::isfinite(value))
    return std::nullopt;
  return value;
}

inline std::optional<long long> parse_integer(const std::string& text) {
  long long value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(skip_plus(text), end, value);
  if (ec != std::errc() || stop != end)
    return std::nullopt;
  return value;
}

// ---------------------------------------------------------------- YAML reading

struct load_context {
  std::string file;
  line_index lines;
};

inline std::optional<int> line_of(const YAML::Node& node) {
  const int line = node.Mark().line;  // 0-based; -1 when yaml-cpp has no position
  return line < 0 ? std::nullopt : std::optional<int>(line + 1);
}

inline std::string describe(const YAML::Node& node) {
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
  load_context* ctx;
  YAML::Node node;
  std::string path;
  std::optional<int> line;

  /// "file:line: key_path", leaving out what is unknown.
  std::string location() const { return locate(ctx->file, line, path); }

  [[noreturn]] void fail(const std::string& message) const {
    throw input_error(location() + ": " + message);
  }

  /// An element of this value: `suffix` is ".key" or "[i]".
  field child(const YAML::Node& value, const std::string& suffix) const {
    return {ctx, value, path + suffix, line_of(value)};
  }
};

inline std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names)
    out += (out.empty() ? "" : ", ") + name;
  return out;
}

/// Reads one YAML map: rejects unknown and repeated keys up front, records the line
/// of every key, and hands out the values by name.
class map_reader {
public:
  /// An empty `keys` accepts any key (strategy params: the strategy checks them).
  map_reader(const field& map, std::vector<std::string> keys) : map_(map), keys_(std::move(keys)) {
    if (!map_.node.IsMap())
      map_.fail("expected a map, got " + describe(map_.node));
    for (const auto& entry : map_.node)
      add(entry.first, entry.second);
  }

  std::size_t size() const { return entries_.size(); }

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

  const std::map<std::string, field>& entries() const { return entries_; }
  /// The keys themselves, in file order.
  const std::vector<field>& keys() const { return key_fields_; }

private:
  void add(const YAML::Node& key_node, const YAML::Node& value) {
    if (!key_node.IsScalar())
      map_.fail("expected plain keys, got " + describe(key_node));
    const std::string key = key_node.Scalar();
    const field key_field{map_.ctx, key_node, join_path(map_.path, key), line_of(key_node)};
    if (!keys_.empty() && std::find(keys_.begin(), keys_.end(), key) == keys_.end())
      key_field.fail("unknown key (expected one of: " + joined(keys_) + ")");
    // yaml-cpp gives an empty value the position of the next token: use the key's line.
    const auto line = value.IsNull() ? key_field.line : line_of(value);
    if (!entries_.emplace(key, field{map_.ctx, value, key_field.path, line}).second)
      key_field.fail("duplicate key");
    if (key_field.line)
      map_.ctx->lines[key_field.path] = *key_field.line;
    key_fields_.push_back(key_field);
  }

  field map_;
  std::vector<std::string> keys_;
  std::map<std::string, field> entries_;
  std::vector<field> key_fields_;
};

inline std::vector<field> list_items(const field& list) {
  if (!list.node.IsSequence() || list.node.size() == 0)
    list.fail("expected a non-empty list, got " + describe(list.node));
  std::vector<field> items;
  for (std::size_t i = 0; i < list.node.size(); ++i) {
    const YAML::Node item = list.node[i];
    items.push_back({list.ctx, item, list.path + "[" + std::to_string(i) + "]", line_of(item)});
  }
  return items;
}

inline const std::string& scalar_text(const field& f, const std::string& expected) {
  if (!f.node.IsScalar())
    f.fail("expected " + expected + ", got " + describe(f.node));
  return f.node.Scalar();
}

inline std::string to_string(const field& f) {
  const std::string& text = scalar_text(f, "a string");
  if (text.empty())
    f.fail("must not be empty");
  return text;
}

inline double to_number(const field& f) {
  const std::string& text = scalar_text(f, "a number");
  if (auto value = parse_number(text))
    return *value;
  f.fail("expected a number, got " + quote(text));
}

template <class Enum>
inline Enum to_choice(const field& f, const std::vector<std::pair<std::string, Enum>>& choices) {
  const std::string& text = scalar_text(f, "a string");
  std::string names;
  for (const auto& [name, value] : choices) {
    if (name == text)
      return value;
    names += (names.empty() ? "" : ", ") + name;
  }
  f.fail("expected one of: " + names + ", got " + quote(text));
}

inline bool to_bool(const field& f) {
  return to_choice<bool>(f, {{"true", true}, {"false", false}});
}

inline std::vector<std::string> to_string_list(const field& f) {
  std::vector<std::string> out;
  for (const field& item : list_items(f))
    out.push_back(to_string(item));
  return out;
}

/// A rule a number must meet, and how to say it in an error.
struct number_rule {
  bool (*accepts)(double);
  const char* text;
};

constexpr number_rule at_least_zero{[](double x) { return x >= 0; }, ">= 0"};
constexpr number_rule above_zero{[](double x) { return x > 0; }, "> 0"};
constexpr number_rule fraction{[](double x) { return x > 0 && x <= 1; }, "> 0 and <= 1"};

inline double checked_number(const field& f, number_rule rule) {
  const double value = to_number(f);
  if (!rule.accepts(value))
    f.fail(std::string("must be ") + rule.text + ", got " + quote(f.node.Scalar()));
  return value;
}

inline void read_number(const map_reader& map, const std::string& key, number_rule rule,
                        double& out) {
  if (auto f = map.find(key))
    out = checked_number(*f, rule);
}

/// Reads a count (an integer >= minimum) into `out` when the key is present.
template <class T>
inline void read_count(const map_reader& map, const std::string& key, unsigned long long minimum,
                       T& out) {
  const auto f = map.find(key);
  if (!f)
    return;
  const std::string& text = scalar_text(*f, "an integer");
  const auto value = parse_integer(text);
  if (!value || *value < 0 || static_cast<unsigned long long>(*value) < minimum)
    f->fail("expected an integer >= " + std::to_string(minimum) + ", got " + quote(text));
  if (static_cast<unsigned long long>(*value) > std::numeric_limits<T>::max())
    f->fail("too large: " + text);
  out = static_cast<T>(*value);
}

}  // namespace admf::yaml
