#include "runtime/tracing/run_trace.hpp"

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

}  // namespace

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
      write_file_atomically(options.chrome, chrome_trace_json(data));  // io_error: exit 4
      out << "chrome trace: " << options.chrome << "\n";
    }
    return 0;
  } catch (const input_error& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace admf
