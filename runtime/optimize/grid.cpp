#include "runtime/optimize/grid.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "runtime/core/error.hpp"
#include "runtime/metrics/metrics.hpp"
#include "runtime/results/files.hpp"

namespace admf {

namespace {

/// More jobs than this is a typo in a range or a grid that wants `samples:`.
constexpr std::uint64_t max_jobs = 1'000'000;

// ---------------------------------------------------------------- sampling

/// splitmix64: tiny, fast, and the same sequence everywhere (std:: distributions
/// are not portable across standard libraries).
struct splitmix64 {
  std::uint64_t state;

  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, n): draws below 2^64 mod n are rejected, so every residue has
  /// the same number of preimages (no modulo bias).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n;
    for (;;)
      if (const auto x = next(); x >= threshold)
        return x % n;
  }
};

// ---------------------------------------------------------------- reading YAML

std::string locate(const std::string& file, std::optional<int> line, const std::string& path) {
  return file + (line ? ":" + std::to_string(*line) : std::string()) + ": " + path;
}

std::optional<int> line_of(const YAML::Node& node) {
  const int line = node.Mark().line;  // 0-based; -1 when unknown
  return line < 0 ? std::nullopt : std::optional<int>(line + 1);
}

std::string quote(const std::string& text) { return "'" + text + "'"; }

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names)
    out += (out.empty() ? "" : ", ") + name;
  return out;
}

/// A value in the file with its key path and line.
struct node_at {
  YAML::Node node;
  std::string path;
  std::optional<int> line;
};

/// A map entry: errors about the key itself point at the key's line.
struct entry {
  std::string key;
  node_at value;
  std::optional<int> key_line;
};

/// Strict reading in the style of the config loader: every error is one line
/// "file:line: key.path: what".
class section_reader {
public:
  explicit section_reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& path, std::optional<int> line,
                         const std::string& message) const {
    throw input_error(locate(file_, line, path) + ": " + message);
  }
  [[noreturn]] void fail(const node_at& at, const std::string& message) const {
    fail(at.path, at.line, message);
  }
  [[noreturn]] void fail_key(const entry& e, const std::string& message) const {
    fail(e.value.path, e.key_line, message);
  }

  /// A map's entries in file order; rejects duplicate keys and keys not in
  /// `allowed` (empty: any key).
  std::vector<entry> entries(const node_at& map, const std::vector<std::string>& allowed) const {
    if (!map.node.IsMap())
      fail(map, "expected a map");
    std::vector<entry> out;
    std::set<std::string> seen;
    for (const auto& kv : map.node) {
      if (!kv.first.IsScalar())
        fail(map, "expected plain keys");
      const std::string key = kv.first.Scalar();
      const auto key_line = line_of(kv.first);
      // yaml-cpp gives an empty value the position of the next token: use the key's.
      const auto line = kv.second.IsNull() ? key_line : line_of(kv.second);
      entry e{key, {kv.second, map.path + "." + key, line}, key_line};
      if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail_key(e, "unknown key (expected one of: " + joined(allowed) + ")");
      if (!seen.insert(key).second)
        fail_key(e, "duplicate key");
      out.push_back(std::move(e));
    }
    return out;
  }

  std::string scalar(const node_at& at) const {
    if (!at.node.IsScalar() || at.node.Scalar().empty())
      fail(at, "expected a value");
    return at.node.Scalar();
  }

  double number(const node_at& at) const {
    const std::string text = scalar(at);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
      fail(at, "expected a number, got " + quote(text));
    return value;
  }

  std::uint64_t count(const node_at& at, std::uint64_t minimum) const {
    const std::string text = scalar(at);
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < minimum)
      fail(at, "expected an integer >= " + std::to_string(minimum) + ", got " + quote(text));
    return value;
  }

  const std::string& file() const { return file_; }

private:
  std::string file_;
};

std::optional<node_at> find(const std::vector<entry>& entries, const std::string& key) {
  for (const auto& e : entries)
    if (e.key == key)
      return e.value;
  return std::nullopt;
}

// ---------------------------------------------------------------- the section

/// 12 significant digits, then the shortest text of that double.
std::string rounded_text(double value) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, 12);
  std::from_chars(buf, res.ptr, value);
  return format_double(value == 0 ? 0.0 : value);  // no "-0"
}

std::vector<std::string> read_range(const section_reader& r, const node_at& at) {
  const auto keys = r.entries(at, {"from", "to", "step"});
  const auto require = [&](const char* key) {
    if (auto value = find(keys, key))
      return r.number(*value);
    r.fail(at, std::string("missing key '") + key + "'");
  };
  const double from = require("from"), to = require("to"), step = require("step");
  return range_values(from, to, step, locate(r.file(), at.line, at.path));
}

/// A list of values or a range; values end up in optimize.csv cells unquoted, so
/// they may not hold what would split a cell or a row.
std::vector<std::string> read_values(const section_reader& r, const node_at& at) {
  std::vector<std::string> values;
  if (at.node.IsSequence()) {
    for (std::size_t i = 0; i < at.node.size(); ++i) {
      const node_at item{at.node[i], at.path + "[" + std::to_string(i) + "]", line_of(at.node[i])};
      values.push_back(r.scalar(item));
      if (values.back().find_first_of(",\"\r\n") != std::string::npos)
        r.fail(item, "a value may not contain ',', '\"' or line breaks");
    }
  } else if (at.node.IsMap()) {
    values = read_range(r, at);
  } else {
    r.fail(at, "expected a list of values or a range {from, to, step}");
  }
  if (values.empty())
    r.fail(at, "expected at least one value");
  std::set<std::string> seen;
  for (const auto& v : values)
    if (!seen.insert(v).second)
      r.fail(at, "value " + quote(v) + " appears twice");
  return values;
}

/// Where a strategy id is in the config: (portfolio, strategy) indices.
std::optional<std::pair<std::size_t, std::size_t>> find_strategy(const backtest_config& config,
                                                                 const std::string& id) {
  for (std::size_t p = 0; p < config.portfolios.size(); ++p)
    for (std::size_t s = 0; s < config.portfolios[p].strategies.size(); ++s)
      if (config.portfolios[p].strategies[s].id == id)
        return std::make_pair(p, s);
  return std::nullopt;
}

std::vector<std::string> strategy_ids(const backtest_config& config) {
  std::vector<std::string> ids;
  for (const auto& p : config.portfolios)
    for (const auto& s : p.strategies)
      ids.push_back(s.id);
  return ids;
}

std::vector<std::string> param_names(const strategy_config& strategy) {
  std::vector<std::string> names;
  for (const auto& [name, value] : strategy.params.values)
    names.push_back(name);
  return names;
}

/// Grid axes per strategy, each naming a parameter the config already sets: a grid
/// replaces values, so a misspelt name is an error rather than an ignored axis.
void read_parameters(const section_reader& r, const node_at& at, const backtest_config& config,
                     optimization_spec& spec) {
  const auto strategies = r.entries(at, {});
  if (strategies.empty())
    r.fail(at, "expected at least one strategy");
  std::optional<std::size_t> portfolio;
  for (const entry& s : strategies) {
    const auto where = find_strategy(config, s.key);
    if (!where)
      r.fail_key(s, "unknown strategy id (the config has: " + joined(strategy_ids(config)) + ")");
    // Each job reports one portfolio's metrics: the grid must stay inside one.
    if (portfolio && *portfolio != where->first)
      r.fail_key(s, "in portfolio '" + config.portfolios[where->first].id
                      + "', but the grid's other strategies are in '"
                      + config.portfolios[*portfolio].id + "': a grid varies one portfolio");
    portfolio = where->first;
    const strategy_config& strategy = config.portfolios[where->first].strategies[where->second];
    const auto params = r.entries(s.value, {});
    if (params.empty())
      r.fail(s.value, "expected at least one parameter");
    for (const entry& p : params) {
      if (!strategy.params.has(p.key))
        r.fail_key(p, "strategy '" + s.key + "' sets no parameter '" + p.key
                        + "' in the config (a grid replaces parameters the config sets: "
                        + joined(param_names(strategy)) + ")");
      spec.grid.axes.push_back({s.key, p.key, read_values(r, p.value)});
    }
  }
  spec.portfolio = *portfolio;
}

/// The grid must fit: all of it, or the sample taken from it.
void check_size(const section_reader& r, const optimization_spec& spec, const node_at& parameters,
                const std::optional<node_at>& samples) {
  const std::uint64_t size = spec.grid.size();
  if (samples && spec.samples > size)
    r.fail(*samples, "asks for " + std::to_string(spec.samples) + " combinations, the grid has "
                       + std::to_string(size));
  if (samples && spec.samples > max_jobs)
    r.fail(*samples, "more than " + std::to_string(max_jobs) + " jobs");
  if (!samples && size > max_jobs)
    r.fail(parameters, "the grid has more than " + std::to_string(max_jobs)
                         + " combinations: draw some with `samples:`");
}

node_at find_section(const section_reader& r, const YAML::Node& root) {
  if (root.IsMap())
    for (const auto& kv : root)
      if (kv.first.Scalar() == "optimization")
        return {kv.second, "optimization",
                kv.second.IsNull() ? line_of(kv.first) : line_of(kv.second)};
  r.fail("optimization", std::nullopt, "missing section (admf optimize needs one)");
}

} // namespace

std::uint64_t param_grid::size() const {
  std::uint64_t total = 1;
  for (const auto& axis : axes) {
    const std::uint64_t n = axis.values.size();
    if (n && total > std::numeric_limits<std::uint64_t>::max() / n)
      return std::numeric_limits<std::uint64_t>::max();
    total *= n;
  }
  return total;
}

std::vector<std::string> param_grid::combination(std::uint64_t index) const {
  std::vector<std::string> values(axes.size());
  for (std::size_t a = axes.size(); a-- > 0;) {
    const auto& axis = axes[a].values;
    values[a] = axis[index % axis.size()];
    index /= axis.size();
  }
  return values;
}

std::vector<std::string> metric_keys() {
  // Taken from the JSON itself, so a new metric shows up in optimize.csv by itself.
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    const auto json = nlohmann::ordered_json::parse(metrics_report{}.to_json());
    for (const auto& item : json.items())
      out.push_back(item.key());
    return out;
  }();
  return keys;
}

bool lower_is_better(const std::string& metric) { return metric == "max_drawdown"; }

std::vector<std::string> range_values(double from, double to, double step,
                                      const std::string& where) {
  if (!(step > 0))
    throw input_error(where + ": step must be > 0");
  if (to < from)
    throw input_error(where + ": 'to' must be >= 'from'");
  // The tolerance keeps `to` in when (to - from) / step lands just below an integer.
  const double steps = std::floor((to - from) / step + 1e-9);
  if (steps >= static_cast<double>(max_jobs))
    throw input_error(where + ": more than " + std::to_string(max_jobs) + " values");
  std::vector<std::string> values;
  for (std::uint64_t i = 0; i <= static_cast<std::uint64_t>(steps); ++i)
    values.push_back(rounded_text(from + static_cast<double>(i) * step));
  return values;
}

std::vector<std::uint64_t> pick_combinations(const optimization_spec& spec) {
  const std::uint64_t size = spec.grid.size();
  const std::uint64_t wanted = spec.samples ? spec.samples : size;
  if (wanted > size || wanted > max_jobs)
    throw input_error(spec.location + ": cannot run " + std::to_string(wanted)
                      + " combinations of a grid of " + std::to_string(size));
  std::vector<std::uint64_t> picked;
  if (!spec.samples || wanted == size) {
    for (std::uint64_t i = 0; i < size; ++i)
      picked.push_back(i);
    return picked;
  }
  // Floyd: one draw per sample, memory for the sample only, however big the grid.
  splitmix64 rng{spec.seed};
  std::set<std::uint64_t> chosen;
  for (std::uint64_t j = size - wanted; j < size; ++j)
    if (!chosen.insert(rng.below(j + 1)).second)
      chosen.insert(j);
  return {chosen.begin(), chosen.end()};
}

optimization_spec read_optimization(const std::string& path, const backtest_config& config) {
  const section_reader r{path};
  // load_config has read this file already: it parses.
  const node_at section = find_section(r, YAML::LoadFile(path));
  const auto keys = r.entries(section, {"metric", "top", "parameters", "samples", "seed"});
  optimization_spec spec;
  spec.location = locate(path, section.line, section.path);
  const auto require = [&](const char* key) {
    if (auto value = find(keys, key))
      return *value;
    r.fail(section, std::string("missing key '") + key + "'");
  };
  const node_at metric = require("metric");
  spec.metric = r.scalar(metric);
  const auto known = metric_keys();
  if (std::find(known.begin(), known.end(), spec.metric) == known.end())
    r.fail(metric, "unknown metric " + quote(spec.metric) + " (expected one of: " + joined(known)
                     + ")");
  if (auto top = find(keys, "top"))
    spec.top = r.count(*top, 1);
  const auto samples = find(keys, "samples");
  if (samples)
    spec.samples = r.count(*samples, 1);
  if (auto seed = find(keys, "seed")) {
    if (!samples)
      r.fail(*seed, "only with 'samples' (the full grid draws nothing)");
    spec.seed = r.count(*seed, 0);
  }
  const node_at parameters = require("parameters");
  read_parameters(r, parameters, config, spec);
  check_size(r, spec, parameters, samples);
  return spec;
}

} // namespace admf
