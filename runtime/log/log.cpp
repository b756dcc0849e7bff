#include "runtime/log/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace admf {

void configure_logging(bool verbose) {
  // Logs go to stderr so stdout stays the summary a user or script reads.
  static auto logger = [] {
    auto l = spdlog::stderr_color_mt("admf");
    spdlog::set_default_logger(l);
    return l;
  }();
  logger->set_pattern("%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
}

} // namespace admf
