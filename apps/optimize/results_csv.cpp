#include "apps/optimize/results_csv.hpp"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "runtime/core/error.hpp"
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
  // On a cluster this text comes from a worker: another build's keys, or a hostile
  // peer's, would misplace cells, overrun summarize's indexes or split the row.
  const auto json = nlohmann::ordered_json::parse(metrics_json, nullptr, false);
  if (!json.is_object())
    throw input_error("metrics: not a JSON object");
  const auto keys = metric_keys();
  std::vector<std::string> cells;
  for (const auto& item : json.items()) {
    const auto& v = item.value();
    if (v.is_object())
      continue;  // counts by reason: not a column (grid.cpp, metric_keys)
    if (cells.size() == keys.size() || item.key() != keys[cells.size()])
      throw input_error("metrics: key " + quote(item.key()) + " where "
                        + (cells.size() == keys.size() ? "none" : quote(keys[cells.size()]))
                        + " belongs (metrics of another admf version?)");
    // The cell of a number is the text metrics.json has (integers included); a time
    // goes in without its JSON quotes.
    std::string cell = v.is_null()           ? ""
                       : v.is_number_float() ? format_double(v.get<double>())
                       : v.is_string()       ? v.get<std::string>()
                                             : v.dump();
    if (v.is_array() || cell.find_first_of(",\r\n") != std::string::npos)
      throw input_error("metrics: " + item.key() + ": " + quote(cell) + " is not one cell");
    cells.push_back(std::move(cell));
  }
  if (cells.size() != keys.size())
    throw input_error("metrics: key " + quote(keys[cells.size()])
                      + " missing (metrics of another admf version?)");
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
  // A count read back from a file or a worker: a double outside uint64 must not be cast.
  const double trades = parse_cell(cells[columns.trades]).value_or(0);
  r.trades = trades >= 0 && trades < 0x1p64 ? static_cast<std::uint64_t>(trades) : 0;
  return r;
}

}  // namespace admf
