// The cluster protocol's checks, and a worker's answer to a job, without a network:
// run_job_spec is exactly what a worker's slot runs for each job spec it receives.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "apps/cluster/endpoint.hpp"
#include "apps/cluster/tls.hpp"
#include "apps/cluster/worker.hpp"
#include "runtime/metrics/metrics.hpp"
#include "runtime/core/error.hpp"

using namespace admf;
using Catch::Matchers::Contains;

namespace {

const std::string data_path = std::string(ADMF_SOURCE_DIR) + "/data/sp500_2000_daily_ohlcv.csv";

const std::string job_yaml = "name: cluster_job\ndata:\n  csv: " + data_path
                             + "\n  symbol: SPX\n" + R"(supervision: {on_failure: stop_portfolio}
portfolios:
  - id: p_sma
    initial_capital: 100000
    strategies:
      - {id: sma_1, type: sma_crossover, params: {fast: 10, slow: 30}}
)";

std::uint64_t real_checksum() {
  data_config data;
  data.sources.push_back({data_path, data_path, csv_format::ohlcv, "SPX", {}});
  return data_checksum(data);
}

proto::JobSpec spec_for(std::uint32_t version, std::uint64_t checksum) {
  proto::JobSpec spec;
  spec.set_protocol_version(version);
  spec.set_job_index(7);
  spec.set_config_yaml(job_yaml);
  spec.set_data_checksum(checksum);
  return spec;
}

/// As a worker without --plugin-path runs it.
proto::JobResult run_job_spec_here(const job_spec_msg& msg) { return run_job_spec(msg, {}); }

} // namespace

TEST_CASE("protocol versions: only the same version is served", "[cluster]") {
  CHECK(check_protocol_version(0x1234abcd, 0x1234abcd).empty());
  CHECK_THAT(check_protocol_version(0x1234abcd, 0x00000002),
             Contains("protocol version mismatch") && Contains("coordinator speaks 1234abcd")
               && Contains("worker speaks 00000002") && Contains("metric keys"));
}

TEST_CASE("the protocol version is the base version and the result's metric keys",
          "[cluster]") {
  // An independent reading of the rule: FNV-1a 64 over "admf cluster 2" and "\n" + each
  // key, folded to 32 bits.
  std::string schema = "admf cluster 2";
  for (const auto& key : metric_keys())
    schema += "\n" + key;
  std::uint64_t h = 14695981039346656037ull;
  for (const unsigned char c : schema)
    h = (h ^ c) * 1099511628211ull;
  CHECK(cluster_protocol_version() == static_cast<std::uint32_t>(h ^ (h >> 32)));
}

TEST_CASE("a worker answers a job of another protocol version with an error", "[cluster]") {
  const auto r = run_job_spec_here(encode(spec_for(cluster_protocol_version() + 1, real_checksum())));
  CHECK(r.protocol_version() == cluster_protocol_version());
  CHECK(r.job_index() == 7);
  CHECK_THAT(r.error(), Contains("protocol version mismatch"));
  CHECK(r.metrics_json().empty());
}

TEST_CASE("a worker runs a job and answers with its metrics", "[cluster]") {
  const auto r = run_job_spec_here(encode(spec_for(cluster_protocol_version(), real_checksum())));
  REQUIRE(r.error().empty());
  CHECK(r.job_index() == 7);
  CHECK_FALSE(r.stopped());
  const auto metrics = nlohmann::json::parse(r.metrics_json());
  CHECK(metrics.contains("sharpe"));
  CHECK(metrics["trades"].get<int>() > 0);
}

TEST_CASE("a worker refuses data that differs from the coordinator's", "[cluster]") {
  const auto r = run_job_spec_here(encode(spec_for(cluster_protocol_version(), real_checksum() ^ 1)));
  CHECK_THAT(r.error(), Contains("data differs from the coordinator's"));
}

TEST_CASE("a worker answers garbage and bad configs with errors, never throws", "[cluster]") {
  CHECK(run_job_spec_here(job_spec_msg{"\xff\xff\xff garbage"}).error() == "malformed job spec");
  auto spec = spec_for(cluster_protocol_version(), real_checksum());
  spec.set_config_yaml("portfolios: [");
  CHECK_FALSE(run_job_spec_here(encode(spec)).error().empty());
}

TEST_CASE("endpoints: host:port lists and loopback hosts", "[cluster]") {
  const auto list = parse_endpoints("127.0.0.1:4242,node-b.lan:1", "--workers");
  REQUIRE(list.size() == 2);
  CHECK(list[0].text() == "127.0.0.1:4242");
  CHECK(list[1].host == "node-b.lan");
  CHECK(list[1].port == 1);
  for (const char* bad : {"", "host", "host:", ":80", "host:99999", "host:8x", "a:1,"})
    CHECK_THROWS_AS(parse_endpoints(bad, "--workers"), input_error);
  CHECK(is_loopback("127.0.0.1"));
  CHECK(is_loopback("localhost"));
  CHECK(is_loopback("::1"));
  CHECK_FALSE(is_loopback("0.0.0.0"));
  CHECK_FALSE(is_loopback("192.0.2.1"));
}

TEST_CASE("a non-loopback address needs TLS or --insecure", "[cluster]") {
  const endpoint remote{"192.0.2.1", 4242}, local{"127.0.0.1", 4242};
  const tls_options tls{"c.pem", "k.pem", "ca.pem"};
  CHECK_NOTHROW(require_tls_off_loopback(local, {}, false, "--listen", "serve"));
  CHECK_NOTHROW(require_tls_off_loopback(remote, tls, false, "--listen", "serve"));
  CHECK_NOTHROW(require_tls_off_loopback(remote, {}, true, "--listen", "serve"));
  CHECK_THROWS_WITH(require_tls_off_loopback(remote, {}, false, "--listen", "serve"),
                    "--listen 192.0.2.1:4242: not a loopback address; serve over TLS "
                    "(--tls-cert, --tls-key, --tls-ca) or pass --insecure to serve unencrypted "
                    "on a trusted network");
  CHECK_THROWS_WITH(require_tls_off_loopback(remote, {}, false, "--accept", "accept"),
                    "--accept 192.0.2.1:4242: not a loopback address; accept over TLS "
                    "(--tls-cert, --tls-key, --tls-ca) or pass --insecure to accept unencrypted "
                    "on a trusted network");
}

namespace {

/// A result as a worker of this build would send it, with `metrics` as its metrics.json.
job_result_msg result_with(const std::string& metrics) {
  proto::JobResult r;
  r.set_protocol_version(cluster_protocol_version());
  r.set_job_index(3);
  r.set_metrics_json(metrics);
  return encode(r);
}

/// This build's metrics.json keys, each with the value 1, minus `drop`, plus `extra`.
std::string metrics_json(const std::string& drop = "", const std::string& extra = "") {
  nlohmann::ordered_json json;
  for (const auto& key : metric_keys())
    if (key != drop)
      json[key] = 1;
  if (!extra.empty())
    json[extra] = 1;
  return json.dump();
}

} // namespace

TEST_CASE("a coordinator reads results defensively: one reason, never a crash", "[cluster]") {
  proto::JobResult r;
  CHECK(decode(result_with(metrics_json()), r).empty());
  CHECK(r.job_index() == 3);
  // Fewer keys than this build's (a worker from another build): the case that crashed.
  CHECK_THAT(decode(result_with(metrics_json("sharpe")), r),
             Contains("malformed job result: metrics_json has key") && Contains("'sharpe'"));
  const auto last = metric_keys().back();
  CHECK(decode(result_with(metrics_json(last)), r)
        == "malformed job result: metrics_json lacks key '" + last + "' (and 0 more)");
  CHECK(decode(result_with(metrics_json("", "zzz_extra")), r)
        == "malformed job result: metrics_json has key 'zzz_extra' where this build has no "
           "more keys");
  CHECK(decode(result_with("[1, 2]"), r) == "malformed job result: metrics_json is not a JSON object");
  CHECK(decode(result_with("{\"total_return\": "), r)
        == "malformed job result: metrics_json is not a JSON object");
  CHECK(decode(result_with(""), r) == "malformed job result: metrics_json is not a JSON object");
  nlohmann::ordered_json listed = nlohmann::ordered_json::parse(metrics_json());
  listed[metric_keys().front()] = nlohmann::json::array({1});
  CHECK(decode(result_with(listed.dump()), r)
        == "malformed job result: metrics_json key '" + metric_keys().front() + "' holds a list");
  // Not a JobResult at all, another protocol version, a signal that is none.
  CHECK(decode(job_result_msg{"\xff\xff\xff\xff"}, r) == "malformed job result: not a JobResult");
  proto::JobResult other;
  other.set_protocol_version(cluster_protocol_version() ^ 1);
  CHECK_THAT(decode(encode(other), r), Contains("protocol version mismatch"));
  proto::JobResult crashed;
  crashed.set_protocol_version(cluster_protocol_version());
  crashed.set_crash_signal(11);
  CHECK(decode(encode(crashed), r).empty());  // no metrics expected from a crash
  crashed.set_crash_signal(-3);
  CHECK(decode(encode(crashed), r) == "malformed job result: crash signal -3");
  // A stopped portfolio or an error carries no metrics.
  proto::JobResult stopped;
  stopped.set_protocol_version(cluster_protocol_version());
  stopped.set_stopped(true);
  CHECK(decode(encode(stopped), r).empty());
}

TEST_CASE("a worker loads plugins by name only, from its own plugin path", "[cluster]") {
  auto spec = spec_for(cluster_protocol_version(), real_checksum());
  for (const std::string& strategy :
       {std::string("{id: s, plugin: /tmp/evil.so}"), std::string("{id: s, type: ./evil}")}) {
    std::string yaml = job_yaml;
    yaml.replace(yaml.find("{id: sma_1"), std::string::npos, strategy + "\n");
    spec.set_config_yaml(yaml);
    CHECK_THAT(run_job_spec_here(encode(spec)).error(),
               Contains("strategy 's': plugin '") && Contains("a job names plugins by name only"));
  }
  // The job's plugin_path is the coordinator's: a worker does not search it.
  spec.set_config_yaml("plugin_path: [/tmp/elsewhere]\n" + job_yaml);
  REQUIRE(run_job_spec(encode(spec), {"/tmp/mine"}).error().empty());
  std::string yaml = job_yaml;
  yaml.replace(yaml.find("{id: sma_1"), std::string::npos, "{id: s, plugin: nowhere}\n");
  spec.set_config_yaml("plugin_path: [/tmp/elsewhere]\n" + yaml);
  const auto error = run_job_spec(encode(spec), {"/tmp/mine"}).error();
  CHECK_THAT(error, Contains("not found (searched: /tmp/mine,"));
  CHECK_THAT(error, !Contains("/tmp/elsewhere"));
}
