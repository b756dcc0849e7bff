// The checks that span the whole config (ids, at least one of each), shared by
// load_config (with the lines it read) and validate (without).
#pragma once
#include "runtime/config/load_config.hpp"
#include "runtime/yaml/yaml_reader.hpp"

namespace admf {

/// validate() placing its messages at `lines` (key path -> line) in config.source_file.
void check_config(const backtest_config& config, const yaml::line_index& lines,
                  const strategy_check& check);

}  // namespace admf
