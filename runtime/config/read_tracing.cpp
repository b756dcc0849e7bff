// The `trace_settings:` section: YAML into tracing's settings (runtime/tracing/
// trace_settings.hpp), which know nothing of YAML.
#include <string>

#include "runtime/config/section_readers.hpp"
#include "runtime/events/event.hpp"

namespace admf::sections {

using namespace yaml;

namespace {

/// `ALL` or a list of event type names, as a bit mask (1 << event_type).
std::uint32_t read_event_mask(const field& f) {
  if (f.node.IsScalar() && f.node.Scalar() == "ALL")
    return ~0u;
  std::uint32_t mask = 0;
  for (const field& item : list_items(f)) {
    const auto type = event_type_from(to_string(item));
    if (!type) {
      std::string names;
      for (std::size_t i = 0; i < event_type_count; ++i)
        names +=
          (names.empty() ? "" : ", ") + std::string(admf::to_string(static_cast<event_type>(i)));
      item.fail("unknown event type " + quote(item.node.Scalar()) + " (expected ALL or: " + names
                + ")");
    }
    mask |= 1u << static_cast<unsigned>(*type);
  }
  return mask;
}

/// A trace rule: keys left out keep the values of `rule`.
trace_rule read_trace_rule(const field& f, trace_rule rule) {
  const map_reader map(f, {"enabled", "events_to_trace", "retention_policy", "max_events",
                           "storage_backend", "compress"});
  if (auto enabled = map.find("enabled"))
    rule.enabled = to_bool(*enabled);
  if (auto events = map.find("events_to_trace"))
    rule.events = read_event_mask(*events);
  if (auto retention = map.find("retention_policy"))
    rule.retention =
      to_choice<retention_policy>(*retention, {{"trade_complete", retention_policy::trade_complete},
                                               {"sliding_window", retention_policy::sliding_window},
                                               {"minimal", retention_policy::minimal},
                                               {"full", retention_policy::full}});
  read_count(map, "max_events", 1, rule.max_events);
  if (auto storage = map.find("storage_backend"))
    rule.storage = to_choice<storage_backend>(
      *storage, {{"memory", storage_backend::memory}, {"disk", storage_backend::disk}});
  if (auto compress = map.find("compress"))
    rule.compress = to_bool(*compress);
  return rule;
}

}  // namespace

trace_settings read_trace_settings(const field& f) {
  const map_reader map(f, {"level", "default", "container_settings", "console"});
  trace_settings settings = trace_level("minimal", "");
  if (auto level = map.find("level"))
    settings = trace_level(to_string(*level), locate(f.ctx->file, level->line, level->path));
  if (auto defaults = map.find("default"))
    settings.defaults = read_trace_rule(*defaults, settings.defaults);
  if (auto containers = map.find("container_settings")) {
    const map_reader patterns(*containers, {});
    for (const auto& [pattern, rule] : patterns.entries())
      settings.containers.push_back({pattern, locate(f.ctx->file, rule.line, rule.path),
                                     read_trace_rule(rule, settings.defaults)});
    settings.enabled = true;
  }
  if (auto console = map.find("console"))
    settings.console_events = read_event_mask(*console);
  settings.enabled = settings.enabled || settings.defaults.enabled || settings.console_events != 0;
  return settings;
}

}  // namespace admf::sections
