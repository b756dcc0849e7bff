// `admf data import FILES... --out DIR [--config CONFIG]`: CSV files parsed once and
// written as bar files (runtime/data/bar_file.hpp) that a config's `csv:` can name.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace admf {

struct data_import_options {
  std::vector<std::string> files;
  std::string out;     ///< directory the bar files go to
  std::string config;  ///< "" or a config whose sources give each file's options
};

/// Declares `import` on the `data` subcommand; parsing fills `options`.
CLI::App* add_data_import_command(CLI::App& data, data_import_options& options);

/// Writes OUT/<stem of FILE>.admfbars for each file and one line per file to `out`:
/// "FILE -> OUT/STEM.admfbars: N bars, symbols A, B". Without a config a file is an
/// ohlcv source named after its stem, read with the default options; with one, the
/// config's source reading the same file gives the options and on_bad_bar. Throws
/// input_error for a file the config does not read or that fails to parse, io_error
/// for an output that cannot be written.
void run_data_import(const data_import_options& options, std::ostream& out);

}  // namespace admf
