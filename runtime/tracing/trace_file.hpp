// Trace files: a length-delimited protobuf stream (TraceHeader, then TraceRecords,
// see events.proto), optionally zstd-compressed. Written and read streaming, so a
// full trace of a long run never sits in memory. The framing is record_stream.hpp's,
// the conversions trace_codec.hpp's.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "runtime/tracing/trace_record.hpp"

namespace admf {

class trace_writer {
public:
  /// Creates `path` (".zst" suffix not added: the caller names the file). Throws io_error when it
  /// cannot be created or written.
  trace_writer(const std::string& path, const trace_header& header, bool compress);
  ~trace_writer();
  trace_writer(const trace_writer&) = delete;
  trace_writer& operator=(const trace_writer&) = delete;

  void write(const trace_record& record);
  void close();                         ///< flushes; further writes are errors
  std::uint64_t bytes_written() const;  ///< on disk so far (compressed if compressing)
  std::uint64_t records_written() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

class trace_reader {
public:
  /// Opens `path` and reads its header; detects zstd by its magic number. Throws
  /// input_error "PATH: ..." when the file is missing or its header is unreadable.
  explicit trace_reader(const std::string& path);
  ~trace_reader();

  const trace_header& header() const;
  /// The next record, or nullopt at the end of the file or at damage (see damage()).
  std::optional<trace_record> next();
  /// Set when reading stopped before the end: "PATH: truncated/corrupt record N at byte B".
  const std::optional<std::string>& damage() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace admf
