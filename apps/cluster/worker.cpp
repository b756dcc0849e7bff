#include "apps/cluster/worker.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "apps/cluster/endpoint.hpp"
#include "apps/cluster/job_server.hpp"
#include "apps/cluster/transport.hpp"
#include "apps/engine/backtest.hpp"
#include "runtime/core/error.hpp"
#include "runtime/data/market_data.hpp"
#include "runtime/strategy/checked_config.hpp"

namespace admf {

namespace {

/// The data of every sweep served so far, by checksum: a sweep's jobs share one copy
/// as they do on a single node.
class data_cache {
public:
  std::shared_ptr<const market_data> get(std::uint64_t checksum, const data_config& data) {
    std::lock_guard<std::mutex> lock{mutex_};
    auto& slot = cache_[checksum];
    if (!slot)
      slot = std::make_shared<const market_data>(load_market_data(data));
    return slot;
  }

  std::size_t size() {
    std::lock_guard<std::mutex> lock{mutex_};
    return cache_.size();
  }

private:
  std::mutex mutex_;
  std::map<std::uint64_t, std::shared_ptr<const market_data>> cache_;
};

data_cache& shared_data() {
  static data_cache cache;
  return cache;
}

/// A job's strategy as this worker builds it: a plugin by name only, found on the
/// worker's own plugin path (a job's plugin_path is the coordinator's and is dropped):
/// whoever reaches a worker must not make it dlopen any library on its disk.
strategy_config confined(strategy_config s, const std::vector<std::string>& plugin_path) {
  for (const std::string* name : {&s.plugin, &s.type})
    if (name->find('/') != std::string::npos)
      throw input_error("strategy '" + s.id + "': plugin '" + *name
                        + "': a job names plugins by name only; this worker loads them from "
                          "its own plugin path (admf worker --plugin-path)");
  s.plugin_path = plugin_path;
  return s;
}

void prepare_checked(const proto::JobSpec& spec, const std::vector<std::string>& plugin_path,
                     prepared_job& job) {
  // "job.yaml" stands in for a file name in its errors; the coordinator adds the job.
  job.config = load_config_text(spec.config_yaml(), "job.yaml", [&](const strategy_config& s) {
    check_strategy(confined(s, plugin_path));
  });
  for (auto& p : job.config.portfolios)
    for (auto& s : p.strategies)
      s = confined(s, plugin_path);
  const std::uint64_t checksum = data_checksum(job.config.data);
  if (checksum != spec.data_checksum())
    throw std::runtime_error(
      fmt::format("data differs from the coordinator's (checksum {:016x}, coordinator {:016x})",
                  checksum, spec.data_checksum()));
  job.data = shared_data().get(checksum, job.config.data);
}

/// Runs a job prepare_job left without error: its result with metrics (or stopped),
/// or an error. Never throws.
proto::JobResult run_prepared(const prepared_job& job) {
  proto::JobResult result = job.result;
  try {
    const auto run = run_backtest(job.config, job.data, run_options{"", 1});
    const portfolio_result& p = run.portfolios.at(0);
    result.set_stopped(!p.ok);
    if (p.ok)
      result.set_metrics_json(p.metrics.to_json());
  } catch (const std::exception& e) {
    result.set_error(e.what());
  }
  return result;
}

/// One job at a time on a thread of its own (detached), each run by the job server:
/// pulls jobs from the coordinator until it has none left or goes away.
caf::behavior slot(caf::event_based_actor* self, caf::actor coordinator, job_server* server) {
  self->monitor(coordinator);
  self->set_down_handler([self](caf::down_msg&) { self->quit(); });
  self->send(coordinator, job_atom::value);
  return {
    [self, coordinator, server](const job_spec_msg& msg) {
      self->send(coordinator, encode(server->run(msg)));
      self->send(coordinator, job_atom::value);
    },
    [self](done_atom) { self->quit(); },
  };
}

/// The published actor: a coordinator's `sweep_atom` starts `jobs` slots for it.
caf::behavior worker(caf::event_based_actor* self, std::size_t jobs, job_server* server) {
  return {
    [self, jobs, server](sweep_atom) {
      const auto coordinator = caf::actor_cast<caf::actor>(self->current_sender());
      for (std::size_t i = 0; i < jobs; ++i)
        self->system().spawn<caf::detached>(slot, coordinator, server);
    },
  };
}

endpoint listen_endpoint(const worker_options& options) {
  const endpoint at = parse_endpoints(options.listen, "--listen").at(0);
  if (options.listen.find(',') != std::string::npos)
    throw input_error("--listen: one host:port only");
  if (!options.join.empty() && parse_endpoints(options.join, "--join").size() != 1)
    throw input_error("--join: one host:port only");
  check_tls(options.tls);
  require_tls_off_loopback(at, options.tls, options.insecure, "--listen", "serve");
  return at;
}

/// --plugin-path's directories, absolute (jobs run from elsewhere); each must exist.
std::vector<std::string> plugin_dirs(const worker_options& options) {
  std::vector<std::string> dirs;
  for (const auto& dir : options.plugin_path) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
      throw input_error("--plugin-path " + dir + ": not a directory");
    dirs.push_back(std::filesystem::absolute(dir).lexically_normal().string());
  }
  return dirs;
}

}  // namespace

prepared_job prepare_job(const job_spec_msg& msg, const std::vector<std::string>& plugin_path) {
  proto::JobSpec spec;
  prepared_job job;
  job.result.set_protocol_version(cluster_protocol_version());
  if (!decode(msg, spec)) {
    job.result.set_error("malformed job spec");
    return job;
  }
  job.result.set_job_index(spec.job_index());
  if (const auto mismatch =
        check_protocol_version(spec.protocol_version(), cluster_protocol_version());
      !mismatch.empty()) {
    job.result.set_error(mismatch);
    return job;
  }
  try {
    prepare_checked(spec, plugin_path, job);
  } catch (const std::exception& e) {
    job.result.set_error(e.what());
  }
  return job;
}

std::size_t data_sets_loaded() { return shared_data().size(); }

proto::JobResult run_job_spec(const job_spec_msg& msg, const std::vector<std::string>& plugin_path) {
  const prepared_job job = prepare_job(msg, plugin_path);
  return job.result.error().empty() ? run_prepared(job) : job.result;
}

void run_worker(const worker_options& options, std::ostream& out) {
  const endpoint at = listen_endpoint(options);
  const auto plugin_path = plugin_dirs(options);
  const std::size_t jobs =
    options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  // Forked while this process has one thread: the actor system below starts more.
  job_server server{jobs, plugin_path};
  caf::actor_system_config cfg;
  configure_cluster(cfg, options.tls);
  caf::actor_system sys{cfg};
  const caf::actor self = sys.spawn(worker, jobs, &server);
  std::unique_ptr<basp_guard> guard;
  const auto port = publish_at(self, at, options.tls, options.max_message, guard);
  if (!port) {
    caf::anon_send_exit(self, caf::exit_reason::user_shutdown);
    throw input_error("--listen " + at.text() + ": " + sys.render(port.error()));
  }
  out << "listening on " << at.host << ":" << *port << std::endl;  // flushed: others wait for it
  if (!options.join.empty()) {
    const endpoint to = parse_endpoints(options.join, "--join").at(0);
    auto coordinator = connect_to(sys, to, options.tls);
    if (!coordinator) {
      caf::anon_send_exit(self, caf::exit_reason::user_shutdown);
      throw std::runtime_error("--join " + to.text()
                               + ": cannot connect: " + sys.render(coordinator.error()));
    }
    // From the worker actor itself: the coordinator answers its sender with `sweep_atom`.
    caf::send_as(self, *coordinator, join_msg{at.host + ":" + std::to_string(*port)});
  }
  caf::scoped_actor { sys } -> wait_for(self);  // serves until the process is killed
}

}  // namespace admf
