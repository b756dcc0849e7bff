#include "runtime/tracing/record_stream.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/message_lite.h>

#include "runtime/core/error.hpp"

namespace admf {

namespace {

// Level 1: tracing runs beside the backtest, so speed matters more than the last
// few percent of size.
constexpr int zstd_level = 1;

bool starts_with_zstd_magic(std::FILE* f) {
  unsigned char m[4];
  const bool zstd =
    std::fread(m, 1, 4, f) == 4
    && (m[0] | m[1] << 8 | m[2] << 16 | std::uint32_t{m[3]} << 24) == ZSTD_MAGICNUMBER;
  std::rewind(f);
  return zstd;
}

}  // namespace

// ---- message_sink ----------------------------------------------------------------

message_sink::message_sink(std::string path, bool compress) : path_(std::move(path)) {
  file_.reset(std::fopen(path_.c_str(), "wb"));
  if (!file_)
    fail_io("cannot create trace file");
  // Writes leave in io_buffer_size chunks already: stdio's own buffer would only copy.
  std::setvbuf(file_.get(), nullptr, _IONBF, 0);
  if (compress) {
    zstd_.reset(ZSTD_createCCtx());
    ZSTD_CCtx_setParameter(zstd_.get(), ZSTD_c_compressionLevel, zstd_level);
    // Streaming readers return records before the frame ends; the checksum at least
    // tells them afterwards that silently corrupted data went through.
    ZSTD_CCtx_setParameter(zstd_.get(), ZSTD_c_checksumFlag, 1);
    compressed_.resize(ZSTD_CStreamOutSize());
  }
  pending_.reserve(2 * io_buffer_size);
}

void message_sink::append(const google::protobuf::MessageLite& m) {
  using google::protobuf::io::CodedOutputStream;
  const std::size_t size = m.ByteSizeLong();
  if (size > max_message_size)
    fail("a trace record of " + std::to_string(size) + " bytes is too large");
  const std::size_t at = pending_.size();
  pending_.resize(at + CodedOutputStream::VarintSize32(size) + size);
  auto* p = reinterpret_cast<std::uint8_t*>(pending_.data() + at);
  p = CodedOutputStream::WriteVarint32ToArray(static_cast<std::uint32_t>(size), p);
  m.SerializeWithCachedSizesToArray(p);
  if (pending_.size() >= io_buffer_size)
    drain(ZSTD_e_continue);
}

void message_sink::close() {
  drain(ZSTD_e_end);
  if (std::fclose(file_.release()) != 0)
    fail_io("cannot write trace file");
}

void message_sink::fail(const std::string& why) const { throw input_error(path_ + ": " + why); }

void message_sink::fail_io(const char* what) const {
  throw io_error(path_ + ": " + what + ": " + std::strerror(errno));
}

/// Moves `pending_` to the file; ZSTD_e_end also ends the zstd frame.
void message_sink::drain(ZSTD_EndDirective mode) {
  if (!zstd_) {
    put(pending_.data(), pending_.size());
    pending_.clear();
    return;
  }
  ZSTD_inBuffer in{pending_.data(), pending_.size(), 0};
  for (;;) {
    ZSTD_outBuffer out{compressed_.data(), compressed_.size(), 0};
    const std::size_t left = ZSTD_compressStream2(zstd_.get(), &out, &in, mode);
    if (ZSTD_isError(left))
      fail(std::string("zstd: ") + ZSTD_getErrorName(left));
    put(compressed_.data(), out.pos);
    if (mode == ZSTD_e_continue ? in.pos == in.size : left == 0)
      break;
  }
  pending_.clear();
}

void message_sink::put(const char* data, std::size_t n) {
  if (n > 0 && std::fwrite(data, 1, n, file_.get()) != n)
    fail_io("cannot write trace file");
  bytes_ += n;
}

// ---- byte_source -----------------------------------------------------------------

byte_source::byte_source(file_ptr file) : file_(std::move(file)) {
  if (!starts_with_zstd_magic(file_.get()))
    return;
  dctx_.reset(ZSTD_createDCtx());
  in_data_.resize(ZSTD_DStreamInSize());
}

std::size_t byte_source::read(char* dst, std::size_t capacity) {
  if (state_ != state::reading)
    return 0;
  return dctx_ ? read_zstd(dst, capacity) : read_plain(dst, capacity);
}

std::size_t byte_source::read_plain(char* dst, std::size_t capacity) {
  const std::size_t n = std::fread(dst, 1, capacity, file_.get());
  file_offset_ += n;
  if (n == 0 && std::ferror(file_.get()))
    fail_read();
  else if (n == 0)
    state_ = state::ended;
  return n;
}

std::size_t byte_source::read_zstd(char* dst, std::size_t capacity) {
  ZSTD_outBuffer out{dst, capacity, 0};
  while (out.pos == 0 && state_ == state::reading) {
    const bool eof = in_.pos == in_.size && !refill();
    if (state_ != state::reading)
      break;
    // 0 from ZSTD_decompressStream means the last frame is complete and flushed.
    if (eof && frame_left_ == 0) {
      state_ = state::ended;
      break;
    }
    const std::size_t hint = ZSTD_decompressStream(dctx_.get(), &out, &in_);
    if (ZSTD_isError(hint)) {
      fail("corrupt compressed data at byte " + std::to_string(input_offset())
           + " (zstd: " + ZSTD_getErrorName(hint) + ")");
      break;
    }
    frame_left_ = hint;
    // At the end of the file the call above only flushed what zstd still held.
    if (eof && out.pos == 0)
      state_ = state::cut_short;
  }
  return out.pos;
}

bool byte_source::refill() {
  file_offset_ += in_.size;
  const std::size_t n = std::fread(in_data_.data(), 1, in_data_.size(), file_.get());
  in_ = {in_data_.data(), n, 0};
  if (n == 0 && std::ferror(file_.get()))
    fail_read();
  return n > 0;
}

void byte_source::fail_read() {
  fail("read error at byte " + std::to_string(input_offset()) + " (" + std::strerror(errno) + ")");
}

void byte_source::fail(std::string why) {
  state_ = state::failed;
  failure_ = std::move(why);
}

// ---- message_stream --------------------------------------------------------------

message_stream::message_stream(byte_source source)
  : source_(std::move(source)), buf_(io_buffer_size) {}

message_stream::result message_stream::next() {
  begin_ += current_;
  offset_ += current_;
  current_ = 0;
  std::uint64_t size = 0;
  std::size_t prefix = 0;
  if (const result r = read_prefix(size, prefix); r != result::message)
    return r;
  if (size > max_message_size)
    return result::corrupt;
  if (!ensure(prefix + size))
    return ran_out();
  message_ = buf_.data() + begin_ + prefix;
  size_ = size;
  current_ = prefix + size;
  return result::message;
}

message_stream::result message_stream::read_prefix(std::uint64_t& size, std::size_t& prefix) {
  for (std::size_t i = 0; i < 5; ++i) {
    if (!ensure(i + 1))
      return i == 0 && source_.status() == byte_source::state::ended ? result::end : ran_out();
    const auto byte = static_cast<std::uint8_t>(buf_[begin_ + i]);
    size |= std::uint64_t{byte & 0x7fu} << (7 * i);
    if ((byte & 0x80) == 0) {
      prefix = i + 1;
      return result::message;
    }
  }
  return result::corrupt;  // a varint32 has at most 5 bytes
}

message_stream::result message_stream::ran_out() const {
  return source_.status() == byte_source::state::failed ? result::failed : result::truncated;
}

/// At least n unread bytes in the buffer; false when the source ended first.
bool message_stream::ensure(std::size_t n) {
  while (end_ - begin_ < n) {
    if (buf_.size() - begin_ < n)
      compact(n);
    const std::size_t got = source_.read(buf_.data() + end_, buf_.size() - end_);
    if (got == 0)
      return false;
    end_ += got;
  }
  return true;
}

void message_stream::compact(std::size_t n) {
  std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  if (buf_.size() < n)
    buf_.resize(std::max(n, buf_.size() * 2));
}

}  // namespace admf
