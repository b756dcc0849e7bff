// Trace files as `admf trace` reads them: trace_reader (framing, zstd, protobuf,
// record conversion) through load_traces, then everything it prints or writes: the
// report (counts, causal chains, latencies), one correlation's events, Chrome JSON.
// The input is one file, or two (merged like a run's containers) split at a line
// "#file". Expected outcome for bad input: admf::input_error; damage past the header
// is a warning, not an error.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/core/error.hpp"
#include "runtime/tracing/chrome_trace.hpp"
#include "runtime/tracing/trace_data.hpp"
#include "runtime/tracing/trace_report.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace admf;
  fuzz::input in(data, size);
  std::vector<std::string> paths{fuzz::scratch_file("a.pb", in.until("\n#file\n"))};
  if (!in.rest().empty())
    paths.push_back(fuzz::scratch_file("b.pb", in.rest()));
  try {
    const trace_data traces = load_traces(paths);
    (void)trace_report(traces, 20);
    (void)chrome_trace_json(traces);
    if (!traces.records.empty())
      (void)format_events(select_correlation(traces, traces.records.front().ev.header.correlation));
  } catch (const input_error& e) {
    fuzz::refused(e);
  }
  return 0;
}
