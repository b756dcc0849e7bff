// `admf trace FILE...`: the subcommand's arguments. What it does is run_trace in
// runtime/tracing/trace_analysis.hpp.
#pragma once
#include <CLI/CLI.hpp>

#include "runtime/tracing/trace_analysis.hpp"

namespace admf {

/// Declares the subcommand on `app`; parsing fills `options`.
CLI::App* add_trace_command(CLI::App& app, trace_options& options);

} // namespace admf
