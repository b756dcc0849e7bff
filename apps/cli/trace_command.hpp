// `admf trace FILE...`: the subcommand's arguments. What it does is run_trace in
// runtime/tracing/run_trace.hpp.
#pragma once
#include <CLI/CLI.hpp>

#include "runtime/tracing/run_trace.hpp"

namespace admf {

/// Declares the subcommand on `app`; parsing fills `options`.
CLI::App* add_trace_command(CLI::App& app, trace_options& options);

}  // namespace admf
