#include "apps/cluster/job_server.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "apps/cluster/worker.hpp"
#include "apps/jobs/fd_io.hpp"
#include "apps/jobs/job_pool.hpp"

namespace admf {

namespace {

// Between worker and server, both ways: a frame is a native-endian uint32 size and
// that many bytes (a serialized JobSpec one way, a JobResult the other).
constexpr std::uint32_t max_frame = 256u << 20;

bool write_frame(int fd, const std::string& bytes) {
  const auto size = static_cast<std::uint32_t>(bytes.size());
  return send_all(fd, reinterpret_cast<const char*>(&size), sizeof size)
         && send_all(fd, bytes.data(), bytes.size());
}

bool read_frame(int fd, std::string& bytes) {
  std::uint32_t size = 0;
  if (!read_all(fd, reinterpret_cast<char*>(&size), sizeof size) || size > max_frame)
    return false;
  bytes.resize(size);
  return read_all(fd, bytes.data(), size);
}

/// The server's loop: a job read from a free channel is prepared here (its data
/// loaded once, before the children that run it are forked) and run in a child; its
/// result goes back on the same channel. Ends when the worker closes the channels (or
/// dies: PR_SET_PDEATHSIG).
[[noreturn]] void serve(const std::vector<int>& channels,
                        const std::vector<std::string>& plugin_path) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  // In the child the spec is prepared again: the config is read anew, the data is
  // found in the cache it shares with this process.
  job_pool pool{job_limits{}, [&](std::uint64_t, const std::string& spec) {
                  return run_job_spec(job_spec_msg{spec}, plugin_path);
                }};
  std::vector<pollfd> polled;
  for (int fd : channels)
    polled.push_back({fd, POLLIN, 0});
  std::vector<proto::JobResult> running(channels.size());  ///< each channel's job's header
  std::vector<bool> busy(channels.size());
  std::size_t data_sets = data_sets_loaded();
  for (;;) {
    for (std::size_t i = 0; i < channels.size(); ++i)
      polled[i].events = busy[i] ? 0 : POLLIN;
    for (auto& [key, result] : pool.poll(polled, -1)) {
      if (result.crash_signal() || !result.limit_exceeded().empty()) {  // no header from the job
        result.set_protocol_version(running[key].protocol_version());
        result.set_job_index(running[key].job_index());
      }
      busy[key] = false;
      write_frame(channels[key], result.SerializeAsString());
    }
    for (std::size_t i = 0; i < channels.size(); ++i) {
      if (busy[i] || !polled[i].revents)
        continue;
      job_spec_msg msg;
      if (!read_frame(channels[i], msg.bytes))
        _exit(0);  // the worker is gone; the jobs die with this process (PR_SET_PDEATHSIG)
      const prepared_job job = prepare_job(msg, plugin_path);
      running[i] = job.result;
      if (!job.result.error().empty()) {
        write_frame(channels[i], job.result.SerializeAsString());
        continue;
      }
      if (const auto now = data_sets_loaded(); now != data_sets) {
        data_sets = now;
        pool.renew();  // children forked before these data would load them again
      }
      busy[i] = true;
      pool.start(i, msg.bytes);
    }
  }
}

}  // namespace

job_server::job_server(std::size_t channels, const std::vector<std::string>& plugin_path) {
  std::vector<int> theirs;
  auto close_all = [&] {
    for (int fd : all_)
      close(fd);
    for (int fd : theirs)
      close(fd);
  };
  for (std::size_t i = 0; i < channels; ++i) {
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
      const int error = errno;
      close_all();
      throw std::runtime_error(std::string("cannot start the job server: ") + std::strerror(error));
    }
    all_.push_back(pair[0]);
    theirs.push_back(pair[1]);
  }
  pid_ = fork();
  if (pid_ < 0) {
    const int error = errno;
    close_all();
    throw std::runtime_error(std::string("cannot start the job server: ") + std::strerror(error));
  }
  if (pid_ == 0) {
    for (int fd : all_)
      close(fd);
    serve(theirs, plugin_path);
  }
  for (int fd : theirs)
    close(fd);
  free_ = all_;
}

job_server::~job_server() {
  for (int fd : all_)
    close(fd);  // the server reads the end of its channels and exits
  while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

proto::JobResult job_server::run(const job_spec_msg& msg) {
  int channel;
  {
    std::unique_lock<std::mutex> lock{mutex_};
    freed_.wait(lock, [this] { return !free_.empty(); });
    channel = free_.back();
    free_.pop_back();
  }
  proto::JobResult result;
  std::string bytes;
  if (!write_frame(channel, msg.bytes) || !read_frame(channel, bytes)
      || !result.ParseFromString(bytes)) {
    // The server is gone (it crashed preparing a job): this worker runs nothing more.
    result.Clear();
    result.set_protocol_version(cluster_protocol_version());
    result.set_error("the worker's job server has ended");
  }
  std::lock_guard<std::mutex> lock{mutex_};
  free_.push_back(channel);
  freed_.notify_one();
  return result;
}

}  // namespace admf
