// `admf optimize CONFIG`: the subcommand's arguments. What it does is run_optimize in
// apps/optimize/optimizer.hpp.
#pragma once
#include <CLI/CLI.hpp>

#include "apps/optimize/optimizer.hpp"

namespace admf {

/// Declares the subcommand on `app`; parsing fills `options`.
CLI::App* add_optimize_command(CLI::App& app, optimize_options& options);

}  // namespace admf
