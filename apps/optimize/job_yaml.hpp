// A job's config as the config file's own YAML: what top_K.yaml holds and what a
// remote worker is sent. Edited copies of the file as written, so comments aside a
// top config reads like the user's.
#pragma once
#include <cstddef>
#include <string>

#include <yaml-cpp/yaml.h>

#include "apps/optimize/study.hpp"

namespace admf {

/// The config file with job `i`'s (0-based) params, no optimization section and its
/// relative paths (data, plugin_path, plugins) made absolute: it runs from anywhere.
YAML::Node job_config_file(const study& s, std::size_t i);

/// What a remote worker runs for job `i`: like job_config, the grid's portfolio only
/// and no tracing; named like the study, which the file name no longer says. Plugins
/// by name only (a path becomes its file name without ".so"), no plugin_path: a
/// worker loads them from its own --plugin-path.
std::string remote_job_yaml(const study& s, std::size_t i);

}  // namespace admf
