// top_K.yaml: the best jobs' configs, written back as runnable config files.
#pragma once
#include <cstddef>
#include <filesystem>
#include <vector>

#include "apps/optimize/study.hpp"

namespace admf {

/// Removes every top_<digits>.yaml in `dir` (a previous run's, maybe of more jobs).
void remove_top_configs(const std::filesystem::path& dir);

/// Replaces the top configs in s.dir with top_1.yaml .. top_K.yaml for `shown`
/// (0-based jobs, best first), each headed by a comment naming its rank and job.
void write_top_configs(const study& s, const std::vector<std::size_t>& shown);

}  // namespace admf
