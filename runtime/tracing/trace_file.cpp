#include "runtime/tracing/trace_file.hpp"

#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <google/protobuf/io/coded_stream.h>

#include "events.pb.h"
#include "runtime/core/error.hpp"

namespace admf {
namespace {

constexpr std::uint32_t supported_format_version = 1;
// Orders of magnitude above any real record: a longer length prefix is damage, and
// must not make the reader allocate it.
constexpr std::uint64_t max_message_size = 64u << 20;
constexpr std::size_t io_buffer_size = 64u << 10;
// Level 1: tracing runs beside the backtest, so speed matters more than the last
// few percent of size.
constexpr int zstd_level = 1;

// ---- events <-> protobuf ---------------------------------------------------------

// The proto enums list the same values in the same order, so they convert by cast.
static_assert(static_cast<int>(event_type::bar) == proto::BAR &&
              static_cast<int>(event_type::signal) == proto::SIGNAL &&
              static_cast<int>(event_type::order) == proto::ORDER &&
              static_cast<int>(event_type::fill) == proto::FILL &&
              static_cast<int>(event_type::order_cancel) == proto::ORDER_CANCEL &&
              static_cast<int>(event_type::position_open) == proto::POSITION_OPEN &&
              static_cast<int>(event_type::position_close) == proto::POSITION_CLOSE &&
              static_cast<int>(event_type::portfolio_update) == proto::PORTFOLIO_UPDATE &&
              static_cast<int>(event_type::risk_reject) == proto::RISK_REJECT);
static_assert(static_cast<int>(direction::flat) == proto::FLAT &&
              static_cast<int>(direction::long_) == proto::LONG &&
              static_cast<int>(direction::short_) == proto::SHORT);
static_assert(static_cast<int>(side::buy) == proto::BUY &&
              static_cast<int>(side::sell) == proto::SELL);
static_assert(static_cast<int>(order_kind::market) == proto::MARKET &&
              static_cast<int>(order_kind::limit) == proto::LIMIT &&
              static_cast<int>(order_kind::stop) == proto::STOP);

constexpr std::uint32_t direction_count = 3;
constexpr std::uint32_t side_count = 2;
constexpr std::uint32_t order_kind_count = 3;
constexpr std::uint32_t cancel_reason_count = 3;
constexpr std::uint32_t reject_reason_count = 4;

/// Proto3 enums are open: a value this build does not know is damage.
template <class E>
bool to_enum(std::int64_t value, std::uint32_t count, E& out) {
  if (value < 0 || value >= count) return false;
  out = static_cast<E>(value);
  return true;
}

// Every put() sets every field of its message, so a reused proto::Event needs no Clear().
void put(const bar_data& d, proto::Event& e) {
  auto& m = *e.mutable_bar();
  m.set_symbol(d.symbol);
  m.set_open(d.open);
  m.set_high(d.high);
  m.set_low(d.low);
  m.set_close(d.close);
  m.set_volume(d.volume);
}

void put(const signal_data& d, proto::Event& e) {
  auto& m = *e.mutable_signal();
  m.set_strategy(d.strategy);
  m.set_symbol(d.symbol);
  m.set_target(static_cast<proto::Direction>(d.target));
  m.set_strength(d.strength);
  m.set_quantity(d.quantity);
  m.set_kind(static_cast<proto::OrderKind>(d.kind));
  m.set_limit_price(d.limit_price);
  m.set_stop_price(d.stop_price);
}

void put(const order_data& d, proto::Event& e) {
  auto& m = *e.mutable_order();
  m.set_order_id(d.order_id);
  m.set_portfolio(d.portfolio);
  m.set_strategy(d.strategy);
  m.set_symbol(d.symbol);
  m.set_action(static_cast<proto::Side>(d.action));
  m.set_kind(static_cast<proto::OrderKind>(d.kind));
  m.set_quantity(d.quantity);
  m.set_budget(d.budget);
  m.set_limit_price(d.limit_price);
  m.set_stop_price(d.stop_price);
}

void put(const fill_data& d, proto::Event& e) {
  auto& m = *e.mutable_fill();
  m.set_order_id(d.order_id);
  m.set_portfolio(d.portfolio);
  m.set_strategy(d.strategy);
  m.set_symbol(d.symbol);
  m.set_action(static_cast<proto::Side>(d.action));
  m.set_quantity(d.quantity);
  m.set_price(d.price);
  m.set_commission(d.commission);
}

void put(const order_cancel_data& d, proto::Event& e) {
  auto& m = *e.mutable_order_cancel();
  m.set_order_id(d.order_id);
  m.set_portfolio(d.portfolio);
  m.set_strategy(d.strategy);
  m.set_symbol(d.symbol);
  m.set_reason(static_cast<std::uint32_t>(d.reason));
}

void put(const position_data& d, proto::Event& e) {
  auto& m = *e.mutable_position();
  m.set_trade_id(d.trade_id);
  m.set_portfolio(d.portfolio);
  m.set_strategy(d.strategy);
  m.set_symbol(d.symbol);
  m.set_quantity(d.quantity);
  m.set_entry_price(d.entry_price);
  m.set_exit_price(d.exit_price);
  m.set_entry_time(d.entry_time);
  m.set_commission(d.commission);
  m.set_pnl(d.pnl);
}

void put(const portfolio_update_data& d, proto::Event& e) {
  auto& m = *e.mutable_portfolio_update();
  m.set_portfolio(d.portfolio);
  m.set_cash(d.cash);
  m.set_equity(d.equity);
  m.set_gross_exposure(d.gross_exposure);
}

void put(const risk_reject_data& d, proto::Event& e) {
  auto& m = *e.mutable_risk_reject();
  m.set_portfolio(d.portfolio);
  m.set_strategy(d.strategy);
  m.set_symbol(d.symbol);
  m.set_reason(static_cast<std::uint32_t>(d.reason));
  m.set_limit(d.limit);
  m.set_observed(d.observed);
}

bool get(const proto::Bar& m, event_payload& out) {
  out = bar_data{m.symbol(), m.open(), m.high(), m.low(), m.close(), m.volume()};
  return true;
}

bool get(const proto::Signal& m, event_payload& out) {
  signal_data d;
  d.strategy = m.strategy();
  d.symbol = m.symbol();
  d.strength = m.strength();
  d.quantity = m.quantity();
  d.limit_price = m.limit_price();
  d.stop_price = m.stop_price();
  if (!to_enum(m.target(), direction_count, d.target) ||
      !to_enum(m.kind(), order_kind_count, d.kind))
    return false;
  out = d;
  return true;
}

bool get(const proto::Order& m, event_payload& out) {
  order_data d;
  d.order_id = m.order_id();
  d.portfolio = m.portfolio();
  d.strategy = m.strategy();
  d.symbol = m.symbol();
  d.quantity = m.quantity();
  d.budget = m.budget();
  d.limit_price = m.limit_price();
  d.stop_price = m.stop_price();
  if (!to_enum(m.action(), side_count, d.action) ||
      !to_enum(m.kind(), order_kind_count, d.kind))
    return false;
  out = d;
  return true;
}

bool get(const proto::Fill& m, event_payload& out) {
  fill_data d;
  d.order_id = m.order_id();
  d.portfolio = m.portfolio();
  d.strategy = m.strategy();
  d.symbol = m.symbol();
  d.quantity = m.quantity();
  d.price = m.price();
  d.commission = m.commission();
  if (!to_enum(m.action(), side_count, d.action)) return false;
  out = d;
  return true;
}

bool get(const proto::OrderCancel& m, event_payload& out) {
  order_cancel_data d;
  d.order_id = m.order_id();
  d.portfolio = m.portfolio();
  d.strategy = m.strategy();
  d.symbol = m.symbol();
  if (!to_enum(m.reason(), cancel_reason_count, d.reason)) return false;
  out = d;
  return true;
}

bool get(const proto::Position& m, event_payload& out) {
  position_data d;
  d.trade_id = m.trade_id();
  d.portfolio = m.portfolio();
  d.strategy = m.strategy();
  d.symbol = m.symbol();
  d.quantity = m.quantity();
  d.entry_price = m.entry_price();
  d.exit_price = m.exit_price();
  d.entry_time = m.entry_time();
  d.commission = m.commission();
  d.pnl = m.pnl();
  out = d;
  return true;
}

bool get(const proto::PortfolioUpdate& m, event_payload& out) {
  out = portfolio_update_data{m.portfolio(), m.cash(), m.equity(), m.gross_exposure()};
  return true;
}

bool get(const proto::RiskReject& m, event_payload& out) {
  risk_reject_data d;
  d.portfolio = m.portfolio();
  d.strategy = m.strategy();
  d.symbol = m.symbol();
  d.limit = m.limit();
  d.observed = m.observed();
  if (!to_enum(m.reason(), reject_reason_count, d.reason)) return false;
  out = d;
  return true;
}

bool get_payload(const proto::Event& e, event_payload& out) {
  switch (e.payload_case()) {
    case proto::Event::kBar: return get(e.bar(), out);
    case proto::Event::kSignal: return get(e.signal(), out);
    case proto::Event::kOrder: return get(e.order(), out);
    case proto::Event::kFill: return get(e.fill(), out);
    case proto::Event::kOrderCancel: return get(e.order_cancel(), out);
    case proto::Event::kPosition: return get(e.position(), out);
    case proto::Event::kPortfolioUpdate: return get(e.portfolio_update(), out);
    case proto::Event::kRiskReject: return get(e.risk_reject(), out);
    case proto::Event::PAYLOAD_NOT_SET: return false;
  }
  return false;
}

void to_proto(const trace_record& r, proto::TraceRecord& m) {
  const auto& h = r.ev.header;
  auto& e = *m.mutable_event();
  e.set_id(h.id);
  e.set_type(static_cast<proto::EventType>(h.type));
  e.set_time(h.time);
  e.set_correlation(h.correlation);
  e.set_causation(h.causation);
  e.set_source(h.source);
  e.set_sequence(h.sequence);
  std::visit([&e](const auto& d) { put(d, e); }, r.ev.payload);
  m.set_partition_key(r.partition_key);
  m.set_created_ns(r.times.created);
  m.set_emitted_ns(r.times.emitted);
  m.set_received_ns(r.times.received);
  m.set_processed_ns(r.times.processed);
  m.set_observed_at(r.observed_at);
}

bool from_proto(const proto::TraceRecord& m, trace_record& r) {
  if (!m.has_event()) return false;
  const auto& e = m.event();
  auto& h = r.ev.header;
  if (!to_enum(e.type(), event_type_count, h.type)) return false;
  h.id = e.id();
  h.time = e.time();
  h.correlation = e.correlation();
  h.causation = e.causation();
  h.source = e.source();
  h.sequence = e.sequence();
  r.partition_key = m.partition_key();
  r.times = {m.created_ns(), m.emitted_ns(), m.received_ns(), m.processed_ns()};
  // The tracer records the event's creation stamp as its hop's `created`; the proto
  // Event keeps it only there.
  h.created_ns = m.created_ns();
  r.observed_at = m.observed_at();
  return get_payload(e, r.ev.payload);
}

void to_proto(const trace_header& h, proto::TraceHeader& m) {
  m.set_format_version(h.format_version);
  m.set_run_id(h.run_id);
  m.set_container(h.container);
  for (const auto& c : h.containers) m.add_containers(c);
  for (const auto& s : h.symbols) m.add_symbols(s);
}

trace_header from_proto(const proto::TraceHeader& m) {
  trace_header h;
  h.format_version = m.format_version();
  h.run_id = m.run_id();
  h.container = m.container();
  h.containers.assign(m.containers().begin(), m.containers().end());
  h.symbols.assign(m.symbols().begin(), m.symbols().end());
  return h;
}

// ---- files -----------------------------------------------------------------------

struct file_closer {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using file_ptr = std::unique_ptr<std::FILE, file_closer>;

struct cctx_free {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct dctx_free {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

bool starts_with_zstd_magic(std::FILE* f) {
  unsigned char m[4];
  const bool zstd = std::fread(m, 1, 4, f) == 4 &&
                    (m[0] | m[1] << 8 | m[2] << 16 | std::uint32_t{m[3]} << 24) ==
                      ZSTD_MAGICNUMBER;
  std::rewind(f);
  return zstd;
}

/// The trace's bytes, decompressed on the fly when the file is zstd.
class byte_source {
public:
  enum class state { reading, ended, cut_short, failed };

  byte_source(file_ptr file, bool zstd) : file_(std::move(file)) {
    if (!zstd) return;
    dctx_.reset(ZSTD_createDCtx());
    in_data_.resize(ZSTD_DStreamInSize());
  }

  /// Up to `capacity` bytes into `dst`; 0 once the input has ended (see status()).
  std::size_t read(char* dst, std::size_t capacity) {
    if (state_ != state::reading) return 0;
    return dctx_ ? read_zstd(dst, capacity) : read_plain(dst, capacity);
  }

  state status() const { return state_; }
  /// Why the state is `failed`, e.g. "corrupt compressed data at byte 123 (zstd: ...)".
  const std::string& failure() const { return failure_; }
  bool compressed() const { return dctx_ != nullptr; }

private:
  std::size_t read_plain(char* dst, std::size_t capacity) {
    const std::size_t n = std::fread(dst, 1, capacity, file_.get());
    file_offset_ += n;
    if (n == 0 && std::ferror(file_.get()))
      fail_read();
    else if (n == 0)
      state_ = state::ended;
    return n;
  }

  std::size_t read_zstd(char* dst, std::size_t capacity) {
    ZSTD_outBuffer out{dst, capacity, 0};
    while (out.pos == 0 && state_ == state::reading) {
      const bool eof = in_.pos == in_.size && !refill();
      if (state_ != state::reading) break;
      // 0 from ZSTD_decompressStream means the last frame is complete and flushed.
      if (eof && frame_left_ == 0) {
        state_ = state::ended;
        break;
      }
      const std::size_t hint = ZSTD_decompressStream(dctx_.get(), &out, &in_);
      if (ZSTD_isError(hint)) {
        fail("corrupt compressed data at byte " + std::to_string(input_offset()) +
             " (zstd: " + ZSTD_getErrorName(hint) + ")");
        break;
      }
      frame_left_ = hint;
      // At the end of the file the call above only flushed what zstd still held.
      if (eof && out.pos == 0) state_ = state::cut_short;
    }
    return out.pos;
  }

  bool refill() {
    file_offset_ += in_.size;
    const std::size_t n = std::fread(in_data_.data(), 1, in_data_.size(), file_.get());
    in_ = {in_data_.data(), n, 0};
    if (n == 0 && std::ferror(file_.get())) fail_read();
    return n > 0;
  }

  void fail_read() {
    fail("read error at byte " + std::to_string(input_offset()) + " (" +
         std::strerror(errno) + ")");
  }

  void fail(std::string why) {
    state_ = state::failed;
    failure_ = std::move(why);
  }

  std::uint64_t input_offset() const { return file_offset_ + in_.pos; }

  file_ptr file_;
  std::unique_ptr<ZSTD_DCtx, dctx_free> dctx_;  // null for a plain file
  std::vector<char> in_data_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  std::uint64_t file_offset_ = 0;  // of in_data_[0] when compressed, else of the next read
  std::size_t frame_left_ = 1;     // a zstd file holds at least one frame
  state state_ = state::reading;
  std::string failure_;
};

/// Varint32-length-prefixed messages from a byte_source, through a rolling buffer
/// that always holds the whole current message.
class message_stream {
public:
  enum class result { message, end, truncated, corrupt, failed };

  explicit message_stream(byte_source source)
      : source_(std::move(source)), buf_(io_buffer_size) {}

  /// On `message`, data() and size() hold its bytes until the next call.
  result next() {
    begin_ += current_;
    offset_ += current_;
    current_ = 0;
    std::uint64_t size = 0;
    std::size_t prefix = 0;
    if (const result r = read_prefix(size, prefix); r != result::message) return r;
    if (size > max_message_size) return result::corrupt;
    if (!ensure(prefix + size)) return ran_out();
    message_ = buf_.data() + begin_ + prefix;
    size_ = size;
    current_ = prefix + size;
    return result::message;
  }

  const char* data() const { return message_; }
  std::size_t size() const { return size_; }
  /// Stream offset of the current message's length prefix.
  std::uint64_t offset() const { return offset_; }
  /// Stream offset just past the last byte read.
  std::uint64_t end_offset() const { return offset_ + (end_ - begin_); }
  const byte_source& source() const { return source_; }

private:
  result read_prefix(std::uint64_t& size, std::size_t& prefix) {
    for (std::size_t i = 0; i < 5; ++i) {
      if (!ensure(i + 1))
        return i == 0 && source_.status() == byte_source::state::ended ? result::end
                                                                      : ran_out();
      const auto byte = static_cast<std::uint8_t>(buf_[begin_ + i]);
      size |= std::uint64_t{byte & 0x7fu} << (7 * i);
      if ((byte & 0x80) == 0) {
        prefix = i + 1;
        return result::message;
      }
    }
    return result::corrupt;  // a varint32 has at most 5 bytes
  }

  result ran_out() const {
    return source_.status() == byte_source::state::failed ? result::failed
                                                          : result::truncated;
  }

  /// At least n unread bytes in the buffer; false when the source ended first.
  bool ensure(std::size_t n) {
    while (end_ - begin_ < n) {
      if (buf_.size() - begin_ < n) compact(n);
      const std::size_t got = source_.read(buf_.data() + end_, buf_.size() - end_);
      if (got == 0) return false;
      end_ += got;
    }
    return true;
  }

  void compact(std::size_t n) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    if (buf_.size() < n) buf_.resize(std::max(n, buf_.size() * 2));
  }

  byte_source source_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;    // first unread byte
  std::size_t end_ = 0;      // past the last byte read
  std::size_t current_ = 0;  // prefix + body of the message last returned
  std::uint64_t offset_ = 0; // stream offset of buf_[begin_]
  const char* message_ = nullptr;
  std::size_t size_ = 0;
};

} // namespace

// ---- trace_writer ----------------------------------------------------------------

struct trace_writer::impl {
  std::string path;
  file_ptr file;
  std::unique_ptr<ZSTD_CCtx, cctx_free> zstd;  // null when not compressing
  std::vector<char> pending;                   // serialized, not yet on disk
  std::vector<char> compressed;                // zstd output
  proto::TraceRecord message;                  // reused: saves allocations per record
  std::uint64_t bytes = 0;
  std::uint64_t records = 0;
  bool closed = false;

  void append(const google::protobuf::MessageLite& m) {
    using google::protobuf::io::CodedOutputStream;
    const std::size_t size = m.ByteSizeLong();
    if (size > max_message_size)
      fail("a trace record of " + std::to_string(size) + " bytes is too large");
    const std::size_t at = pending.size();
    pending.resize(at + CodedOutputStream::VarintSize32(size) + size);
    auto* p = reinterpret_cast<std::uint8_t*>(pending.data() + at);
    p = CodedOutputStream::WriteVarint32ToArray(static_cast<std::uint32_t>(size), p);
    m.SerializeWithCachedSizesToArray(p);
    if (pending.size() >= io_buffer_size) drain(ZSTD_e_continue);
  }

  /// Moves `pending` to the file; ZSTD_e_end also ends the zstd frame.
  void drain(ZSTD_EndDirective mode) {
    if (!zstd) {
      put(pending.data(), pending.size());
      pending.clear();
      return;
    }
    ZSTD_inBuffer in{pending.data(), pending.size(), 0};
    for (;;) {
      ZSTD_outBuffer out{compressed.data(), compressed.size(), 0};
      const std::size_t left = ZSTD_compressStream2(zstd.get(), &out, &in, mode);
      if (ZSTD_isError(left)) fail(std::string("zstd: ") + ZSTD_getErrorName(left));
      put(compressed.data(), out.pos);
      if (mode == ZSTD_e_continue ? in.pos == in.size : left == 0) break;
    }
    pending.clear();
  }

  void put(const char* data, std::size_t n) {
    if (n > 0 && std::fwrite(data, 1, n, file.get()) != n)
      fail(std::string("cannot write trace file: ") + std::strerror(errno));
    bytes += n;
  }

  [[noreturn]] void fail(const std::string& why) const { throw input_error(path + ": " + why); }
};

trace_writer::trace_writer(const std::string& path, const trace_header& header, bool compress)
    : impl_(std::make_unique<impl>()) {
  impl_->path = path;
  impl_->file.reset(std::fopen(path.c_str(), "wb"));
  if (!impl_->file) impl_->fail(std::string("cannot create trace file: ") + std::strerror(errno));
  // Writes leave in io_buffer_size chunks already: stdio's own buffer would only copy.
  std::setvbuf(impl_->file.get(), nullptr, _IONBF, 0);
  if (compress) {
    impl_->zstd.reset(ZSTD_createCCtx());
    ZSTD_CCtx_setParameter(impl_->zstd.get(), ZSTD_c_compressionLevel, zstd_level);
    // Streaming readers return records before the frame ends; the checksum at least
    // tells them afterwards that silently corrupted data went through.
    ZSTD_CCtx_setParameter(impl_->zstd.get(), ZSTD_c_checksumFlag, 1);
    impl_->compressed.resize(ZSTD_CStreamOutSize());
  }
  impl_->pending.reserve(2 * io_buffer_size);
  proto::TraceHeader m;
  to_proto(header, m);
  impl_->append(m);
}

trace_writer::~trace_writer() {
  // A destructor cannot report a failed flush: callers that care call close().
  try {
    close();
  } catch (const std::exception&) {
  }
}

void trace_writer::write(const trace_record& record) {
  if (impl_->closed) throw std::logic_error(impl_->path + ": trace write after close");
  to_proto(record, impl_->message);
  impl_->append(impl_->message);
  ++impl_->records;
}

void trace_writer::close() {
  if (impl_->closed) return;
  impl_->closed = true;  // set first: a close that failed is not retried by the destructor
  impl_->drain(ZSTD_e_end);
  if (std::fclose(impl_->file.release()) != 0)
    impl_->fail(std::string("cannot write trace file: ") + std::strerror(errno));
}

std::uint64_t trace_writer::bytes_written() const { return impl_->bytes; }
std::uint64_t trace_writer::records_written() const { return impl_->records; }

// ---- trace_reader ----------------------------------------------------------------

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
    if (stream.next() != message_stream::result::message ||
        !m.ParseFromArray(stream.data(), static_cast<int>(stream.size())) ||
        m.format_version() == 0)
      throw input_error(path + ": not an admf trace file");
    if (m.format_version() > supported_format_version)
      throw input_error(path + ": trace format version " + std::to_string(m.format_version()) +
                        " is newer than this admf reads (" +
                        std::to_string(supported_format_version) + ")");
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
        return path + ": corrupt record " + std::to_string(records + 1) + " at " +
               where(stream.offset());
    }
  }

  /// Offsets count the decompressed stream when the file is compressed.
  std::string where(std::uint64_t offset) const {
    return (stream.source().compressed() ? "decompressed byte " : "byte ") +
           std::to_string(offset);
  }
};

trace_reader::trace_reader(const std::string& path) {
  file_ptr file(std::fopen(path.c_str(), "rb"));
  if (!file) throw input_error(path + ": cannot open trace file: " + std::strerror(errno));
  const bool zstd = starts_with_zstd_magic(file.get());
  impl_ = std::make_unique<impl>(path, byte_source(std::move(file), zstd));
  impl_->read_header();
}

trace_reader::~trace_reader() = default;

const trace_header& trace_reader::header() const { return impl_->header; }

std::optional<trace_record> trace_reader::next() {
  auto& s = *impl_;
  if (s.done) return std::nullopt;
  const auto r = s.stream.next();
  trace_record record;
  if (r == message_stream::result::message &&
      s.message.ParseFromArray(s.stream.data(), static_cast<int>(s.stream.size())) &&
      from_proto(s.message, record)) {
    ++s.records;
    return record;
  }
  s.done = true;
  if (r != message_stream::result::end) s.damage = s.describe(r);
  return std::nullopt;
}

const std::optional<std::string>& trace_reader::damage() const { return impl_->damage; }

std::string encode_record(const trace_record& record) {
  proto::TraceRecord m;
  to_proto(record, m);
  return m.SerializeAsString();
}

bool decode_record(const std::string& bytes, trace_record& out) {
  proto::TraceRecord m;
  return m.ParseFromString(bytes) && from_proto(m, out);
}

} // namespace admf
