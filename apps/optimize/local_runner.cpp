#include "apps/optimize/local_runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "apps/optimize/progress.hpp"

namespace admf {

std::size_t local_threads(std::size_t wanted, std::size_t remaining) {
  const std::size_t n = wanted ? wanted : std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(1, std::min(n, remaining));
}

void run_local(std::size_t first, std::size_t total, std::size_t threads,
               const std::function<void(std::size_t)>& run) {
  std::atomic<std::size_t> next{first};
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t finished = first;
  std::exception_ptr failure;
  const auto work = [&] {
    for (std::size_t i; (i = next++) < total;) {
      try {
        run(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock{mutex};
        if (!failure)
          failure = std::current_exception();
        next = total;
        changed.notify_all();
        return;
      }
      std::lock_guard<std::mutex> lock{mutex};
      ++finished;
      changed.notify_all();
    }
  };
  progress_meter progress{total, first};
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t)
    pool.emplace_back(work);
  std::unique_lock<std::mutex> lock{mutex};
  while (finished < total && !failure) {
    changed.wait_for(lock, std::chrono::milliseconds(100));
    const std::size_t done = finished;
    lock.unlock();
    progress.update(done, false);
    lock.lock();
  }
  lock.unlock();
  for (auto& t : pool)
    t.join();
  progress.update(finished, true);
  if (failure)
    std::rethrow_exception(failure);
}

}  // namespace admf
