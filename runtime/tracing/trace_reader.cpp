#include <cerrno>
#include <cstring>

#include "events.pb.h"
#include "runtime/core/error.hpp"
#include "runtime/tracing/record_stream.hpp"
#include "runtime/tracing/trace_codec.hpp"
#include "runtime/tracing/trace_file.hpp"

namespace admf {

namespace {

constexpr std::uint32_t supported_format_version = 1;

}  // namespace

struct trace_reader::impl {
  impl(std::string p, byte_source source) : path(std::move(p)), stream(std::move(source)) {}

  std::string path;
  message_stream stream;
  trace_header header;
  proto::TraceRecord message;  // reused: saves allocations per record
  std::uint64_t records = 0;
  std::optional<std::string> damage;
  bool done = false;

  void read_header() {
    proto::TraceHeader m;
    if (stream.next() != message_stream::result::message
        || !m.ParseFromArray(stream.data(), static_cast<int>(stream.size()))
        || m.format_version() == 0)
      throw input_error(path + ": not an admf trace file");
    if (m.format_version() > supported_format_version)
      throw input_error(path + ": trace format version " + std::to_string(m.format_version())
                        + " is newer than this admf reads ("
                        + std::to_string(supported_format_version) + ")");
    header = from_proto(m);
  }

  std::string describe(message_stream::result r) const {
    const std::string after = " after " + std::to_string(records) + " records";
    switch (r) {
      case message_stream::result::truncated:
        return path + ": truncated at " + where(stream.end_offset()) + after;
      case message_stream::result::failed:
        return path + ": " + stream.source().failure() + after;
      default:
        return path + ": corrupt record " + std::to_string(records + 1) + " at "
               + where(stream.offset());
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
  trace_record record;
  if (r == message_stream::result::message
      && s.message.ParseFromArray(s.stream.data(), static_cast<int>(s.stream.size()))
      && from_proto(s.message, record)) {
    ++s.records;
    return record;
  }
  s.done = true;
  if (r != message_stream::result::end)
    s.damage = s.describe(r);
  return std::nullopt;
}

const std::optional<std::string>& trace_reader::damage() const { return impl_->damage; }

}  // namespace admf
