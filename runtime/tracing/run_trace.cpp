#include "runtime/tracing/run_trace.hpp"

#include <filesystem>
#include <ostream>

#include "runtime/core/error.hpp"
#include "runtime/results/files.hpp"
#include "runtime/tracing/chrome_trace.hpp"
#include "runtime/tracing/event_text.hpp"
#include "runtime/tracing/trace_data.hpp"
#include "runtime/tracing/trace_report.hpp"

namespace admf {

namespace {

std::uint64_t parse_correlation(const std::string& text) {
  if (const auto id = parse_event_id(text))
    return *id;
  throw input_error("--correlation " + text + ": not an id (hex like 0x1f, or decimal)");
}

void write_chrome(const std::string& path, const trace_data& data) {
  try {
    write_file_atomically(path, chrome_trace_json(data));
  } catch (const std::filesystem::filesystem_error& e) {
    // The rename failed (e.g. PATH is a directory): the user's to fix, like an
    // unwritable path, so it exits 2 rather than as an internal error.
    throw input_error(path + ": cannot write: " + e.code().message());
  }
}

} // namespace

int run_trace(const trace_options& options, std::ostream& out, std::ostream& err) {
  try {
    // Checked before loading: a typo should not cost a read of every file.
    std::optional<std::uint64_t> correlation;
    if (options.correlation)
      correlation = parse_correlation(*options.correlation);
    auto data = load_traces(options.files);
    for (const auto& warning : data.warnings)
      err << "warning: " << warning << "\n";
    if (correlation) {
      data = select_correlation(data, *correlation);
      if (data.records.empty())
        throw input_error("no events with correlation " + *options.correlation);
      out << format_events(data);
    } else {
      out << trace_report(data, options.chains);
    }
    if (!options.chrome.empty()) {
      write_chrome(options.chrome, data);
      out << "chrome trace: " << options.chrome << "\n";
    }
    return 0;
  } catch (const input_error& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  }
}

} // namespace admf
