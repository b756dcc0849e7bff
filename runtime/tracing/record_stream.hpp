// The framing under trace files: varint32-length-prefixed protobuf messages, the
// whole stream optionally one zstd frame. message_sink writes it; byte_source and
// message_stream read it back one message at a time, however large the file.
#pragma once
#include <zstd.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace google::protobuf {
class MessageLite;
}  // namespace google::protobuf

namespace admf {

/// Orders of magnitude above any real record: a longer length prefix is damage, and
/// must not make the reader allocate it.
constexpr std::uint64_t max_message_size = 64u << 20;
/// Bytes moved per read or write.
constexpr std::size_t io_buffer_size = 64u << 10;

struct file_closer {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using file_ptr = std::unique_ptr<std::FILE, file_closer>;

struct zstd_cctx_free {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct zstd_dctx_free {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

/// Appends framed messages to a new file, through zstd when compressing.
class message_sink {
public:
  /// Creates `path`. Throws input_error "PATH: cannot create trace file: ...".
  message_sink(std::string path, bool compress);

  /// Throws input_error "PATH: ..." for a message over max_message_size, io_error
  /// "PATH: cannot write trace file: OS error" for a failed write.
  void append(const google::protobuf::MessageLite& message);
  /// Flushes, ends the zstd frame and closes the file; call once.
  void close();
  std::uint64_t bytes_written() const { return bytes_; }  ///< on disk (compressed if so)
  const std::string& path() const { return path_; }

private:
  [[noreturn]] void fail(const std::string& why) const;
  [[noreturn]] void fail_io(const char* what) const;  ///< what failed, with errno's text
  void drain(ZSTD_EndDirective mode);
  void put(const char* data, std::size_t n);

  std::string path_;
  file_ptr file_;
  std::unique_ptr<ZSTD_CCtx, zstd_cctx_free> zstd_;  // null when not compressing
  std::vector<char> pending_;                        // serialized, not yet on disk
  std::vector<char> compressed_;                     // zstd output
  std::uint64_t bytes_ = 0;
};

/// A file's bytes, decompressed on the fly when it starts with the zstd magic number.
class byte_source {
public:
  enum class state { reading, ended, cut_short, failed };

  explicit byte_source(file_ptr file);

  /// Up to `capacity` bytes into `dst`; 0 once the input has ended (see status()).
  std::size_t read(char* dst, std::size_t capacity);
  state status() const { return state_; }
  /// Why the state is `failed`, e.g. "corrupt compressed data at byte 123 (zstd: ...)".
  const std::string& failure() const { return failure_; }
  bool compressed() const { return dctx_ != nullptr; }

private:
  std::size_t read_plain(char* dst, std::size_t capacity);
  std::size_t read_zstd(char* dst, std::size_t capacity);
  bool refill();
  void fail_read();
  void fail(std::string why);
  std::uint64_t input_offset() const { return file_offset_ + in_.pos; }

  file_ptr file_;
  std::unique_ptr<ZSTD_DCtx, zstd_dctx_free> dctx_;  // null for a plain file
  std::vector<char> in_data_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  std::uint64_t file_offset_ = 0;  // of in_data_[0] when compressed, else of the next read
  std::size_t frame_left_ = 1;     // a zstd file holds at least one frame
  state state_ = state::reading;
  std::string failure_;
};

/// Length-prefixed messages from a byte_source, through a rolling buffer that always
/// holds the whole current message. Offsets count bytes of the (decompressed) stream.
class message_stream {
public:
  /// truncated: the stream ended inside a message; corrupt: a prefix over 5 bytes or
  /// max_message_size; failed: the source failed (see source().failure()).
  enum class result { message, end, truncated, corrupt, failed };

  explicit message_stream(byte_source source);

  /// On `message`, data() and size() hold its bytes until the next call.
  result next();
  const char* data() const { return message_; }
  std::size_t size() const { return size_; }
  /// Stream offset of the current message's length prefix.
  std::uint64_t offset() const { return offset_; }
  /// Stream offset just past the last byte read.
  std::uint64_t end_offset() const { return offset_ + (end_ - begin_); }
  const byte_source& source() const { return source_; }

private:
  result read_prefix(std::uint64_t& size, std::size_t& prefix);
  result ran_out() const;
  bool ensure(std::size_t n);
  void compact(std::size_t n);

  byte_source source_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;     // first unread byte
  std::size_t end_ = 0;       // past the last byte read
  std::size_t current_ = 0;   // prefix + body of the message last returned
  std::uint64_t offset_ = 0;  // stream offset of buf_[begin_]
  const char* message_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace admf
