// `admf worker --listen HOST:PORT`: the subcommand's arguments. What it does is
// run_worker in apps/cluster/worker.hpp.
#pragma once
#include <CLI/CLI.hpp>

#include "apps/cluster/worker.hpp"

namespace admf {

/// Declares the subcommand on `app`; parsing fills `options`.
CLI::App* add_worker_command(CLI::App& app, worker_options& options);

}  // namespace admf
