#include "runtime/tracing/trace_analysis.hpp"

#include <algorithm>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <ostream>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "runtime/core/error.hpp"
#include "runtime/tracing/trace_file.hpp"

namespace admf {

namespace {

template <class... Args>
std::string strf(const char* fmt, Args... args) {
  const int n = std::snprintf(nullptr, 0, fmt, args...);
  std::string out(static_cast<std::size_t>(std::max(n, 0)), '\0');
  std::snprintf(out.data(), out.size() + 1, fmt, args...);
  return out;
}

std::size_t index_of(event_type t) { return static_cast<std::size_t>(t); }

int timestamps_filled(const hop_times& t) {
  return (t.created != 0) + (t.emitted != 0) + (t.received != 0) + (t.processed != 0);
}

auto logical_key(const trace_record& r) {
  return std::make_tuple(r.ev.header.time, r.ev.header.source, r.ev.header.sequence);
}

void merge_names(std::vector<std::string>& into, const std::vector<std::string>& from) {
  if (into.size() < from.size())
    into.resize(from.size());
  for (std::size_t i = 0; i < from.size(); ++i)
    if (into[i].empty())
      into[i] = from[i];
}

std::string table_name(const std::vector<std::string>& table, std::uint32_t id) {
  if (id < table.size() && !table[id].empty())
    return table[id];
  return "#" + std::to_string(id);
}

} // namespace

std::string trace_data::container_name(container_id id) const { return table_name(containers, id); }
std::string trace_data::symbol_name(symbol_id id) const { return table_name(symbols, id); }

// --- loading ----------------------------------------------------------------

void trace_merger::add_header(const trace_header& header) {
  ++data_.files;
  if (data_.run_id.empty())
    data_.run_id = header.run_id;
  merge_names(data_.containers, header.containers);
  merge_names(data_.symbols, header.symbols);
}

void trace_merger::add(trace_record record) {
  ++data_.records_read;
  const auto [it, fresh] = index_.try_emplace(record.ev.header.id, data_.records.size());
  if (fresh)
    data_.records.push_back(std::move(record));
  else if (timestamps_filled(record.times) > timestamps_filled(data_.records[it->second].times))
    data_.records[it->second] = std::move(record);
}

void trace_merger::warn(std::string message) { data_.warnings.push_back(std::move(message)); }

trace_data trace_merger::finish() {
  std::sort(data_.records.begin(), data_.records.end(),
            [](const trace_record& a, const trace_record& b) { return logical_key(a) < logical_key(b); });
  index_.clear();
  return std::exchange(data_, trace_data{});
}

trace_data load_traces(const std::vector<std::string>& paths) {
  trace_merger merger;
  std::string first_run;
  for (const auto& path : paths) {
    trace_reader reader(path);
    const auto& header = reader.header();
    // Files of different runs share ids for unrelated events: say so rather than guess.
    if (first_run.empty())
      first_run = header.run_id;
    else if (header.run_id != first_run)
      merger.warn(path + ": run " + header.run_id + ", not " + first_run + " like the first file");
    merger.add_header(header);
    while (auto record = reader.next())
      merger.add(std::move(*record));
    if (reader.damage())
      merger.warn(*reader.damage());
  }
  return merger.finish();
}

// --- counts -----------------------------------------------------------------

trace_counts count_events(const trace_data& data) {
  trace_counts counts;
  counts.by_source.resize(data.containers.size());
  for (const auto& r : data.records) {
    ++counts.by_type[index_of(r.ev.header.type)];
    const auto source = r.ev.header.source;
    if (source >= counts.by_source.size())
      counts.by_source.resize(source + 1);
    ++counts.by_source[source];
  }
  return counts;
}

// --- causal chains ----------------------------------------------------------

bool causal_chain::complete() const {
  if (!decision)
    return false;
  return decision->ev.header.type == event_type::risk_reject || outcome != nullptr;
}

namespace {

using effects_index = std::unordered_map<std::uint64_t, std::vector<const trace_record*>>;

/// The records of `a` or `b` type caused by `cause`, in logical order.
std::vector<const trace_record*> effects_of(const effects_index& index, std::uint64_t cause,
                                            event_type a, event_type b) {
  std::vector<const trace_record*> out;
  const auto it = index.find(cause);
  if (it == index.end())
    return out;
  for (const auto* r : it->second)
    if (r->ev.header.type == a || r->ev.header.type == b)
      out.push_back(r);
  return out;
}

} // namespace

std::vector<causal_chain> link_chains(const trace_data& data) {
  effects_index by_cause;
  for (const auto& r : data.records)
    if (r.ev.header.causation != 0)
      by_cause[r.ev.header.causation].push_back(&r);

  std::vector<causal_chain> chains;
  for (const auto& r : data.records) {
    if (r.ev.header.type != event_type::signal)
      continue;
    const auto decisions =
      effects_of(by_cause, r.ev.header.id, event_type::order, event_type::risk_reject);
    if (decisions.empty())
      chains.push_back({&r, nullptr, nullptr});
    for (const auto* d : decisions) {
      causal_chain chain{&r, d, nullptr};
      if (d->ev.header.type == event_type::order) {
        const auto outcomes =
          effects_of(by_cause, d->ev.header.id, event_type::fill, event_type::order_cancel);
        if (!outcomes.empty())
          chain.outcome = outcomes.front();
      }
      chains.push_back(chain);
    }
  }
  return chains;
}

// --- latency ----------------------------------------------------------------

std::string_view to_string(hop_kind hop) {
  switch (hop) {
    case hop_kind::emitted_to_received: return "emitted->received";
    case hop_kind::received_to_processed: return "received->processed";
    case hop_kind::created_to_processed: return "created->processed";
  }
  return "unknown";
}

std::optional<std::int64_t> hop_latency(const hop_times& t, hop_kind hop) {
  std::int64_t from = 0, to = 0;
  switch (hop) {
    case hop_kind::emitted_to_received: from = t.emitted; to = t.received; break;
    case hop_kind::received_to_processed: from = t.received; to = t.processed; break;
    case hop_kind::created_to_processed: from = t.created; to = t.processed; break;
  }
  if (from == 0 || to == 0)
    return std::nullopt;
  return std::max<std::int64_t>(0, to - from);
}

namespace {

std::size_t log2_bucket(std::int64_t ns) {
  std::size_t k = 0;
  for (; ns >= 2; ns >>= 1)
    ++k;
  return k;
}

/// Nearest rank: the smallest sample with at least p% of the samples at or below it.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, std::size_t p) {
  const std::size_t rank = (p * sorted.size() + 99) / 100;
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

} // namespace

latency_stats summarize_latencies(std::vector<std::int64_t> samples) {
  latency_stats s;
  if (samples.empty())
    return s;
  std::sort(samples.begin(), samples.end());
  s.count = samples.size();
  s.p50 = percentile(samples, 50);
  s.p90 = percentile(samples, 90);
  s.p99 = percentile(samples, 99);
  s.max = samples.back();
  s.buckets.resize(log2_bucket(s.max) + 1);
  for (auto v : samples)
    ++s.buckets[log2_bucket(v)];
  return s;
}

latency_report measure_latencies(const trace_data& data) {
  using samples = std::vector<std::int64_t>;
  std::array<samples, hop_kind_count> all;
  std::array<std::array<samples, hop_kind_count>, event_type_count> by_type;
  for (const auto& r : data.records) {
    for (std::size_t h = 0; h < hop_kind_count; ++h) {
      if (const auto ns = hop_latency(r.times, static_cast<hop_kind>(h))) {
        all[h].push_back(*ns);
        by_type[index_of(r.ev.header.type)][h].push_back(*ns);
      }
    }
  }
  latency_report report;
  for (std::size_t h = 0; h < hop_kind_count; ++h) {
    report.all[h] = summarize_latencies(std::move(all[h]));
    for (std::size_t t = 0; t < event_type_count; ++t)
      report.by_type[t][h] = summarize_latencies(std::move(by_type[t][h]));
  }
  return report;
}

// --- ids, durations, selection ----------------------------------------------

std::optional<std::uint64_t> parse_event_id(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  } else if (text.find_first_not_of("0123456789") != std::string_view::npos) {
    base = 16;
  }
  std::uint64_t value = 0;
  const auto end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
  if (text.empty() || ec != std::errc{} || ptr != end)
    return std::nullopt;
  return value;
}

std::string format_event_id(std::uint64_t id) { return strf("0x%" PRIx64, id); }

std::string format_duration(std::int64_t ns) {
  if (ns < 1000)
    return strf("%" PRId64 "ns", ns);
  if (ns < 1'000'000)
    return strf("%.1fus", ns / 1e3);
  if (ns < 1'000'000'000)
    return strf("%.2fms", ns / 1e6);
  return strf("%.2fs", ns / 1e9);
}

trace_data select_correlation(const trace_data& data, std::uint64_t correlation) {
  trace_data out;
  out.run_id = data.run_id;
  out.containers = data.containers;
  out.symbols = data.symbols;
  out.files = data.files;
  for (const auto& r : data.records)
    if (r.ev.header.correlation == correlation)
      out.records.push_back(r);
  out.records_read = out.records.size();
  return out;
}

// --- payload summaries --------------------------------------------------------

namespace {

const char* side_name(side s) { return s == side::buy ? "BUY" : "SELL"; }

const char* direction_name(direction d) {
  switch (d) {
    case direction::flat: return "FLAT";
    case direction::long_: return "LONG";
    case direction::short_: return "SHORT";
  }
  return "?";
}

/// " LIMIT 1450.00", " STOP 1400.00", or "" for market orders.
std::string price_terms(order_kind kind, double limit, double stop) {
  if (kind == order_kind::limit)
    return strf(" LIMIT %.2f", limit);
  if (kind == order_kind::stop)
    return strf(" STOP %.2f", stop);
  return "";
}

struct payload_summary {
  const trace_data& data;

  std::string sym(symbol_id s) const { return data.symbol_name(s); }

  std::string operator()(const bar_data& b) const {
    return strf("%s close %.2f", sym(b.symbol).c_str(), b.close);
  }
  std::string operator()(const signal_data& s) const {
    auto out = strf("%s %s", direction_name(s.target), sym(s.symbol).c_str());
    if (s.strength != 1.0)
      out += strf(" strength %g", s.strength);
    if (s.quantity != 0)
      out += strf(" qty %g", s.quantity);
    return out + price_terms(s.kind, s.limit_price, s.stop_price);
  }
  std::string operator()(const order_data& o) const {
    // Quantity 0: sized at the fill from the budget.
    const auto what = o.quantity != 0 ? strf("%g %s", o.quantity, sym(o.symbol).c_str())
                                      : strf("%s (budget %.2f)", sym(o.symbol).c_str(), o.budget);
    return strf("%s %s", side_name(o.action), what.c_str())
           + price_terms(o.kind, o.limit_price, o.stop_price);
  }
  std::string operator()(const fill_data& f) const {
    auto out = strf("%s %g %s @ %.2f", side_name(f.action), f.quantity, sym(f.symbol).c_str(), f.price);
    if (f.commission != 0)
      out += strf(" fee %.2f", f.commission);
    return out;
  }
  std::string operator()(const order_cancel_data& c) const {
    return sym(c.symbol) + " " + std::string(to_string(c.reason));
  }
  std::string operator()(const position_data& p) const {
    auto out = strf("%s %g @ %.2f", sym(p.symbol).c_str(), p.quantity, p.entry_price);
    if (p.exit_price != 0)
      out += strf(" -> %.2f pnl %.2f", p.exit_price, p.pnl);
    return out;
  }
  std::string operator()(const portfolio_update_data& u) const {
    return strf("equity %.2f cash %.2f", u.equity, u.cash);
  }
  std::string operator()(const risk_reject_data& r) const {
    return strf("%s %s (limit %g, observed %g)", sym(r.symbol).c_str(),
                std::string(to_string(r.reason)).c_str(), r.limit, r.observed);
  }
};

} // namespace

std::string summarize_payload(const trace_data& data, const event& ev) {
  return std::visit(payload_summary{data}, ev.payload);
}

// --- text reports -------------------------------------------------------------

namespace {

std::string type_name(const trace_record& r) { return std::string(to_string(r.ev.header.type)); }

std::size_t widest_container(const trace_data& data) {
  std::size_t width = 8;
  for (const auto& r : data.records)
    width = std::max(width, data.container_name(r.ev.header.source).size());
  return width;
}

std::string count_line(const std::string& name, std::size_t width, std::size_t n) {
  return strf("  %-*s %10zu\n", static_cast<int>(width), name.c_str(), n);
}

} // namespace

std::string format_counts(const trace_data& data, const trace_counts& counts) {
  auto out = strf("run %s: %zu events from %zu file(s) (%zu records, %zu duplicates)\n",
                  data.run_id.empty() ? "?" : data.run_id.c_str(), data.records.size(),
                  data.files, data.records_read, data.records_read - data.records.size());
  out += "by type:\n";
  for (std::size_t t = 0; t < event_type_count; ++t)
    if (counts.by_type[t] != 0)
      out += count_line(std::string(to_string(static_cast<event_type>(t))), 16, counts.by_type[t]);
  out += "by source container:\n";
  const auto width = widest_container(data);
  for (std::size_t c = 0; c < counts.by_source.size(); ++c)
    if (counts.by_source[c] != 0)
      out += count_line(data.container_name(static_cast<container_id>(c)), width, counts.by_source[c]);
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
              data.container_name(r.ev.header.source).c_str(),
              summarize_payload(data, r.ev).c_str());
}

/// How long the link from `cause` to `effect` took: creation to creation, and the
/// cause's own trip (emitted -> received) when both were recorded.
std::string link_latency(const trace_record& cause, const trace_record& effect) {
  std::string out;
  if (cause.times.created != 0 && effect.times.created != 0)
    out += "created +" + format_duration(effect.times.created - cause.times.created);
  if (const auto transit = hop_latency(cause.times, hop_kind::emitted_to_received))
    out += (out.empty() ? "" : ", ") + std::string("transit ") + format_duration(*transit);
  return out.empty() ? "" : "  (" + out + ")";
}

std::string format_chain(const trace_data& data, const causal_chain& c) {
  auto out = format_timestamp(c.signal->ev.header.time) + "  " + record_text(data, *c.signal) + "\n";
  if (!c.decision)
    return out + "    -> no order\n";
  out += "    -> " + record_text(data, *c.decision) + link_latency(*c.signal, *c.decision) + "\n";
  if (c.decision->ev.header.type == event_type::risk_reject)
    return out;
  if (!c.outcome)
    return out + "    -> no fill or cancel\n";
  return out + "    -> " + record_text(data, *c.outcome) + link_latency(*c.decision, *c.outcome) + "\n";
}

} // namespace

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
    out += strf("  [%8s, %8s) %9zu %s\n", format_duration(lo).c_str(),
                format_duration(std::int64_t{1} << (k + 1)).c_str(), n,
                std::string(marks, '#').c_str());
  }
  return out;
}

} // namespace

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
                data.container_name(h.source).c_str(), format_event_id(h.id).c_str(),
                cause.c_str(), summarize_payload(data, r.ev).c_str());
  }
  return out;
}

std::string trace_report(const trace_data& data, std::size_t chain_limit) {
  return format_counts(data, count_events(data)) + "\n"
         + format_chains(data, link_chains(data), chain_limit) + "\n"
         + format_latencies(measure_latencies(data));
}

// --- Chrome trace-event export ------------------------------------------------

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
                        ? (r.times.processed - r.times.received) / 1e3 : 0.0;
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
               {"summary", summarize_payload(data, r.ev)},
               {"observed_at", data.container_name(r.observed_at)}};
  const std::pair<const char*, std::int64_t> times[] = {
    {"created_ns", r.times.created}, {"emitted_ns", r.times.emitted},
    {"received_ns", r.times.received}, {"processed_ns", r.times.processed}};
  for (const auto& [key, value] : times)
    if (value != 0)
      args[key] = value;
  return {{"name", std::string(to_string(h.type))}, {"cat", "event"}, {"ph", "X"},
          {"pid", 1}, {"tid", h.source}, {"ts", s.ts}, {"dur", s.dur}, {"args", std::move(args)}};
}

json flow_event(const char* phase, std::uint64_t id, const slice& s) {
  // Mid-slice, so the arrow binds to this slice and not to a neighbour touching it.
  json e = {{"name", "causation"}, {"cat", "causation"}, {"ph", phase}, {"id", id}, {"pid", 1},
            {"tid", s.record->ev.header.source}, {"ts", s.ts + s.dur / 2}};
  if (phase[0] == 'f')
    e["bp"] = "e";
  return e;
}

json metadata_events(const trace_data& data) {
  json out = json::array();
  out.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 1},
                 {"args", {{"name", "admf run " + data.run_id}}}});
  std::map<container_id, std::string> threads;
  for (std::size_t c = 0; c < data.containers.size(); ++c)
    threads[static_cast<container_id>(c)] = data.container_name(static_cast<container_id>(c));
  for (const auto& r : data.records)
    threads.emplace(r.ev.header.source, data.container_name(r.ev.header.source));
  for (const auto& [tid, name] : threads)
    out.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", tid},
                   {"args", {{"name", name}}}});
  return out;
}

} // namespace

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

void write_file_atomically(const std::string& path, const std::string& text) {
  const auto temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
      throw input_error(path + ": cannot write");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw input_error(path + ": cannot write: " + ec.message());
  }
}

// --- the command ------------------------------------------------------------

namespace {

std::uint64_t parse_correlation(const std::string& text) {
  if (const auto id = parse_event_id(text))
    return *id;
  throw input_error("--correlation " + text + ": not an id (hex like 0x1f, or decimal)");
}

} // namespace

int run_trace(const trace_options& options, std::ostream& out, std::ostream& err) {
  try {
    // Checked before loading: a typo should not cost a read of every file.
    std::optional<std::uint64_t> correlation;
    if (options.correlation)
      correlation = parse_correlation(*options.correlation);
    auto data = load_traces(options.files);
    for (const auto& warning : data.warnings)
      err << "warning: " << warning << "\n";
    if (correlation) {
      data = select_correlation(data, *correlation);
      if (data.records.empty())
        throw input_error("no events with correlation " + *options.correlation);
      out << format_events(data);
    } else {
      out << trace_report(data, options.chains);
    }
    if (!options.chrome.empty()) {
      write_file_atomically(options.chrome, chrome_trace_json(data));
      out << "chrome trace: " << options.chrome << "\n";
    }
    return 0;
  } catch (const input_error& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  }
}

} // namespace admf
