#include "apps/cluster/job_ledger.hpp"

#include <algorithm>

namespace admf {

job_ledger::job_ledger(std::size_t jobs) {
  for (std::size_t i = 0; i < jobs; ++i)
    queue_.push_back(i);
}

std::optional<std::size_t> job_ledger::take(const std::string& worker,
                                            const std::set<std::string>& live) {
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    const auto f = failed_.find(*it);
    const bool fits =
      f == failed_.end() || f->second.workers.count(worker) == 0
      || std::all_of(live.begin(), live.end(),
                     [&](const std::string& w) { return f->second.workers.count(w) > 0; });
    if (fits) {
      const std::size_t job = *it;
      queue_.erase(it);
      return job;
    }
  }
  return std::nullopt;
}

void job_ledger::requeue(std::size_t job) { queue_.push_front(job); }

bool job_ledger::fail(std::size_t job, const std::string& worker, const std::string& what,
                      int signal) {
  attempts& a = failed_[job];
  a.workers.insert(worker);
  a.what.push_back(worker + ": " + what);
  if (signal != 0)
    a.signal = signal;
  if (a.what.size() >= max_failures)
    return true;
  queue_.push_front(job);
  return false;
}

std::string job_ledger::failure(std::size_t job) const {
  const auto f = failed_.find(job);
  if (f == failed_.end())
    return "";
  std::string out = "failed on " + std::to_string(f->second.what.size()) + " workers: ";
  for (std::size_t i = 0; i < f->second.what.size(); ++i)
    out += (i ? "; " : "") + f->second.what[i];
  return out;
}

int job_ledger::signal(std::size_t job) const {
  const auto f = failed_.find(job);
  return f == failed_.end() ? 0 : f->second.signal;
}

}  // namespace admf
