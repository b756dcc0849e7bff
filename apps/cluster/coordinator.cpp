#include "apps/cluster/coordinator.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "apps/cluster/job_ledger.hpp"
#include "apps/cluster/transport.hpp"
#include "runtime/core/stop_signal.hpp"

namespace admf {

namespace {

using timeout_atom = caf::atom_constant<caf::atom("jobtmo")>;

struct sweep {
  const std::vector<remote_job>& jobs;
  std::uint64_t checksum;
  const std::function<void(const remote_outcome&)>& on_result;
  const remote_settings& settings;
  bool accepting = false;  ///< workers may join: losing every worker is no failure
  std::string failure;     ///< set when the sweep stopped before its end
  std::vector<std::pair<std::string, std::size_t>> jobs_per_worker;  ///< in order of arrival
};

struct connected_worker {
  caf::actor handle;
  std::string name;  ///< host:port as given
};

/// A job on a worker: which one, and which attempt (a late timeout must not hit a rerun).
struct flight {
  caf::node_id node;
  std::uint64_t attempt = 0;
};

struct coordinator_state {
  std::unique_ptr<job_ledger> ledger;         ///< positions in sweep::jobs still to run
  std::map<std::size_t, flight> in_flight;    ///< position -> where it runs
  std::map<std::uint64_t, std::size_t> position;  ///< job index -> position
  std::vector<caf::actor> idle;                   ///< slots waiting for a job
  std::map<caf::node_id, std::string> names;      ///< workers still up
  std::map<caf::node_id, std::size_t> tally;      ///< worker -> its entry in jobs_per_worker
  std::uint64_t attempts = 0;
  std::size_t done = 0;
  bool finished = false;  ///< finish() ran: a handler still looping must stop
};

using coordinator_actor = caf::stateful_actor<coordinator_state>;

/// Stops the sweep: idle slots are told, busy ones see the coordinator go down.
void finish(coordinator_actor* self, sweep& s, std::string failure) {
  self->state.finished = true;
  s.failure = std::move(failure);
  if (s.failure.empty()) {  // a failure is one line of its own
    std::string line = "jobs per worker:";
    for (std::size_t i = 0; i < s.jobs_per_worker.size(); ++i)
      line += fmt::format("{} {}={}", i ? "," : "", s.jobs_per_worker[i].first,
                          s.jobs_per_worker[i].second);
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
  }
  for (const auto& slot : self->state.idle)
    self->send(slot, done_atom::value);
  self->quit();
}

std::string worker_name(coordinator_actor* self, const caf::node_id& node) {
  const auto it = self->state.names.find(node);
  return it == self->state.names.end() ? "a worker" : "worker " + it->second;
}

std::set<std::string> live_workers(const coordinator_state& st) {
  std::set<std::string> live;
  for (const auto& [node, name] : st.names)
    live.insert(name);
  return live;
}

void dispatch(coordinator_actor* self, const sweep& s) {
  auto& st = self->state;
  const auto live = live_workers(st);
  for (auto it = st.idle.begin(); it != st.idle.end();) {
    const auto name = st.names.find(it->node());
    const auto p = st.ledger->take(name == st.names.end() ? "" : name->second, live);
    if (!p) {  // every queued job failed on this worker while others may take it
      ++it;
      continue;
    }
    const caf::actor slot = *it;
    it = st.idle.erase(it);
    const std::uint64_t attempt = ++st.attempts;
    st.in_flight[*p] = {slot.node(), attempt};
    proto::JobSpec spec;
    spec.set_protocol_version(cluster_protocol_version());
    spec.set_job_index(s.jobs[*p].index);
    spec.set_config_yaml(s.jobs[*p].config_yaml);
    spec.set_data_checksum(s.checksum);
    self->send(slot, encode(spec));
    if (s.settings.job_timeout.count() > 0)
      self->delayed_send(self, s.settings.job_timeout, timeout_atom::value,
                         static_cast<std::uint64_t>(*p), attempt);
  }
}

/// A finished job: its row goes out; the last one ends the sweep.
void complete(coordinator_actor* self, sweep& s, const remote_outcome& outcome) {
  try {
    s.on_result(outcome);
  } catch (const std::exception& e) {
    return finish(self, s, e.what());
  }
  if (++self->state.done == s.jobs.size())
    finish(self, s, "");
}

/// Job at `p` failed on `worker` (crashed it, ran over time, lost it): run again on
/// another worker, or given up as a failed row after job_ledger::max_failures.
void job_failed(coordinator_actor* self, sweep& s, std::size_t p, const std::string& worker,
                const std::string& what, int signal) {
  auto& st = self->state;
  st.in_flight.erase(p);
  if (!st.ledger->fail(p, worker, what, signal)) {
    std::fprintf(stderr, "job %zu: %s on worker %s; requeued\n", s.jobs[p].index + 1,
                 what.c_str(), worker.c_str());
    std::fflush(stderr);
    return;
  }
  const std::string why = st.ledger->failure(p);
  std::fprintf(stderr, "job %zu: %s; not run again\n", s.jobs[p].index + 1, why.c_str());
  std::fflush(stderr);
  complete(self, s, {s.jobs[p].index, false, "", why, st.ledger->signal(p)});
}

std::string signal_text(int signal) {
  const std::string name = signal_name(signal);  // "signal N" when it has no name
  return name.rfind("SIG", 0) == 0 ? fmt::format("signal {}, {}", signal, name) : name;
}

void on_result(coordinator_actor* self, sweep& s, const job_result_msg& msg) {
  auto& st = self->state;
  const caf::node_id node = self->current_sender()->node();
  const std::string from = worker_name(self, node);
  proto::JobResult r;
  if (const auto bad = decode(msg, r); !bad.empty())
    return finish(self, s, from + ": " + bad);
  const auto p = st.position.find(r.job_index());
  if (p == st.position.end())
    return finish(self, s, fmt::format("{}: result for job index {}, not one of this sweep",
                                       from, r.job_index()));
  // Only a job in flight counts: a result that comes after its job timed out there
  // and went elsewhere is as good as the rerun's (runs are deterministic); the second
  // of the two to arrive is dropped.
  if (st.in_flight.count(p->second) == 0)
    return;
  if (r.crash_signal() != 0) {
    const auto name = st.names.find(node);
    return job_failed(self, s, p->second, name == st.names.end() ? "?" : name->second,
                      r.error().empty() ? "crashed (" + signal_text(r.crash_signal()) + ")"
                                        : r.error(),  // names the plugin, container and bar
                      r.crash_signal());
  }
  if (!r.limit_exceeded().empty()) {  // the user's limit: a property of the job
    st.in_flight.erase(p->second);
    return complete(self, s, {r.job_index(), false, "", r.error(), 0});
  }
  if (!r.error().empty())
    return finish(self, s, fmt::format("{}: job {}: {}", from, r.job_index() + 1, r.error()));
  st.in_flight.erase(p->second);
  if (const auto t = st.tally.find(node); t != st.tally.end())
    ++s.jobs_per_worker[t->second].second;
  complete(self, s, {r.job_index(), r.stopped(), r.metrics_json(), "", 0});
}

/// A job still running past job_timeout goes to another worker (the first may finish
/// it yet: whichever result comes first is taken).
void on_timeout(coordinator_actor* self, sweep& s, std::uint64_t p, std::uint64_t attempt) {
  auto& st = self->state;
  const auto f = st.in_flight.find(p);
  if (f == st.in_flight.end() || f->second.attempt != attempt)
    return;
  const auto name = st.names.find(f->second.node);
  const auto secs = std::chrono::duration<double>(s.settings.job_timeout).count();
  job_failed(self, s, p, name == st.names.end() ? "?" : name->second,
             fmt::format("ran over job_timeout ({:g} s)", secs), 0);
  if (!st.finished)
    dispatch(self, s);
}

/// A worker that went down (killed, stopped, unreachable) loses its jobs to the
/// others; each counts as a failure of that job (it may be what killed the worker).
void on_down(coordinator_actor* self, sweep& s, const caf::down_msg& m) {
  auto& st = self->state;
  const caf::node_id node = m.source.node();
  const auto named = st.names.find(node);
  if (named == st.names.end())
    return;
  const std::string name = named->second;
  const std::string reason = self->system().render(m.reason);
  // Said on stderr with the progress: a lost worker slows the sweep, it does not fail it.
  std::vector<std::size_t> lost;
  for (const auto& [p, f] : st.in_flight)
    if (f.node == node)
      lost.push_back(p);
  std::fprintf(stderr, "worker %s is gone (%s); jobs requeued: %zu\n", name.c_str(),
               reason.c_str(), lost.size());
  std::fflush(stderr);
  st.names.erase(node);
  st.idle.erase(std::remove_if(st.idle.begin(), st.idle.end(),
                               [&](const caf::actor& a) { return a.node() == node; }),
                st.idle.end());
  for (const std::size_t p : lost) {
    job_failed(self, s, p, name, "went down during the job (" + reason + ")", 0);
    if (self->state.finished)
      return;  // that was the last job, or its row could not be written
  }
  if (st.names.empty() && s.accepting) {
    std::fprintf(stderr, "no worker left; waiting for workers to join\n");
    std::fflush(stderr);
  } else if (st.names.empty()) {
    return finish(self, s,
                  fmt::format("every worker is gone; {} of {} jobs not run (rerun to resume)",
                              s.jobs.size() - st.done, s.jobs.size()));
  }
  dispatch(self, s);
}

/// Takes a worker into the sweep: named, monitored, and told to start its slots.
void add_worker(coordinator_actor* self, sweep& s, const caf::actor& handle,
                const std::string& name) {
  auto& st = self->state;
  const caf::node_id node = handle.node();
  if (st.names.count(node) > 0)
    return;  // already in the sweep
  st.names[node] = name;
  if (st.tally.count(node) == 0) {
    st.tally[node] = s.jobs_per_worker.size();
    s.jobs_per_worker.emplace_back(name, 0);
  }
  self->monitor(handle);
  self->send(handle, sweep_atom::value);
}

caf::behavior coordinator(coordinator_actor* self, sweep* s,
                          std::vector<connected_worker> workers) {
  auto& st = self->state;
  st.ledger = std::make_unique<job_ledger>(s->jobs.size());
  for (std::size_t p = 0; p < s->jobs.size(); ++p)
    st.position[s->jobs[p].index] = p;
  for (const auto& w : workers)
    add_worker(self, *s, w.handle, w.name);
  self->set_down_handler([self, s](caf::down_msg& m) { on_down(self, *s, m); });
  return {
    [self, s](job_atom) {
      const auto slot = caf::actor_cast<caf::actor>(self->current_sender());
      if (!slot || self->state.names.count(slot.node()) == 0)
        return;  // not a slot of a worker in this sweep
      self->state.idle.push_back(slot);
      dispatch(self, *s);
    },
    [self, s](const job_result_msg& msg) { on_result(self, *s, msg); },
    [self, s](timeout_atom, std::uint64_t p, std::uint64_t attempt) {
      on_timeout(self, *s, p, attempt);
    },
    [self, s](const join_msg& msg) {
      const auto handle = caf::actor_cast<caf::actor>(self->current_sender());
      if (!s->accepting || !handle || self->state.names.count(handle.node()) > 0)
        return;
      std::fprintf(stderr, "worker %s joined\n", msg.name.c_str());
      std::fflush(stderr);
      add_worker(self, *s, handle, msg.name);
    },
  };
}

}  // namespace

std::size_t run_remote_jobs(const std::vector<endpoint>& workers,
                            const std::vector<remote_job>& jobs, std::uint64_t data_checksum,
                            const std::function<void(const remote_outcome&)>& on_result,
                            const remote_settings& settings) {
  const tls_options& tls = settings.tls;
  const std::optional<endpoint>& accept = settings.accept;
  check_tls(tls);
  caf::actor_system_config cfg;
  configure_cluster(cfg, tls, {std::chrono::seconds(1), settings.worker_timeout});
  caf::actor_system sys{cfg};
  std::vector<connected_worker> connected;
  for (const auto& w : workers) {
    auto handle = connect_to(sys, w, tls);
    if (!handle)
      throw std::runtime_error("worker " + w.text()
                               + ": cannot connect: " + sys.render(handle.error()));
    connected.push_back({*handle, w.text()});
  }
  sweep s{jobs, data_checksum, on_result, settings, accept.has_value(), "", {}};
  const caf::actor c = sys.spawn(coordinator, &s, std::move(connected));
  std::unique_ptr<basp_guard> guard;  // outlives the sweep: joiners come through it
  if (accept) {
    const auto port = publish_at(c, *accept, tls, default_max_message, guard);
    if (!port) {
      caf::anon_send_exit(c, caf::exit_reason::user_shutdown);
      caf::scoped_actor { sys } -> wait_for(c);
      throw std::runtime_error("--accept " + accept->text() + ": " + sys.render(port.error()));
    }
    // Flushed: whoever starts joining workers waits for this line.
    std::fprintf(stderr, "accepting workers on %s:%u\n", accept->host.c_str(),
                 static_cast<unsigned>(*port));
    std::fflush(stderr);
  }
  caf::scoped_actor { sys } -> wait_for(c);
  if (!s.failure.empty())
    throw std::runtime_error(s.failure);
  return s.jobs_per_worker.size();
}

}  // namespace admf
