// The `admf trace` command, minus its argument parsing (apps/cli/trace_command.hpp).
#pragma once
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace admf {

struct trace_options {
  std::vector<std::string> files;
  std::size_t chains = 20;                 ///< causal chains printed in full
  std::optional<std::string> correlation;  ///< as typed: hex or decimal
  std::string chrome;                      ///< Chrome JSON output path; empty: none
};

/// The report (or, with a correlation, that correlation's events) goes to `out`,
/// warnings and errors to `err`. Returns the exit code: 0, or 2 for bad input
/// (missing or non-trace file, malformed or unmatched id, unwritable Chrome file).
int run_trace(const trace_options& options, std::ostream& out, std::ostream& err);

}  // namespace admf
