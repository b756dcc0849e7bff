#include "apps/cli/data_import_command.hpp"

#include <filesystem>
#include <optional>

#include "runtime/core/error.hpp"
#include "runtime/data/bar_cache.hpp"
#include "runtime/strategy/checked_config.hpp"

namespace admf {
namespace {

namespace fs = std::filesystem;

/// The config's source reading the same file as `file`.
data_source_config source_of(const data_config& data, const std::string& file,
                             const std::string& config) {
  for (const auto& source : data.sources) {
    std::error_code ec;
    if (fs::equivalent(source.path, file, ec))
      return source;
  }
  throw input_error(file + ": no source of " + config + " reads this file");
}

}  // namespace

CLI::App* add_data_import_command(CLI::App& data, data_import_options& options) {
  auto* cmd = data.add_subcommand(
    "import", "parse CSV files once into bar files (OUT/<stem>.admfbars) that load in "
              "milliseconds; a config's csv: may name one");
  cmd->add_option("files", options.files, "CSV files")->required();
  cmd->add_option("--out", options.out, "directory for the bar files")->required();
  cmd->add_option("--config", options.config,
                  "config whose data sources give each file's options (default: an ohlcv "
                  "file named after its stem, default options)");
  return cmd;
}

void run_data_import(const data_import_options& options, std::ostream& out) {
  std::optional<backtest_config> config;
  if (!options.config.empty())
    config = load_config(options.config);
  std::error_code ec;
  fs::create_directories(options.out, ec);
  if (ec)
    throw io_error(options.out + ": cannot create the directory: " + ec.message());
  for (const auto& file : options.files) {
    data_source_config source;
    if (config) {
      source = source_of(config->data, file, options.config);
    } else {
      source.csv = source.path = file;
      source.symbol = fs::path(file).stem().string();
    }
    const bad_bar_policy policy = config ? config->data.on_bad_bar : bad_bar_policy::reject;
    const std::string target =
      (fs::path(options.out) / fs::path(file).stem()).string() + bar_file_extension;
    const bar_file_contents written = import_bar_file(source, policy, target);
    std::string symbols;
    for (const auto& s : written.bars.symbols)
      symbols += (symbols.empty() ? "" : ", ") + s;
    out << file << " -> " << target << ": " << written.bars.bars.size() << " bars, symbols "
        << symbols << "\n";
    for (const auto& report : written.bars.bad_bars)
      out << "  " << describe(report) << "\n";
    for (const auto& report : written.bars.missing_rows)
      out << "  " << describe(report) << "\n";
  }
}

}  // namespace admf
