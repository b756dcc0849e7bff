// Jobs on `admf worker`s: the listed ones (--workers) and those that join a
// coordinator that accepts them (--accept), through runtime/cluster's coordinator.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "apps/cluster/coordinator.hpp"
#include "apps/cluster/endpoint.hpp"
#include "apps/cluster/tls.hpp"
#include "apps/optimize/ordered_writer.hpp"
#include "apps/optimize/results_csv.hpp"
#include "apps/optimize/study.hpp"

namespace admf {

/// --accept's endpoint, none for ""; loopback only unless TLS or `insecure`, as for
/// workers. Throws input_error for more than one host:port or a bad one.
std::optional<endpoint> accept_endpoint(const std::string& accept, const tls_options& tls,
                                        bool insecure);

/// Runs jobs first.. of `s` on `workers` (and joiners at settings.accept; the
/// config's job_timeout overrides settings.job_timeout), adding each row to `writer`
/// and its summary to `results`, showing progress on stderr. A job given up after
/// crashing workers is a row without metrics, its reason on stderr. Returns how many
/// workers took part; throws std::runtime_error as run_remote_jobs does.
std::size_t run_remote(const study& s, std::size_t first, const std::vector<endpoint>& workers,
                       remote_settings settings, ordered_writer& writer,
                       std::vector<job_result>& results);

}  // namespace admf
