#include "runtime/tracing/trace_report.hpp"

#include <algorithm>
#include <cinttypes>
#include <string_view>

#include "runtime/tracing/event_text.hpp"
#include "runtime/tracing/strf.hpp"

namespace admf {

std::string format_duration(std::int64_t ns) {
  if (ns < 1000)
    return strf("%" PRId64 "ns", ns);
  if (ns < 1'000'000)
    return strf("%.1fus", ns / 1e3);
  if (ns < 1'000'000'000)
    return strf("%.2fms", ns / 1e6);
  return strf("%.2fs", ns / 1e9);
}

namespace {

std::string type_name(const trace_record& r) { return std::string(to_string(r.ev.header.type)); }

std::string payload_text(const trace_data& data, const trace_record& r) {
  return describe_payload(r.ev, data.symbols);
}

std::size_t widest_container(const trace_data& data) {
  std::size_t width = 8;
  for (const auto& r : data.records)
    width = std::max(width, data.container_name(r.ev.header.source).size());
  return width;
}

std::string count_line(const std::string& name, std::size_t width, std::size_t n) {
  return strf("  %-*s %10zu\n", static_cast<int>(width), name.c_str(), n);
}

}  // namespace

std::string format_counts(const trace_data& data, const trace_counts& counts) {
  auto out = strf("run %s: %zu events from %zu file(s) (%zu records, %zu duplicates)\n",
                  data.run_id.empty() ? "?" : data.run_id.c_str(), data.records.size(), data.files,
                  data.records_read, data.records_read - data.records.size());
  out += "by type:\n";
  for (std::size_t t = 0; t < event_type_count; ++t)
    if (counts.by_type[t] != 0)
      out += count_line(std::string(to_string(static_cast<event_type>(t))), 16, counts.by_type[t]);
  out += "by source container:\n";
  const auto width = widest_container(data);
  for (const auto& [source, count] : counts.by_source)
    if (count != 0)
      out += count_line(data.container_name(source), width, count);
  return out;
}

namespace {

struct chain_tally {
  std::size_t filled = 0, cancelled = 0, rejected = 0, no_order = 0, open = 0;
};

chain_tally tally(const std::vector<causal_chain>& chains) {
  chain_tally t;
  for (const auto& c : chains) {
    if (!c.decision)
      ++t.no_order;
    else if (c.decision->ev.header.type == event_type::risk_reject)
      ++t.rejected;
    else if (!c.outcome)
      ++t.open;
    else if (c.outcome->ev.header.type == event_type::fill)
      ++t.filled;
    else
      ++t.cancelled;
  }
  return t;
}

std::string record_text(const trace_data& data, const trace_record& r) {
  return strf("%s %s %s  %s", type_name(r).c_str(), format_event_id(r.ev.header.id).c_str(),
              data.container_name(r.ev.header.source).c_str(), payload_text(data, r).c_str());
}

/// How long the link from `cause` to `effect` took: creation to creation, and the
/// cause's own trip (emitted -> received) when both were recorded.
std::string link_latency(const trace_record& cause, const trace_record& effect) {
  std::string out;
  if (cause.times.created != 0 && effect.times.created != 0)
    if (const auto ns = elapsed(cause.times.created, effect.times.created))
      out += "created +" + format_duration(*ns);
  if (const auto transit = hop_latency(cause.times, hop_kind::emitted_to_received))
    out += (out.empty() ? "" : ", ") + std::string("transit ") + format_duration(*transit);
  return out.empty() ? "" : "  (" + out + ")";
}

std::string format_chain(const trace_data& data, const causal_chain& c) {
  auto out =
    format_timestamp(c.origin->ev.header.time) + "  " + record_text(data, *c.origin) + "\n";
  if (!c.decision)
    return out + "    -> no order\n";
  out += "    -> " + record_text(data, *c.decision) + link_latency(*c.origin, *c.decision) + "\n";
  if (c.decision->ev.header.type != event_type::order)  // a reject, or a strategy's cancel
    return out;
  if (!c.outcome)
    return out + "    -> no fill or cancel\n";
  out += "    -> " + record_text(data, *c.outcome) + link_latency(*c.decision, *c.outcome) + "\n";
  if (c.cut)
    out += "    -> " + record_text(data, *c.cut) + link_latency(*c.outcome, *c.cut) + "\n";
  return out;
}

}  // namespace

std::string format_chains(const trace_data& data, const std::vector<causal_chain>& chains,
                          std::size_t limit) {
  if (chains.empty())
    return "causal chains: none (no SIGNAL events)\n";
  const auto t = tally(chains);
  auto out = strf("causal chains: %zu; complete %zu (%zu filled, %zu cancelled, %zu rejected); "
                  "incomplete %zu (%zu without order, %zu without fill or cancel)\n",
                  chains.size(), t.filled + t.cancelled + t.rejected, t.filled, t.cancelled,
                  t.rejected, t.no_order + t.open, t.no_order, t.open);
  const auto shown = std::min(limit, chains.size());
  for (std::size_t i = 0; i < shown; ++i)
    out += format_chain(data, chains[i]);
  if (shown < chains.size())
    out += strf("(%zu of %zu chains shown; --chains N for more)\n", shown, chains.size());
  return out;
}

namespace {

std::string stats_line(std::string_view hop, std::string_view type, const latency_stats& s) {
  return strf("  %-20s %-16s %8zu %9s %9s %9s %9s\n", std::string(hop).c_str(),
              std::string(type).c_str(), s.count, format_duration(s.p50).c_str(),
              format_duration(s.p90).c_str(), format_duration(s.p99).c_str(),
              format_duration(s.max).c_str());
}

std::string histogram(const latency_stats& s) {
  constexpr std::size_t bar_width = 40;
  const auto peak = *std::max_element(s.buckets.begin(), s.buckets.end());
  const auto first = static_cast<std::size_t>(
    std::find_if(s.buckets.begin(), s.buckets.end(), [](std::size_t n) { return n != 0; })
    - s.buckets.begin());
  std::string out;
  for (std::size_t k = first; k < s.buckets.size(); ++k) {
    const auto lo = k == 0 ? 0 : std::int64_t{1} << k;
    const auto n = s.buckets[k];
    // Any non-empty bucket gets at least one mark, so rare slow samples stay visible.
    const auto marks = n == 0 ? 0 : std::max<std::size_t>(1, n * bar_width / peak);
    out +=
      strf("  [%8s, %8s) %9zu %s\n", format_duration(lo).c_str(),
           format_duration(std::int64_t{1} << (k + 1)).c_str(), n, std::string(marks, '#').c_str());
  }
  return out;
}

}  // namespace

std::string format_latencies(const latency_report& report) {
  const bool any = std::any_of(report.all.begin(), report.all.end(),
                               [](const latency_stats& s) { return s.count != 0; });
  if (!any)
    return "latency: no wall-clock timestamps recorded\n";
  auto out = std::string("latency (wall clock; unrecorded timestamps skipped):\n")
             + strf("  %-20s %-16s %8s %9s %9s %9s %9s\n", "hop", "type", "count", "p50", "p90",
                    "p99", "max");
  for (std::size_t h = 0; h < hop_kind_count; ++h) {
    if (report.all[h].count == 0)
      continue;
    const auto hop = to_string(static_cast<hop_kind>(h));
    out += stats_line(hop, "all", report.all[h]);
    for (std::size_t t = 0; t < event_type_count; ++t)
      if (report.by_type[t][h].count != 0)
        out += stats_line("", to_string(static_cast<event_type>(t)), report.by_type[t][h]);
  }
  for (std::size_t h = 0; h < hop_kind_count; ++h) {
    if (report.all[h].count == 0)
      continue;
    out += "histogram " + std::string(to_string(static_cast<hop_kind>(h))) + " (log2 buckets):\n";
    out += histogram(report.all[h]);
  }
  return out;
}

std::string format_events(const trace_data& data) {
  const auto width = static_cast<int>(widest_container(data));
  // Daily runs print dates only; intraday ones need the room for "HH:MM:SS".
  int time_width = 0;
  for (const auto& r : data.records)
    time_width = std::max(time_width, static_cast<int>(format_timestamp(r.ev.header.time).size()));
  std::string out;
  for (const auto& r : data.records) {
    const auto& h = r.ev.header;
    const auto cause = h.causation != 0 ? format_event_id(h.causation) : "-";
    out += strf("%-*s  %-16s  %-*s  id %-16s  cause %-16s  %s\n", time_width,
                format_timestamp(h.time).c_str(), type_name(r).c_str(), width,
                data.container_name(h.source).c_str(), format_event_id(h.id).c_str(), cause.c_str(),
                payload_text(data, r).c_str());
  }
  return out;
}

std::string trace_report(const trace_data& data, std::size_t chain_limit) {
  return format_counts(data, count_events(data)) + "\n"
         + format_chains(data, link_chains(data), chain_limit) + "\n"
         + format_latencies(measure_latencies(data));
}

}  // namespace admf
