// The rows of a result CSV (equity.csv, trades.csv, ...) as tests read them back.
#pragma once
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace admf::testing {

/// The rows after the header, each split at its commas (result files quote nothing).
/// Throws std::runtime_error when the file cannot be opened (a failed test, not no rows).
inline std::vector<std::vector<std::string>> csv_rows(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error(path.string() + ": cannot open");
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    rows.emplace_back();
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');)
      rows.back().push_back(cell);
  }
  return rows;
}

}  // namespace admf::testing
