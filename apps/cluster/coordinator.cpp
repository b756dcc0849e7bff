#include "apps/cluster/coordinator.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <stdexcept>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "apps/cluster/transport.hpp"

namespace admf {

namespace {

struct sweep {
  const std::vector<remote_job>& jobs;
  std::uint64_t checksum;
  const std::function<void(const remote_outcome&)>& on_result;
  bool accepting = false;  ///< workers may join: losing every worker is no failure
  std::string failure;     ///< set when the sweep stopped before its end
  std::vector<std::pair<std::string, std::size_t>> jobs_per_worker;  ///< in order of arrival
};

struct connected_worker {
  caf::actor handle;
  std::string name;  ///< host:port as given
};

struct coordinator_state {
  std::deque<std::size_t> queue;                  ///< positions in sweep::jobs not yet sent
  std::map<std::size_t, caf::node_id> in_flight;  ///< position -> the worker running it
  std::map<std::uint64_t, std::size_t> position;  ///< job index -> position
  std::vector<caf::actor> idle;                   ///< slots waiting for a job
  std::map<caf::node_id, std::string> names;      ///< workers still up
  std::map<caf::node_id, std::size_t> tally;      ///< worker -> its entry in jobs_per_worker
  std::size_t done = 0;
};

using coordinator_actor = caf::stateful_actor<coordinator_state>;

/// Stops the sweep: idle slots are told, busy ones see the coordinator go down.
void finish(coordinator_actor* self, sweep& s, std::string failure) {
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

void dispatch(coordinator_actor* self, const sweep& s) {
  auto& st = self->state;
  while (!st.queue.empty() && !st.idle.empty()) {
    const caf::actor slot = st.idle.back();
    st.idle.pop_back();
    const std::size_t p = st.queue.front();
    st.queue.pop_front();
    st.in_flight[p] = slot.node();
    proto::JobSpec spec;
    spec.set_protocol_version(cluster_protocol_version);
    spec.set_job_index(s.jobs[p].index);
    spec.set_config_yaml(s.jobs[p].config_yaml);
    spec.set_data_checksum(s.checksum);
    self->send(slot, encode(spec));
  }
}

std::string worker_name(coordinator_actor* self, const caf::node_id& node) {
  const auto it = self->state.names.find(node);
  return it == self->state.names.end() ? "a worker" : "worker " + it->second;
}

void on_result(coordinator_actor* self, sweep& s, const job_result_msg& msg) {
  auto& st = self->state;
  const std::string from = worker_name(self, self->current_sender()->node());
  proto::JobResult r;
  if (!decode(msg, r))
    return finish(self, s, from + ": malformed job result");
  if (!r.error().empty())
    return finish(self, s, fmt::format("{}: job {}: {}", from, r.job_index() + 1, r.error()));
  const auto p = st.position.find(r.job_index());
  // Only a job in flight counts: a result can never arrive twice, but a stray one
  // must not end the sweep early.
  if (p == st.position.end() || st.in_flight.erase(p->second) == 0)
    return;
  if (const auto t = st.tally.find(self->current_sender()->node()); t != st.tally.end())
    ++s.jobs_per_worker[t->second].second;
  try {
    s.on_result({r.job_index(), r.stopped(), r.metrics_json()});
  } catch (const std::exception& e) {
    return finish(self, s, e.what());
  }
  if (++st.done == s.jobs.size())
    finish(self, s, "");
}

/// A worker that went down (killed, unreachable) loses its jobs to the others.
void on_down(coordinator_actor* self, sweep& s, const caf::down_msg& m) {
  auto& st = self->state;
  const caf::node_id node = m.source.node();
  const std::string name = worker_name(self, node);
  st.names.erase(node);
  std::size_t requeued = 0;
  for (auto it = st.in_flight.begin(); it != st.in_flight.end();)
    if (it->second == node) {
      st.queue.push_front(it->first);
      it = st.in_flight.erase(it);
      ++requeued;
    } else {
      ++it;
    }
  // Said on stderr with the progress: a lost worker slows the sweep, it does not fail it.
  std::fprintf(stderr, "%s is gone (%s); jobs requeued: %zu\n", name.c_str(),
               self->system().render(m.reason).c_str(), requeued);
  st.idle.erase(std::remove_if(st.idle.begin(), st.idle.end(),
                               [&](const caf::actor& a) { return a.node() == node; }),
                st.idle.end());
  if (st.names.empty() && s.accepting) {
    std::fprintf(stderr, "no worker left; waiting for workers to join\n");
    std::fflush(stderr);
  } else if (st.names.empty()) {
    return finish(self, s,
                  fmt::format("every worker is gone; {} of {} jobs not run",
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
  for (std::size_t p = 0; p < s->jobs.size(); ++p) {
    st.queue.push_back(p);
    st.position[s->jobs[p].index] = p;
  }
  for (const auto& w : workers)
    add_worker(self, *s, w.handle, w.name);
  self->set_down_handler([self, s](caf::down_msg& m) { on_down(self, *s, m); });
  return {
    [self, s](job_atom) {
      self->state.idle.push_back(caf::actor_cast<caf::actor>(self->current_sender()));
      dispatch(self, *s);
    },
    [self, s](const job_result_msg& msg) { on_result(self, *s, msg); },
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
                            const tls_options& tls, const std::optional<endpoint>& accept) {
  check_tls(tls);
  caf::actor_system_config cfg;
  configure_cluster(cfg, tls);
  caf::actor_system sys{cfg};
  std::vector<connected_worker> connected;
  for (const auto& w : workers) {
    auto handle = connect_to(sys, w, tls);
    if (!handle)
      throw std::runtime_error("worker " + w.text()
                               + ": cannot connect: " + sys.render(handle.error()));
    connected.push_back({*handle, w.text()});
  }
  sweep s{jobs, data_checksum, on_result, accept.has_value(), "", {}};
  const caf::actor c = sys.spawn(coordinator, &s, std::move(connected));
  if (accept) {
    const auto port = publish_at(c, *accept, tls);
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
