#include "runtime/tracing/trace_settings.hpp"

#include "runtime/core/error.hpp"
#include "runtime/events/event.hpp"

namespace admf {

trace_settings trace_level(const std::string& level, const std::string& where) {
  trace_settings s;
  auto& d = s.defaults;
  auto bit = [](event_type t) { return 1u << static_cast<unsigned>(t); };
  if (level == "none") {
    d.enabled = false;
  } else if (level == "minimal") {
    d.retention = retention_policy::trade_complete;
  } else if (level == "metrics") {
    d.events = bit(event_type::fill) | bit(event_type::position_open)
               | bit(event_type::position_close) | bit(event_type::portfolio_update)
               | bit(event_type::position_snapshot) | bit(event_type::liquidation);
  } else if (level == "normal") {
    d.retention = retention_policy::sliding_window;
  } else if (level == "debug") {
    d.retention = retention_policy::full;
    d.storage = storage_backend::disk;
  } else {
    throw input_error((where.empty() ? std::string("trace level") : where)
                      + ": unknown trace level " + quote(level)
                      + " (expected one of: none, minimal, metrics, normal, debug)");
  }
  s.enabled = d.enabled;
  return s;
}

}  // namespace admf
