#include "apps/jobs/job_pool.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>

#include <fmt/format.h>

#include "apps/jobs/fd_io.hpp"
#include "runtime/plugin/crash_handler.hpp"
#include "runtime/plugin/plugin_call.hpp"

namespace admf {

namespace {

// Parent to child, per job: the key (uint64), the payload's size (uint32) and the
// payload, native-endian. Child to parent, per job, one of: 'R', the size (uint32)
// and the serialized JobResult, then the next job; 'C' and a crash's description,
// then death by the signal (crash_handler); 'M' when memory was refused, then exit
// memory_refused_exit. Sizes let the parent take a result as soon as it is whole.
constexpr char result_tag = 'R', crash_tag = 'C', memory_tag = 'M';
constexpr int memory_refused_exit = 86;

int result_fd = -1;  ///< in a child: the write end of its result pipe

/// Takes a whole result from the front of `received`; false while there is none.
bool take_result(std::string& received, proto::JobResult& result) {
  std::uint32_t size = 0;
  if (received.size() < 1 + sizeof size || received[0] != result_tag)
    return false;
  std::memcpy(&size, received.data() + 1, sizeof size);
  const std::size_t end = 1 + sizeof size + size;
  if (received.size() < end)
    return false;
  if (!result.ParseFromArray(received.data() + 1 + sizeof size, static_cast<int>(size)))
    result.set_error("malformed job result");
  received.erase(0, end);
  return true;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

/// Threads of this process, from /proc/self/task.
std::size_t listed_threads() {
  DIR* dir = opendir("/proc/self/task");
  if (!dir)
    return 1;  // no /proc: nothing to check with
  std::size_t n = 0;
  while (const dirent* e = readdir(dir))
    n += e->d_name[0] != '.';
  closedir(dir);
  return n;
}

/// Threads of this process, waiting up to 100 ms for more than one to become one: a
/// thread joined a moment ago (an actor system's, destroyed just before) stays listed
/// until the kernel has finished its exit, which a loaded machine delays.
std::size_t thread_count() {
  std::size_t n = listed_threads();
  for (int waited_ms = 0; n > 1 && waited_ms < 100; ++waited_ms) {
    usleep(1000);
    n = listed_threads();
  }
  return n;
}

/// operator new found no memory under job_memory: the job is over.
void memory_refused() {
  write_all(result_fd, &memory_tag, 1);
  _exit(memory_refused_exit);
}

/// The process's data segment now (VmData: private writable memory), in bytes.
std::uint64_t data_size() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f)
    return 0;
  char line[256];
  unsigned long long kib = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "VmData: %llu kB", &kib) == 1)
      break;
  std::fclose(f);
  return kib * 1024;
}

/// RLIMIT_DATA, not RLIMIT_AS: it counts private writable memory only, so neither
/// mapped data files nor reserved but untouched address space (malloc arenas, guard
/// pages) count. What the process holds before the job (the parent's heap, shared
/// copy-on-write; earlier jobs' freed memory, which malloc reuses) is added, so the
/// limit is what the job itself may take. Only the soft limit: the next job raises it.
void limit_memory(std::uint64_t bytes) {
  rlimit data{};
  getrlimit(RLIMIT_DATA, &data);
  data.rlim_cur = std::min<rlim_t>(data_size() + bytes, data.rlim_max);
  setrlimit(RLIMIT_DATA, &data);
}

/// In a child: jobs from `requests` until it closes, results to `results`.
[[noreturn]] void serve_jobs(int requests, int results, pid_t parent, const job_limits& limits,
                             const job_pool::work_fn& work) {
  result_fd = results;
  // A job outlives no parent: killed with it, since nobody would read its result.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)
    _exit(1);
  // Ctrl-C reaches the whole process group: it is the parent's to act on (it ends the
  // jobs it started), not a crash of every running job.
  signal(SIGINT, SIG_IGN);
  const rlimit no_core{0, 0};  // a crashing job is reported, not dumped, however many
  setrlimit(RLIMIT_CORE, &no_core);
  if (limits.memory_bytes)
    std::set_new_handler(memory_refused);
  install_crash_handler();  // as main does; here for programs that are not admf's main
  report_crashes_to(results);
  for (;;) {
    std::uint64_t key = 0;
    std::uint32_t size = 0;
    std::string payload;
    if (!read_all(requests, reinterpret_cast<char*>(&key), sizeof key)
        || !read_all(requests, reinterpret_cast<char*>(&size), sizeof size))
      _exit(0);  // the parent has no more jobs for this child
    payload.resize(size);
    if (!read_all(requests, payload.data(), size))
      _exit(0);
    if (limits.memory_bytes)
      limit_memory(limits.memory_bytes);
    proto::JobResult result;
    try {
      result = work(key, payload);
    } catch (const std::exception& e) {
      result.set_error(e.what());
    }
    const std::string serialized = result.SerializeAsString();
    size = static_cast<std::uint32_t>(serialized.size());
    std::string bytes(1, result_tag);
    bytes.append(reinterpret_cast<const char*>(&size), sizeof size).append(serialized);
    if (!write_all(results, bytes.data(), bytes.size()))
      _exit(0);  // the parent is gone
  }
}

}  // namespace

job_pool::job_pool(job_limits limits, work_fn work) : limits_(limits), work_(std::move(work)) {}

job_pool::~job_pool() {
  for (auto& [fd, c] : children_) {
    if (c.busy)
      kill(c.pid, SIGKILL);
    retire(c);  // an idle child ends at the end of its requests
  }
  for (const auto& [fd, c] : children_) {
    while (waitpid(c.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    close(fd);
  }
}

void job_pool::retire(child& c) {
  if (c.request_fd >= 0)
    close(c.request_fd);
  c.request_fd = -1;
}

void job_pool::renew() {
  ++generation_;
  for (auto& [fd, c] : children_)
    if (!c.busy)
      retire(c);
}

int job_pool::fork_child() {
  // A child of a multi-threaded process inherits locks other threads held (malloc's,
  // CAF's) and may hang on them.
  if (const auto threads = thread_count(); threads > 1)
    throw std::logic_error(fmt::format("job_pool: forking with {} threads running", threads));
  int requests[2], results[2];  // requests[0] and results[1] are the child's ends
  // Requests on a socket: send's MSG_NOSIGNAL makes a child that died idle an error
  // here (reported by poll as its job's end), not a SIGPIPE that kills this process.
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, requests) != 0)
    throw std::runtime_error(std::string("cannot create a job's pipe: ") + std::strerror(errno));
  if (pipe2(results, O_CLOEXEC) != 0) {
    const int error = errno;
    close(requests[0]);
    close(requests[1]);
    throw std::runtime_error(std::string("cannot create a job's pipe: ") + std::strerror(error));
  }
  std::fflush(nullptr);  // nothing buffered twice
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int error = errno;
    for (int fd : {requests[0], requests[1], results[0], results[1]})
      close(fd);
    throw std::runtime_error(std::string("cannot start a job's process: ") + std::strerror(error));
  }
  if (pid == 0) {
    close(requests[1]);
    close(results[0]);
    // Other children's pipes: holding them would keep those children from seeing
    // the end of their requests.
    for (const auto& [fd, c] : children_) {
      close(fd);
      if (c.request_fd >= 0)
        close(c.request_fd);
    }
    serve_jobs(requests[0], results[1], parent, limits_, work_);
  }
  close(requests[0]);
  close(results[1]);
  child& c = children_[results[0]];
  c.pid = pid;
  c.request_fd = requests[1];
  c.generation = generation_;
  return results[0];
}

void job_pool::start(std::uint64_t key, const std::string& payload) {
  int fd = -1;
  for (const auto& [at, c] : children_)
    if (!c.busy && c.request_fd >= 0) {
      fd = at;
      break;
    }
  if (fd < 0)
    fd = fork_child();
  child& c = children_.at(fd);
  c.busy = true;
  c.key = key;
  c.deadline_ms =
    limits_.timeout_ms ? now_ms() + static_cast<std::int64_t>(limits_.timeout_ms) : 0;
  ++running_;
  std::string request(reinterpret_cast<const char*>(&key), sizeof key);
  const auto size = static_cast<std::uint32_t>(payload.size());
  request.append(reinterpret_cast<const char*>(&size), sizeof size).append(payload);
  // A child that died meanwhile does not read it: poll reports the job's end.
  send_all(c.request_fd, request.data(), request.size());
}

std::vector<finished_job> job_pool::poll(std::vector<pollfd>& extra, int timeout_ms) {
  std::vector<pollfd> fds = extra;
  const std::size_t first_child = fds.size();
  std::int64_t next_deadline = 0;
  for (const auto& [fd, c] : children_) {
    fds.push_back({fd, POLLIN, 0});
    if (c.busy && c.deadline_ms && !c.timed_out
        && (!next_deadline || c.deadline_ms < next_deadline))
      next_deadline = c.deadline_ms;
  }
  if (next_deadline) {
    const auto until = static_cast<int>(std::max<std::int64_t>(0, next_deadline - now_ms()));
    timeout_ms = timeout_ms < 0 ? until : std::min(timeout_ms, until);
  }
  std::vector<finished_job> finished;
  const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
  if (ready < 0 && errno != EINTR)
    throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
  for (std::size_t i = 0; i < first_child; ++i)
    extra[i].revents = ready > 0 ? fds[i].revents : 0;
  for (std::size_t i = first_child; ready > 0 && i < fds.size(); ++i) {
    if (!fds[i].revents)
      continue;
    child& c = children_.at(fds[i].fd);
    char buffer[65536];
    const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n > 0) {
      c.received.append(buffer, static_cast<std::size_t>(n));
      proto::JobResult result;
      if (c.busy && take_result(c.received, result)) {
        finished.push_back({c.key, std::move(result)});
        c.busy = false;
        --running_;
        if (c.generation != generation_)
          retire(c);
      }
      continue;
    }
    // End of the results: the child has ended (or is ending: it holds no other copy).
    int status = 0;
    while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (c.busy) {
      finished.push_back({c.key, outcome(c, status)});
      --running_;
    }
    retire(c);
    close(fds[i].fd);
    children_.erase(fds[i].fd);
  }
  const auto now = now_ms();
  for (auto& [fd, c] : children_)
    if (c.busy && c.deadline_ms && !c.timed_out && now >= c.deadline_ms) {
      kill(c.pid, SIGKILL);  // its pipe ends with it: the next poll reports the job
      c.timed_out = true;
    }
  return finished;
}

proto::JobResult job_pool::outcome(const child& c, int status) const {
  proto::JobResult result;
  char scratch[16];
  if (c.timed_out) {
    result.set_limit_exceeded("job_timeout");
    result.set_error(fmt::format("exceeded job_timeout {:g} s",
                                 static_cast<double>(limits_.timeout_ms) / 1000));
  } else if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    result.set_crash_signal(signal);
    result.set_error(!c.received.empty() && c.received[0] == crash_tag
                       ? c.received.substr(1)
                       : std::string("ended by ") + signal_name(signal, scratch));
  } else if (WEXITSTATUS(status) == memory_refused_exit && c.received == std::string(1, memory_tag)) {
    result.set_limit_exceeded("job_memory");
    result.set_error(fmt::format("exceeded job_memory {:g} MiB",
                                 static_cast<double>(limits_.memory_bytes) / 1048576));
  } else {
    result.set_error(fmt::format("the job's process ended with exit code {} and no result",
                                 WEXITSTATUS(status)));
  }
  return result;
}

}  // namespace admf
