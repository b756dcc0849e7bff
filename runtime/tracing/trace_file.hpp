// Trace files: a length-delimited protobuf stream (TraceHeader, TraceRecords, then an
// end record saying whether the run ended or was interrupted, see events.proto),
// optionally zstd-compressed. A file without its end record was cut short. Written and read streaming, so a
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
  /// Writes the end record, flushes and closes; further writes are errors.
  /// `interrupted_by`: what stopped the run early (e.g. "SIGINT"), "" when it ended.
  /// Throws io_error as the constructor does. Destroyed unclosed, the writer flushes
  /// the records without an end record: the file reads as cut.
  void close(const std::string& interrupted_by = "");
  std::uint64_t bytes_written() const;  ///< on disk so far (compressed if compressing)
  std::uint64_t records_written() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

class trace_reader {
public:
  /// Opens `path` and reads its header; detects zstd by its magic number. Throws
  /// input_error "PATH: ..." when the file is missing or its header is unreadable or
  /// of a newer format. Reads formats 1 (no end record) and 2.
  explicit trace_reader(const std::string& path);
  ~trace_reader();

  const trace_header& header() const;
  /// The next record, or nullopt at the end record, the end of the file or damage.
  std::optional<trace_record> next();
  /// Once next() gave nullopt: the end record, nullopt when there was none (a cut
  /// file, see damage(), or format 1).
  const std::optional<trace_end>& end() const;
  /// Set when reading stopped before a proper end. Format 2 without its end record:
  /// "PATH: cut after N records (no end record)", with "; truncated at byte B" when the
  /// cut fell inside a record. Also "PATH: corrupt record N at byte B", the source's
  /// failure, bytes after the end record, or an end record counting other records.
  /// Format 1 (no end record): "PATH: truncated at byte B after N records" mid-record.
  const std::optional<std::string>& damage() const;
  std::uint64_t records_read() const;  ///< records next() has given

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace admf
