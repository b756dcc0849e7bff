#include "runtime/tracing/chrome_trace.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/tracing/event_text.hpp"

namespace admf {

namespace {

using json = nlohmann::json;

struct slice {
  const trace_record* record;
  double ts = 0, dur = 0;  // µs
};

std::int64_t first_wall_time(const hop_times& t) {
  for (auto v : {t.created, t.received, t.processed, t.emitted})
    if (v != 0)
      return v;
  return 0;
}

/// Where each event would sit by its own clock: its first recorded wall time, else
/// just after the event before it in logical order (1 µs per step when none is timed).
std::vector<slice> wanted_slices(const trace_data& data) {
  std::int64_t origin = std::numeric_limits<std::int64_t>::max();
  for (const auto& r : data.records)
    if (const auto t = first_wall_time(r.times))
      origin = std::min(origin, t);
  std::vector<slice> slices;
  double last = -1;
  for (const auto& r : data.records) {
    const auto wall = first_wall_time(r.times);
    const double ts = wall != 0 ? (wall - origin) / 1e3 : last + 1;
    const auto busy = r.times.processed != 0 && r.times.received != 0
                        ? (r.times.processed - r.times.received) / 1e3
                        : 0.0;
    slices.push_back({&r, ts, std::max(1.0, busy)});
    last = ts;
  }
  return slices;
}

/// Trace viewers need the slices of one thread to nest; events of one container may
/// overlap in wall time, so each slice is cut short at the next one's start, and one
/// that would start inside its predecessor is pushed right (by at most the 1 µs minimum).
void lay_out_tracks(std::vector<slice>& slices) {
  std::map<container_id, std::vector<slice*>> tracks;
  for (auto& s : slices)
    tracks[s.record->ev.header.source].push_back(&s);
  for (auto& [tid, track] : tracks) {
    std::stable_sort(track.begin(), track.end(), [](auto* a, auto* b) { return a->ts < b->ts; });
    double free_from = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < track.size(); ++i) {
      auto& s = *track[i];
      s.ts = std::max(s.ts, free_from);
      if (i + 1 < track.size())
        s.dur = std::max(1.0, std::min(s.dur, track[i + 1]->ts - s.ts));
      free_from = s.ts + s.dur;
    }
  }
}

json slice_event(const trace_data& data, const slice& s) {
  const auto& r = *s.record;
  const auto& h = r.ev.header;
  json args = {{"id", format_event_id(h.id)},
               {"causation", format_event_id(h.causation)},
               {"correlation", format_event_id(h.correlation)},
               {"time", format_timestamp(h.time)},
               {"summary", describe_payload(r.ev, data.symbols)},
               {"observed_at", data.container_name(r.observed_at)}};
  const std::pair<const char*, std::int64_t> times[] = {{"created_ns", r.times.created},
                                                        {"emitted_ns", r.times.emitted},
                                                        {"received_ns", r.times.received},
                                                        {"processed_ns", r.times.processed}};
  for (const auto& [key, value] : times)
    if (value != 0)
      args[key] = value;
  return {{"name", std::string(to_string(h.type))},
          {"cat", "event"},
          {"ph", "X"},
          {"pid", 1},
          {"tid", h.source},
          {"ts", s.ts},
          {"dur", s.dur},
          {"args", std::move(args)}};
}

json flow_event(const char* phase, std::uint64_t id, const slice& s) {
  // Mid-slice, so the arrow binds to this slice and not to a neighbour touching it.
  json e = {{"name", "causation"},
            {"cat", "causation"},
            {"ph", phase},
            {"id", id},
            {"pid", 1},
            {"tid", s.record->ev.header.source},
            {"ts", s.ts + s.dur / 2}};
  if (phase[0] == 'f')
    e["bp"] = "e";
  return e;
}

json metadata_events(const trace_data& data) {
  json out = json::array();
  out.push_back({{"name", "process_name"},
                 {"ph", "M"},
                 {"pid", 1},
                 {"args", {{"name", "admf run " + data.run_id}}}});
  std::map<container_id, std::string> threads;
  for (std::size_t c = 0; c < data.containers.size(); ++c)
    threads[static_cast<container_id>(c)] = data.container_name(static_cast<container_id>(c));
  for (const auto& r : data.records)
    threads.emplace(r.ev.header.source, data.container_name(r.ev.header.source));
  for (const auto& [tid, name] : threads)
    out.push_back(
      {{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", tid}, {"args", {{"name", name}}}});
  return out;
}

}  // namespace

std::string chrome_trace_json(const trace_data& data) {
  auto slices = wanted_slices(data);
  lay_out_tracks(slices);
  json events = metadata_events(data);
  std::unordered_map<std::uint64_t, const slice*> by_id;
  for (const auto& s : slices) {
    events.push_back(slice_event(data, s));
    by_id.emplace(s.record->ev.header.id, &s);
  }
  std::uint64_t flow_id = 0;
  for (const auto& s : slices) {
    const auto cause = by_id.find(s.record->ev.header.causation);
    if (cause == by_id.end())
      continue;
    ++flow_id;
    events.push_back(flow_event("s", flow_id, *cause->second));
    events.push_back(flow_event("f", flow_id, s));
  }
  const json doc = {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ns"}};
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace admf
