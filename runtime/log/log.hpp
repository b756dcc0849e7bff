// Logging through spdlog: every line names the run's correlation id and the container.
#pragma once
#include <string>

#include <spdlog/spdlog.h>

namespace admf {

/// Sets the global level (warnings and errors by default; debug with -v) and the line pattern.
void configure_logging(bool verbose);

/// A container's logger: prefixes "[run] [container]" to every message.
class container_log {
public:
  container_log() = default;
  container_log(const std::string& run_hex, const std::string& container)
    : prefix_("[" + run_hex + "] [" + container + "] ") {}

  template <class... Args>
  void debug(fmt::format_string<Args...> f, Args&&... args) const {
    if (spdlog::should_log(spdlog::level::debug))
      spdlog::debug("{}{}", prefix_, fmt::format(f, std::forward<Args>(args)...));
  }
  template <class... Args>
  void warn(fmt::format_string<Args...> f, Args&&... args) const {
    spdlog::warn("{}{}", prefix_, fmt::format(f, std::forward<Args>(args)...));
  }
  template <class... Args>
  void error(fmt::format_string<Args...> f, Args&&... args) const {
    spdlog::error("{}{}", prefix_, fmt::format(f, std::forward<Args>(args)...));
  }

private:
  std::string prefix_;
};

} // namespace admf
