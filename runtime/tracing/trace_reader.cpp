#include <cerrno>
#include <cstring>

#include "events.pb.h"
#include "runtime/core/error.hpp"
#include "runtime/tracing/record_stream.hpp"
#include "runtime/tracing/trace_codec.hpp"
#include "runtime/tracing/trace_file.hpp"

namespace admf {

struct trace_reader::impl {
  impl(std::string p, byte_source source) : path(std::move(p)), stream(std::move(source)) {}

  std::string path;
  message_stream stream;
  trace_header header;
  proto::TraceRecord message;  // reused: saves allocations per record
  std::uint64_t records = 0;
  std::optional<trace_end> end;
  std::optional<std::string> damage;
  bool done = false;

  void read_header() {
    proto::TraceHeader m;
    if (stream.next() != message_stream::result::message
        || !m.ParseFromArray(stream.data(), static_cast<int>(stream.size()))
        || m.format_version() == 0)
      throw input_error(path + ": not an admf trace file");
    if (m.format_version() > trace_format_version)
      throw input_error(path + ": trace format version " + std::to_string(m.format_version())
                        + " is newer than this admf reads ("
                        + std::to_string(trace_format_version) + ")");
    header = from_proto(m);
  }

  bool has_end_records() const { return header.format_version >= 2; }

  /// Why reading stopped at `r` without an end record; nullopt for the clean end of a
  /// format 1 file, which never has one.
  std::optional<std::string> describe(message_stream::result r) const {
    const std::string after = " after " + std::to_string(records) + " records";
    const std::string cut = path + ": cut" + after + " (no end record";
    switch (r) {
      case message_stream::result::end:
        if (!has_end_records())
          return std::nullopt;
        return cut + ")";
      case message_stream::result::truncated:
        if (!has_end_records())
          return path + ": truncated at " + where(stream.end_offset()) + after;
        return cut + "; truncated at " + where(stream.end_offset()) + ")";
      case message_stream::result::failed:
        return path + ": " + stream.source().failure() + after;
      default:
        return path + ": corrupt record " + std::to_string(records + 1) + " at "
               + where(stream.offset());
    }
  }

  /// The end record was read: it must count the records before it and be the last.
  void at_end(const trace_end& e) {
    end = e;
    if (e.records != records) {
      damage = path + ": the end record counts " + std::to_string(e.records) + " records, the file holds "
               + std::to_string(records);
      return;
    }
    switch (stream.next()) {
      case message_stream::result::end:
        return;
      case message_stream::result::failed:
        damage = path + ": " + stream.source().failure() + " after the end record";
        return;
      case message_stream::result::truncated:
        damage = path + ": truncated at " + where(stream.end_offset()) + " after the end record";
        return;
      default:
        damage = path + ": data after the end record at " + where(stream.offset());
    }
  }

  /// Offsets count the decompressed stream when the file is compressed.
  std::string where(std::uint64_t offset) const {
    return (stream.source().compressed() ? "decompressed byte " : "byte ") + std::to_string(offset);
  }
};

trace_reader::trace_reader(const std::string& path) {
  file_ptr file(std::fopen(path.c_str(), "rb"));
  if (!file)
    throw input_error(path + ": cannot open trace file: " + std::strerror(errno));
  impl_ = std::make_unique<impl>(path, byte_source(std::move(file)));
  impl_->read_header();
}

trace_reader::~trace_reader() = default;

const trace_header& trace_reader::header() const { return impl_->header; }

std::optional<trace_record> trace_reader::next() {
  auto& s = *impl_;
  if (s.done)
    return std::nullopt;
  const auto r = s.stream.next();
  const bool parsed = r == message_stream::result::message
                      && s.message.ParseFromArray(s.stream.data(), static_cast<int>(s.stream.size()));
  if (parsed && s.has_end_records() && !s.message.has_event())
    if (const auto end = end_of(s.message)) {
      s.done = true;
      s.at_end(*end);
      return std::nullopt;
    }
  trace_record record;
  if (parsed && from_proto(s.message, record)) {
    ++s.records;
    return record;
  }
  s.done = true;
  s.damage = s.describe(r);
  return std::nullopt;
}

const std::optional<trace_end>& trace_reader::end() const { return impl_->end; }
std::uint64_t trace_reader::records_read() const { return impl_->records; }

const std::optional<std::string>& trace_reader::damage() const { return impl_->damage; }

}  // namespace admf
