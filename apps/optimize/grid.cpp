#include "apps/optimize/grid.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>

#include "runtime/core/error.hpp"
#include "runtime/core/splitmix64.hpp"
#include "runtime/results/format.hpp"

namespace admf {

namespace {

/// 12 significant digits, then the shortest text of that double.
std::string rounded_text(double value) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, 12);
  std::from_chars(buf, res.ptr, value);
  return format_double(value);
}

}  // namespace

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

bool lower_is_better(const std::string& metric) { return metric == "max_drawdown"; }

std::vector<std::string> range_values(double from, double to, double step,
                                      const std::string& where) {
  if (!(step > 0))
    throw input_error(where + ": step must be > 0");
  if (to < from)
    throw input_error(where + ": 'to' must be >= 'from'");
  // The tolerance keeps `to` in when (to - from) / step lands just below an integer.
  const double steps = std::floor((to - from) / step + 1e-9);
  if (steps >= static_cast<double>(max_grid_jobs))
    throw input_error(where + ": more than " + std::to_string(max_grid_jobs) + " values");
  std::vector<std::string> values;
  for (std::uint64_t i = 0; i <= static_cast<std::uint64_t>(steps); ++i)
    values.push_back(rounded_text(from + static_cast<double>(i) * step));
  return values;
}

std::vector<std::uint64_t> pick_combinations(const optimization_spec& spec) {
  const std::uint64_t size = spec.grid.size();
  const std::uint64_t wanted = spec.samples ? spec.samples : size;
  if (wanted > size || wanted > max_grid_jobs)
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

}  // namespace admf
