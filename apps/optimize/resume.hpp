// Resuming an optimization: a run in a directory that holds rows of the same
// optimization (same config, data and grid) keeps them and runs only the jobs after
// them; the results of any other optimization there are removed first.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "apps/optimize/results_csv.hpp"
#include "apps/optimize/study.hpp"

namespace admf {

/// The results file, written as `csv_name`.partial until every row is in.
constexpr const char* csv_name = "optimize.csv";
/// One line: the plan_hash of the optimization whose results the directory holds.
constexpr const char* hash_name = "optimize.hash";

/// 16 hex digits (FNV-1a) naming what decides the rows: the config (minus its
/// optimization section), the data (through the run id, which hashes every bar) and
/// every job's parameters.
std::string plan_hash(const study& s);

/// Creates `dir` if missing. Throws input_error when it exists and is not a directory.
void make_output_dir(const std::filesystem::path& dir);

/// Makes `dir` (existing, locked: dir_lock) the results directory of the optimization
/// named `hash`: when its optimize.hash says otherwise, optimize.csv,
/// optimize.csv.partial and top_K.yaml are removed and the hash written; other files
/// stay.
void claim_dir(const std::filesystem::path& dir, const std::string& hash);

/// What a previous run's rows must match to be kept.
struct csv_layout {
  std::string header;  ///< csv_header(grid)
  std::size_t jobs = 0;
  std::function<std::string(std::size_t)> row_prefix;  ///< job i (0-based) -> its row_prefix
  metric_columns columns;
};

/// The first bytes of a results file that a run keeps.
struct kept_rows {
  std::uintmax_t bytes = 0;  ///< header and rows; 0: not even the header
  std::size_t rows = 0;      ///< jobs 1..rows
};

/// The header and the longest run of rows for jobs 1, 2, ... in `file` exactly as
/// `layout` would write them (a last line without its newline was cut short and does
/// not count); `results[i]` gets kept row i's summary.
kept_rows read_kept_rows(const std::filesystem::path& file, const csv_layout& layout,
                         std::vector<job_result>& results);

/// Moves a finished `csv` back to `csv`.partial, keeps what read_kept_rows keeps of
/// the .partial and cuts off the rest (a torn last line, another grid's rows).
kept_rows resume_rows(const std::filesystem::path& csv, const csv_layout& layout,
                      std::vector<job_result>& results);

/// The layout of `s`'s optimize.csv.
csv_layout layout_of(const study& s);

}  // namespace admf
