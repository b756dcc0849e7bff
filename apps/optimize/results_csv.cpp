#include "apps/optimize/results_csv.hpp"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "runtime/results/format.hpp"

namespace admf {

namespace {

std::size_t metric_index(const std::string& key) {
  const auto keys = metric_keys();
  return static_cast<std::size_t>(std::find(keys.begin(), keys.end(), key) - keys.begin());
}

std::optional<double> parse_cell(const std::string& cell) {
  double value = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (cell.empty() || ec != std::errc() || end != cell.data() + cell.size())
    return std::nullopt;
  return value;
}

}  // namespace

metric_columns columns_for(const std::string& metric) {
  return {metric_index(metric), metric_index("total_return"), metric_index("sharpe"),
          metric_index("max_drawdown"), metric_index("trades")};
}

std::string csv_header(const param_grid& grid) {
  std::string out = "job";
  for (const auto& axis : grid.axes)
    out += "," + axis.column();
  for (const auto& key : metric_keys())
    out += "," + key;
  return out + "\n";
}

std::string row_prefix(std::size_t job, const std::vector<std::string>& values) {
  std::string out = std::to_string(job);
  for (const auto& v : values)
    out += "," + v;
  return out + ",";
}

std::vector<std::string> metric_cells(const std::string& metrics_json) {
  std::vector<std::string> cells;
  const auto json = nlohmann::ordered_json::parse(metrics_json);
  for (const auto& item : json.items()) {
    const auto& v = item.value();
    // The cell of a number is the text metrics.json has (integers included); a time
    // goes in without its JSON quotes.
    cells.push_back(v.is_null()           ? ""
                    : v.is_number_float() ? format_double(v.get<double>())
                    : v.is_string()       ? v.get<std::string>()
                                          : v.dump());
  }
  return cells;
}

std::vector<std::string> split_cells(const std::string& text) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (std::size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1)
    cells.push_back(text.substr(start, comma - start));
  cells.push_back(text.substr(start));
  return cells;
}

std::string joined_cells(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i)
    out += (i ? "," : "") + cells[i];
  return out;
}

job_result summarize(const std::vector<std::string>& cells, const metric_columns& columns) {
  job_result r;
  r.metric = parse_cell(cells[columns.metric]);
  r.total_return = parse_cell(cells[columns.total_return]);
  r.sharpe = parse_cell(cells[columns.sharpe]);
  r.max_drawdown = parse_cell(cells[columns.max_drawdown]);
  r.trades = static_cast<std::uint64_t>(parse_cell(cells[columns.trades]).value_or(0));
  return r;
}

}  // namespace admf
