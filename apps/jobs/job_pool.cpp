#include "apps/jobs/job_pool.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>

#include <fmt/format.h>

#include "runtime/plugin/crash_handler.hpp"
#include "runtime/plugin/plugin_call.hpp"

namespace admf {

namespace {

// What a child writes to its pipe, one of: 'R' and the serialized JobResult, then
// exit 0; 'C' and a crash's description, then death by the signal (crash_handler);
// 'M' when memory was refused, then exit memory_refused_exit.
constexpr char result_tag = 'R', crash_tag = 'C', memory_tag = 'M';
constexpr int memory_refused_exit = 86;

int result_fd = -1;  ///< in a child: the write end of its pipe

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

/// Threads of this process, from /proc/self/task.
std::size_t thread_count() {
  DIR* dir = opendir("/proc/self/task");
  if (!dir)
    return 1;  // no /proc: nothing to check with
  std::size_t n = 0;
  while (const dirent* e = readdir(dir))
    n += e->d_name[0] != '.';
  closedir(dir);
  return n;
}

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;  // the parent is gone: nobody to tell
    data += n;
    size -= static_cast<std::size_t>(n);
  }
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

/// In the child: limits, crash reports to the pipe, the job, its result; never returns.
[[noreturn]] void run_child(int fd, pid_t parent, const job_limits& limits,
                            const std::function<proto::JobResult()>& work) {
  result_fd = fd;
  // A job outlives no parent: killed with it, since nobody would read its result.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)
    _exit(1);
  // Ctrl-C reaches the whole process group: it is the parent's to act on (it ends the
  // jobs it started), not a crash of every running job.
  signal(SIGINT, SIG_IGN);
  const rlimit no_core{0, 0};  // a crashing job is reported, not dumped, however many
  setrlimit(RLIMIT_CORE, &no_core);
  if (limits.memory_bytes) {
    // RLIMIT_DATA, not RLIMIT_AS: it counts private writable memory only, so neither
    // mapped data files nor the address space reserved for thread stacks' guard pages
    // and malloc arenas count; what the job starts with (the parent's heap, shared
    // copy-on-write) is added so the limit is what the job itself may take.
    const rlim_t cap = data_size() + limits.memory_bytes;
    const rlimit data{cap, cap};
    setrlimit(RLIMIT_DATA, &data);
    std::set_new_handler(memory_refused);
  }
  install_crash_handler();  // as main does; here for programs that are not admf's main
  report_crashes_to(fd);
  proto::JobResult result;
  try {
    result = work();
  } catch (const std::exception& e) {
    result.set_error(e.what());
  }
  std::string bytes(1, result_tag);
  if (!result.AppendToString(&bytes))
    bytes.resize(1);
  write_all(fd, bytes.data(), bytes.size());
  _exit(0);  // not exit(): the parent's stdio buffers and atexit handlers are the parent's
}

}  // namespace

job_pool::job_pool(job_limits limits) : limits_(limits) {}

job_pool::~job_pool() {
  for (const auto& [fd, c] : children_) {
    kill(c.pid, SIGKILL);
    waitpid(c.pid, nullptr, 0);
    close(fd);
  }
}

void job_pool::start(std::uint64_t key, const std::function<proto::JobResult()>& work) {
  // A child of a multi-threaded process inherits locks other threads held (malloc's,
  // CAF's) and may hang on them.
  if (const auto threads = thread_count(); threads > 1)
    throw std::logic_error(fmt::format("job_pool: forking with {} threads running", threads));
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("cannot create a job's pipe: ") + std::strerror(errno));
  std::fflush(nullptr);  // nothing buffered twice
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int error = errno;
    close(fds[0]);
    close(fds[1]);
    throw std::runtime_error(std::string("cannot start a job's process: ") + std::strerror(error));
  }
  if (pid == 0) {
    close(fds[0]);
    for (const auto& [fd, c] : children_)
      close(fd);
    run_child(fds[1], parent, limits_, work);
  }
  close(fds[1]);
  children_[fds[0]] = {key, pid, {}, limits_.timeout_ms ? now_ms() + static_cast<std::int64_t>(
                                                                       limits_.timeout_ms)
                                                        : 0};
}

std::vector<finished_job> job_pool::poll(std::vector<pollfd>& extra, int timeout_ms) {
  std::vector<pollfd> fds = extra;
  const std::size_t first_child = fds.size();
  std::int64_t next_deadline = 0;
  for (const auto& [fd, c] : children_) {
    fds.push_back({fd, POLLIN, 0});
    if (c.deadline_ms && !c.timed_out && (!next_deadline || c.deadline_ms < next_deadline))
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
      continue;
    }
    // End of the pipe: the child has ended (or is ending: it holds no other copy).
    int status = 0;
    while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
    }
    finished.push_back({c.key, outcome(c, status)});
    close(fds[i].fd);
    children_.erase(fds[i].fd);
  }
  const auto now = now_ms();
  for (auto& [fd, c] : children_)
    if (c.deadline_ms && !c.timed_out && now >= c.deadline_ms) {
      kill(c.pid, SIGKILL);  // its pipe ends with it: the next poll reaps it
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
  } else if (WEXITSTATUS(status) != 0 || c.received.empty() || c.received[0] != result_tag
             || !result.ParseFromString(c.received.substr(1))) {
    result.Clear();
    result.set_error(fmt::format("the job's process ended with exit code {} and no result",
                                 WEXITSTATUS(status)));
  }
  return result;
}

}  // namespace admf
