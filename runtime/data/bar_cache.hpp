// Where a source's bars come from when they need not be parsed: a bar file the config
// names directly, or the automatic cache (`data: {cache: DIR | auto | off}`), which keeps
// each CSV source's parsed bars as DIR/<key>.admfbars (runtime/data/bar_file.hpp). The
// key hashes the CSV's bytes and every option that changes what is parsed, so an entry
// is found again only for the same file content read the same way, whatever its path.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/data/bar_file.hpp"
#include "runtime/data/csv_table.hpp"
#include "runtime/data/data_config.hpp"

namespace admf {

/// Part of every key: raise it whenever the CSV loader's output for the same file and
/// options changes (a fix, a new check), so that no run maps bars an older loader made.
constexpr std::uint32_t csv_loader_version = 1;

/// The directory `cache: auto` means: $ADMF_CACHE_DIR, else $XDG_CACHE_HOME/admf, else
/// $HOME/.cache/admf; "" when none of these variables is set.
std::string default_cache_dir();

/// Every setting that changes what parsing `source` under `policy` gives, as
/// (option name, value) pairs in a fixed order, paths of files excluded (their
/// contents are in the key instead).
std::vector<std::pair<std::string, std::string>> parse_options(const data_source_config& source,
                                                               bad_bar_policy policy);

/// XXH3-128 of csv_loader_version, the bytes of the CSV (and of the corporate actions
/// file, if any) and parse_options(). Throws input_error "PATH: cannot read: OS error".
bar_file_key source_key(const data_source_config& source, bad_bar_policy policy);

/// "PATH (ohlcv, SYMBOL)" or "PATH (wide[, SYMBOLS])": what a bar file was made from.
std::string describe_source(const data_source_config& source);

/// `admf data import`: parses `source` under `policy` (no cache) and writes the bars,
/// their bad-bar reports and source_key() to the bar file `out_path`. Returns what was
/// written. Throws what load_market_data and write_bar_file throw.
bar_file_contents import_bar_file(const data_source_config& source, bad_bar_policy policy,
                                  const std::string& out_path);

/// Parses a CSV source, showing the file's bytes to the sink as it reads them (csv_table).
using source_parser = std::function<source_bars(const byte_sink& on_read)>;

/// The bars of `source`, with its local symbol ids, and in `origin` what they were made
/// from: source_key() for a CSV source (taken from the bytes parse() reads when there
/// is no cache, so the file is read once), for a bar file its key (the source_key() of
/// the CSV it was made from). Equal origins and equal symbols mean equal bars.
///  - source.path is a bar file (by its magic): its bars, the ohlcv source's `symbol:`
///    naming its one symbol, a wide source's `symbols:` selecting among its symbols;
///    parse options (delimiter, columns, ...) are refused there since they were applied
///    when the file was made; `timezone:` must equal the file's (it decides timeframe
///    days). Throws input_error as read_bar_file does, and "PATH: ..." for a symbol
///    the file lacks, a parse option it cannot take, or another zone: "PATH: made with
///    timezone: Z; write timezone: Z on this source (it decides the days of timeframes)".
///  - else, if `cache_dir` is not "", the entry of source_key() when there is a whole
///    one, else parse() stored as the entry;
///  - else parse().
/// Cache trouble (an unwritable directory, a damaged entry) is one warning line on the
/// log naming the file and the OS error; the bars then come from parse() and a damaged
/// entry is replaced. What parse() throws passes through.
source_bars load_source_bars(const data_source_config& source, bad_bar_policy policy,
                             const std::string& cache_dir, const source_parser& parse,
                             bar_file_key& origin);

}  // namespace admf
