// Jobs in processes of their own (apps/jobs/job_pool.hpp): results come back by
// key, and a job that crashes, runs past job_timeout or takes more than job_memory
// ends as a result saying so while the others finish. Expected texts are written out
// by hand (2000-01-03 is 946857600 s after the epoch).
#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <functional>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "apps/jobs/job_pool.hpp"
#include "runtime/plugin/plugin_call.hpp"

using namespace admf;

namespace {

/// A real fault, kept from the sanitizers' checks so that under ASan+UBSan
/// (scripts/sanitize.sh) it faults instead of being reported as undefined behaviour.
__attribute__((noinline, no_sanitize("address", "undefined"))) void store_to_null() {
  volatile int* volatile nowhere = nullptr;  // read and written at run time: kept by -O2
  *nowhere = 1;
}


/// Runs every job of `work` (key -> work) `slots` at a time; results by key.
std::map<std::uint64_t, proto::JobResult> run_all(
  const job_limits& limits, const std::map<std::uint64_t, std::function<proto::JobResult()>>& work,
  std::size_t slots = 2) {
  job_pool pool{limits, [&work](std::uint64_t key, const std::string&) { return work.at(key)(); }};
  std::map<std::uint64_t, proto::JobResult> out;
  auto next = work.begin();
  std::vector<pollfd> none;
  while (out.size() < work.size()) {
    for (; next != work.end() && pool.running() < slots; ++next)
      pool.start(next->first);
    for (auto& f : pool.poll(none, 1000))
      out[f.key] = f.result;
  }
  return out;
}

proto::JobResult metrics(const std::string& text) {
  proto::JobResult r;
  r.set_metrics_json(text);
  return r;
}

const plugin_site site{"plugin 'p' (p.so)", "port/s"};
constexpr std::int64_t jan_3_2000 = 946857600LL * 1000000000LL;

}  // namespace

TEST_CASE("job pool: every job's result comes back under its key", "[job_pool]") {
  const auto out = run_all({}, {{7, [] { return metrics("seven"); }},
                                {3, [] { return metrics("three"); }},
                                {5, [] { return metrics("five"); }}});
  REQUIRE(out.size() == 3);
  CHECK(out.at(7).metrics_json() == "seven");
  CHECK(out.at(3).metrics_json() == "three");
  CHECK(out.at(5).metrics_json() == "five");
  for (const auto& [key, r] : out) {
    CHECK(r.crash_signal() == 0);
    CHECK(r.limit_exceeded().empty());
    CHECK(r.error().empty());
  }
}

TEST_CASE("job pool: a crash in plugin code names the plugin, container and bar",
          "[job_pool]") {
  const auto out = run_all({}, {{1, [] { return metrics("before"); }},
                                {2,
                                 []() -> proto::JobResult {
                                   const plugin_call guard{site, jan_3_2000 + 3723LL * 1000000000,
                                                           "AAPL", 2};
                                   store_to_null();
                                   return {};
                                 }},
                                {3, [] { return metrics("after"); }}});
  CHECK(out.at(1).metrics_json() == "before");
  CHECK(out.at(3).metrics_json() == "after");
  CHECK(out.at(2).crash_signal() == SIGSEGV);
  CHECK(out.at(2).metrics_json().empty());
  CHECK(out.at(2).error()
        == "plugin 'p' (p.so) crashed with SIGSEGV in container port/s at bar 2000-01-03 "
           "01:02:03 (AAPL +2 more)");
}

TEST_CASE("job pool: a crash outside plugin code says so", "[job_pool]") {
  const auto out = run_all({}, {{1, []() -> proto::JobResult { std::abort(); }},
                                {2,
                                 []() -> proto::JobResult {
                                   { const plugin_call done{site, jan_3_2000, "AAPL", 0}; }
                                   raise(SIGBUS);  // after the plugin returned
                                   return {};
                                 }}});
  CHECK(out.at(1).crash_signal() == SIGABRT);
  CHECK(out.at(1).error() == "crashed with SIGABRT (not in a plugin)");
  CHECK(out.at(2).crash_signal() == SIGBUS);
  CHECK(out.at(2).error() == "crashed with SIGBUS (not in a plugin)");
}

TEST_CASE("job pool: a job past job_timeout is killed, the others finish", "[job_pool]") {
  job_limits limits;
  limits.timeout_ms = 300;
  const auto out = run_all(limits, {{1,
                                     []() -> proto::JobResult {
                                       for (;;)
                                         pause();
                                     }},
                                    {2, [] { return metrics("quick"); }}});
  CHECK(out.at(1).limit_exceeded() == "job_timeout");
  CHECK(out.at(1).error() == "exceeded job_timeout 0.3 s");
  CHECK(out.at(1).crash_signal() == 0);
  CHECK(out.at(2).metrics_json() == "quick");
}

TEST_CASE("job pool: a job that takes more than job_memory is stopped", "[job_pool]") {
  job_limits limits;
  limits.memory_bytes = 64u << 20;
  const auto out = run_all(limits, {{1,
                                     []() -> proto::JobResult {
                                       std::vector<std::vector<char>> hoard;
                                       for (;;) {  // 16 MiB at a time, each touched
                                         hoard.emplace_back(16u << 20);
                                         std::memset(hoard.back().data(), 1, 16u << 20);
                                       }
                                     }},
                                    {2,
                                     [] {  // well under the limit: runs
                                       std::vector<char> some(8u << 20, 1);
                                       return metrics(std::to_string(some.size()));
                                     }}});
  CHECK(out.at(1).limit_exceeded() == "job_memory");
  CHECK(out.at(1).error() == "exceeded job_memory 64 MiB");
  CHECK(out.at(2).metrics_json() == "8388608");
}

TEST_CASE("job pool: a job's exception is its error", "[job_pool]") {
  const auto out =
    run_all({}, {{1, []() -> proto::JobResult { throw std::runtime_error("no luck"); }}});
  CHECK(out.at(1).error() == "no luck");
  CHECK(out.at(1).crash_signal() == 0);
}

TEST_CASE("job pool: a child runs job after job until one kills it", "[job_pool]") {
  // Each job answers with its payload and the pid of the process that ran it.
  job_pool pool{{}, [](std::uint64_t key, const std::string& payload) {
                  if (key == 3)
                    raise(SIGSEGV);
                  return metrics(payload + " " + std::to_string(getpid()));
                }};
  std::vector<pollfd> none;
  const auto run = [&](std::uint64_t key, const std::string& payload) {
    pool.start(key, payload);
    for (;;)
      for (auto& f : pool.poll(none, 1000)) {
        CHECK(f.key == key);
        return f.result;
      }
  };
  const auto pid_of = [](const proto::JobResult& r) {
    return r.metrics_json().substr(r.metrics_json().find(' ') + 1);
  };
  const auto first = run(1, "one");
  const auto second = run(2, "two");
  CHECK(first.metrics_json().rfind("one ", 0) == 0);
  CHECK(second.metrics_json().rfind("two ", 0) == 0);
  CHECK(pid_of(first) == pid_of(second));
  CHECK(run(3, "").crash_signal() == SIGSEGV);
  const auto after_crash = run(4, "four");
  CHECK(after_crash.metrics_json().rfind("four ", 0) == 0);
  CHECK(pid_of(after_crash) != pid_of(first));
  pool.renew();  // the idle child ends; the next job gets a new one
  CHECK(pid_of(run(5, "five")) != pid_of(after_crash));
}

TEST_CASE("job pool: forking with another thread running is refused", "[job_pool]") {
  job_pool pool{{}, [](std::uint64_t, const std::string&) { return proto::JobResult{}; }};
  // The other thread lives until the check is done, however slow the machine.
  std::promise<void> checked;
  std::thread other{[done = checked.get_future()] { done.wait(); }};
  CHECK_THROWS_WITH(pool.start(1), Catch::Contains("forking with 2 threads running"));
  checked.set_value();
  other.join();
}
