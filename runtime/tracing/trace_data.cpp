#include "runtime/tracing/trace_data.hpp"

#include <algorithm>
#include <filesystem>
#include <tuple>
#include <utility>

#include "runtime/core/error.hpp"
#include "runtime/tracing/event_text.hpp"
#include "runtime/tracing/trace_file.hpp"

namespace admf {

namespace {

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

}  // namespace

std::string trace_data::container_name(container_id id) const {
  return name_or_number(containers, id);
}
std::string trace_data::symbol_name(symbol_id id) const { return name_or_number(symbols, id); }

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
  std::sort(
    data_.records.begin(), data_.records.end(),
    [](const trace_record& a, const trace_record& b) { return logical_key(a) < logical_key(b); });
  index_.clear();
  return std::exchange(data_, trace_data{});
}

namespace {

/// A tracer killed before its first write leaves an empty file.
bool empty_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0
         && !ec;
}

}  // namespace

trace_data load_traces(const std::vector<std::string>& paths) {
  trace_merger merger;
  std::string first_run;
  std::size_t empty = 0;
  for (const auto& path : paths) {
    if (empty_file(path)) {
      ++empty;
      merger.warn(path + ": empty (0 bytes): cut before its header, no records");
      continue;
    }
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
    else if (reader.end() && reader.end()->interrupted)
      merger.warn(path + ": interrupted by " + reader.end()->reason + " after "
                  + std::to_string(reader.records_read()) + " records (the run was stopped early)");
  }
  if (empty > 0 && empty == paths.size())
    throw input_error(paths.size() == 1 ? paths[0] + ": empty (0 bytes): no trace to read"
                                        : "every trace file is empty (0 bytes): no trace to read");
  return merger.finish();
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

}  // namespace admf
