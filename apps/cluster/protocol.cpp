#include "apps/cluster/protocol.hpp"

#include <fstream>

#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "runtime/metrics/metrics.hpp"
#include "runtime/core/error.hpp"
#include "runtime/core/hash.hpp"

namespace admf {

std::uint32_t cluster_protocol_version() {
  static const std::uint32_t version = [] {
    std::string schema = "admf cluster " + std::to_string(cluster_protocol_base);
    for (const auto& key : metric_keys())
      schema += "\n" + key;
    const std::uint64_t h = fnv1a(schema);
    return static_cast<std::uint32_t>(h ^ (h >> 32));
  }();
  return version;
}

void configure_cluster(caf::actor_system_config& cfg, const tls_options& tls,
                       const cluster_timing& timing) {
  cfg.load<caf::io::middleman>();
  // Off by default in CAF 0.17: without heartbeats a stopped peer is never noticed.
  cfg.set("middleman.heartbeat-interval", timing.heartbeat);
  cfg.set("middleman.connection-timeout", timing.peer_timeout);
  if (tls.enabled()) {
    cfg.load<caf::openssl::manager>();
    cfg.openssl_certificate = tls.cert;
    cfg.openssl_key = tls.key;
    cfg.openssl_cafile = tls.ca;
  }
  cfg.add_message_type<job_spec_msg>("admf.job_spec");
  cfg.add_message_type<job_result_msg>("admf.job_result");
  cfg.add_message_type<join_msg>("admf.join");
}

std::string check_protocol_version(std::uint32_t coordinator, std::uint32_t worker) {
  if (coordinator == worker)
    return "";
  return fmt::format("protocol version mismatch: coordinator speaks {:08x}, worker speaks {:08x} "
                     "(another admf build: the protocol or the metric keys of a result differ)",
                     coordinator, worker);
}

std::uint64_t data_checksum(const data_config& data) {
  std::uint64_t h = fnv1a_basis;
  char buffer[1 << 16];
  for (const auto& source : data.sources)
    for (const std::string* path : {&source.path, &source.corporate_actions}) {
      if (path->empty())  // no corporate actions file
        continue;
      std::ifstream in{*path, std::ios::binary};
      if (!in)
        throw input_error(*path + ": cannot read data file");
      while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
        h = fnv1a({buffer, static_cast<std::size_t>(in.gcount())}, h);
    }
  return h;
}

job_spec_msg encode(const proto::JobSpec& spec) { return {spec.SerializeAsString()}; }

job_result_msg encode(const proto::JobResult& result) { return {result.SerializeAsString()}; }

bool decode(const job_spec_msg& msg, proto::JobSpec& spec) {
  return spec.ParseFromString(msg.bytes);
}

namespace {

/// "" when `text` is a metrics.json this build would write (see decode), else why not.
std::string check_metrics(const std::string& text) {
  const auto json = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!json.is_object())
    return "metrics_json is not a JSON object";
  const auto expected = metric_keys();
  std::size_t i = 0;
  for (const auto& item : json.items()) {
    if (item.value().is_object())
      continue;  // counts by reason: not a column (metric_keys)
    if (i == expected.size() || item.key() != expected[i])
      return fmt::format("metrics_json has key '{}' where this build has {}", item.key(),
                         i == expected.size() ? "no more keys" : "'" + expected[i] + "'");
    if (item.value().is_array())
      return fmt::format("metrics_json key '{}' holds a list", item.key());
    ++i;
  }
  if (i < expected.size())
    return fmt::format("metrics_json lacks key '{}' (and {} more)", expected[i],
                       expected.size() - i - 1);
  return "";
}

}  // namespace

std::string decode(const job_result_msg& msg, proto::JobResult& result) {
  if (!result.ParseFromString(msg.bytes))
    return "malformed job result: not a JobResult";
  if (auto m = check_protocol_version(cluster_protocol_version(), result.protocol_version());
      !m.empty())
    return m;
  if (result.crash_signal() < 0 || result.crash_signal() > 64)
    return fmt::format("malformed job result: crash signal {}", result.crash_signal());
  if (result.stopped() || !result.error().empty() || result.crash_signal() != 0
      || !result.limit_exceeded().empty())
    return "";
  if (auto m = check_metrics(result.metrics_json()); !m.empty())
    return "malformed job result: " + m;
  return "";
}

}  // namespace admf
