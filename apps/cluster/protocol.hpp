// What coordinator (`admf optimize --workers`) and worker (`admf worker`) exchange over
// CAF's middleman. Control messages are atoms; a job and its result are protobuf bytes
// (JobSpec, JobResult in events.proto) inside two announced CAF types, so the payload
// carries its own protocol version and can evolve without renaming CAF types.
//
// The exchange, per sweep: coordinator -> worker `sweep_atom`; the worker starts one
// slot per --jobs; each slot pulls: slot -> coordinator `job_atom`, coordinator -> slot
// job_spec_msg (or `done_atom`: nothing left), slot -> coordinator job_result_msg.
// A worker started with --join connects to a coordinator that accepts workers
// (`admf optimize --accept`) and sends it a join_msg from its published actor; the
// coordinator then treats it as a listed worker (monitor, `sweep_atom`).
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/timespan.hpp>
#include <caf/meta/type_name.hpp>

#include "apps/cluster/tls.hpp"
#include "events.pb.h"
#include "runtime/config/backtest_config.hpp"

namespace admf {

/// Bumped on any change to JobSpec / JobResult or to the exchange above.
constexpr std::uint32_t cluster_protocol_base = 2;

/// What both ends must speak: cluster_protocol_base and the metric keys a result
/// carries (optimize.csv's columns, in order), hashed to 32 bits. Builds whose results
/// differ in a key differ here, so the first job fails with one line instead of a
/// result the coordinator cannot place.
std::uint32_t cluster_protocol_version();

/// How often each side sends a BASP heartbeat, and how long a silent peer (stopped,
/// partitioned) is tolerated before CAF closes its connection and its actors go down.
struct cluster_timing {
  caf::timespan heartbeat = std::chrono::seconds(1);
  caf::timespan peer_timeout = std::chrono::seconds(30);
};

using sweep_atom = caf::atom_constant<caf::atom("sweep")>;
using job_atom = caf::atom_constant<caf::atom("job")>;
using done_atom = caf::atom_constant<caf::atom("done")>;

struct job_spec_msg {
  std::string bytes;  ///< a serialized proto::JobSpec
};

struct job_result_msg {
  std::string bytes;  ///< a serialized proto::JobResult
};

/// worker -> coordinator: "take me into your sweep"; sent by the worker actor itself.
struct join_msg {
  std::string name;  ///< the worker's host:port, as it listens
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, join_msg& x) {
  return f(caf::meta::type_name("admf.join"), x.name);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_spec_msg& x) {
  return f(caf::meta::type_name("admf.job_spec"), x.bytes);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_result_msg& x) {
  return f(caf::meta::type_name("admf.job_result"), x.bytes);
}

/// Loads the middleman and announces the cluster types: every process that sends or
/// receives them must do this, or CAF silently drops their contents. With TLS
/// enabled, also loads the OpenSSL manager configured with `tls`'s files.
/// `timing` sets CAF's middleman.heartbeat-interval and middleman.connection-timeout.
void configure_cluster(caf::actor_system_config& cfg, const tls_options& tls = {},
                       const cluster_timing& timing = {});

/// "" when both ends speak the same cluster_protocol_version(), else the one-line
/// reason "protocol version mismatch: coordinator speaks X, worker speaks Y (...)".
std::string check_protocol_version(std::uint32_t coordinator, std::uint32_t worker);

/// FNV-1a over the bytes of every data file (a source's CSV, then its corporate actions
/// file if any), in source order: coordinator and worker
/// compare it to know they run on the same data.
std::uint64_t data_checksum(const data_config& data);

job_spec_msg encode(const proto::JobSpec& spec);
job_result_msg encode(const proto::JobResult& result);
/// False when the bytes are not a message of that type.
bool decode(const job_spec_msg& msg, proto::JobSpec& spec);

/// A worker's result read as a peer of unknown build or intent may have sent it:
/// "" when `result` holds a JobResult of this protocol version whose fields the
/// coordinator can use as they are, else the one-line reason (never throws). A result
/// that neither failed nor stopped must carry a metrics.json object whose keys, those
/// holding objects aside, are metric_keys() in order, each a number, string, bool or
/// null; a crash signal must be one (1..64).
std::string decode(const job_result_msg& msg, proto::JobResult& result);

}  // namespace admf
