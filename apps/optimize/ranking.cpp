#include "apps/optimize/ranking.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace admf {

namespace {

/// "fast=10 slow=30", or with strategy ids ("sma_1.fast=10 ...") when the grid
/// varies more than one strategy.
std::string params_text(const study& s, std::size_t i) {
  const auto& axes = s.spec.grid.axes;
  const bool one_strategy = std::all_of(
    axes.begin(), axes.end(), [&](const grid_axis& a) { return a.strategy == axes[0].strategy; });
  const auto values = s.values(i);
  std::string out;
  for (std::size_t a = 0; a < axes.size(); ++a)
    out += (a ? " " : "") + (one_strategy ? axes[a].param : axes[a].column()) + "=" + values[a];
  return out;
}

std::string percent(const std::optional<double>& v) {
  return v ? fmt::format("{:.2f}%", *v * 100) : "-";
}

std::string number(const std::optional<double>& v, const char* format) {
  return v ? fmt::format(fmt::runtime(format), *v) : "-";
}

}  // namespace

std::vector<std::size_t> rank_jobs(const std::vector<job_result>& results,
                                   const std::string& metric) {
  std::vector<std::size_t> ranked;
  for (std::size_t i = 0; i < results.size(); ++i)
    if (results[i].metric)
      ranked.push_back(i);
  const bool ascending = lower_is_better(metric);
  std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
    const double x = *results[a].metric, y = *results[b].metric;
    return ascending ? x < y : x > y;
  });
  return ranked;
}

std::string ranked_table(const study& s, const std::vector<job_result>& results,
                         const std::vector<std::size_t>& shown) {
  std::size_t width = 6;
  for (auto i : shown)
    width = std::max(width, params_text(s, i).size());
  std::string out =
    fmt::format("{:>4} {:>6}  {:<{}} {:>12} {:>9} {:>7} {:>8} {:>7}\n", "rank", "job", "params",
                width, s.spec.metric, "return", "sharpe", "max dd", "trades");
  for (std::size_t r = 0; r < shown.size(); ++r) {
    const job_result& j = results[shown[r]];
    out += fmt::format("{:>4} {:>6}  {:<{}} {:>12} {:>9} {:>7} {:>8} {:>7}\n", r + 1, shown[r] + 1,
                       params_text(s, shown[r]), width, number(j.metric, "{:.6g}"),
                       percent(j.total_return), number(j.sharpe, "{:.3f}"), percent(j.max_drawdown),
                       j.trades);
  }
  return out;
}

}  // namespace admf
