#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include <google/protobuf/io/coded_stream.h>

#include "events.pb.h"
#include "runtime/core/error.hpp"
#include "runtime/tracing/trace_codec.hpp"
#include "runtime/tracing/trace_file.hpp"

using namespace admf;
namespace fs = std::filesystem;

namespace {

using admf::testing::temp_dir;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

trace_header sample_header() {
  trace_header h;
  h.run_id = "00c0ffee12345678";
  h.container = "portfolio_sma";
  h.containers = {"data", "strategy_sma", "portfolio_sma", "risk"};
  h.symbols = {"SPX", "NDX", "EURUSD"};
  return h;
}

/// Header and times shared by the sample records; each record varies them by `i`.
trace_record make_record(event_type type, event_payload payload, std::uint64_t i) {
  trace_record r;
  r.ev.header.id = (std::uint64_t{7} << 40) | (1000 + i);
  r.ev.header.correlation = 0xfedcba9876543210ull + i;
  r.ev.header.causation = 0x0123456789abcdefull + i;
  r.ev.header.sequence = 1000 + i;
  r.ev.header.time = -86'400'000'000'000 + static_cast<timestamp>(i);  // before the epoch
  r.ev.header.source = 7;
  r.ev.header.type = type;
  r.ev.payload = std::move(payload);
  r.times = {1'700'000'000'000'000'001 + static_cast<std::int64_t>(i),
             1'700'000'000'000'000'202, 1'700'000'000'000'000'303,
             1'700'000'000'000'000'404};
  r.ev.header.created_ns = r.times.created;  // as the tracer records it
  r.partition_key = "portfolio_sma/SPX/" + std::to_string(i);
  r.observed_at = 3;
  return r;
}

/// One record of every event type, every field set and no two alike.
std::vector<trace_record> every_type() {
  std::vector<trace_record> out;
  out.push_back(make_record(event_type::bar, bar_data{2, 101.25, 103.5, 99.75, 102.125, 12345.5, 0.22}, 0));
  out.push_back(make_record(event_type::signal,
                            signal_data{11, 1, direction::short_, 0.625, 42.5,
                                        order_kind::stop_limit, 98.5, 97.25,
                                        signal_action::replace, target_kind::weight, -0.375,
                                        1.5, 0.0625, time_in_force::gtd, 86'400'000, 90.5,
                                        110.25},
                            1));
  out.push_back(make_record(event_type::order,
                            order_data{0x8000000000000123ull, 12, 13, 2, side::sell,
                                       order_kind::trailing_stop, 17.5, 2500.75, 96.5, 95.125,
                                       2.25, 0.03125, time_in_force::fok, 172'800'000, 80.5,
                                       120.75, 0x8000000000000122ull},
                            2));
  out.push_back(make_record(event_type::fill,
                            fill_data{0x8000000000000456ull, 14, 15, 1, side::sell, 19.25,
                                      101.0625, 1.75, 80.75, 300125.5},
                            3));
  out.push_back(make_record(event_type::order_cancel,
                            order_cancel_data{0x8000000000000789ull, 16, 17, 2,
                                              cancel_reason::insufficient_margin, side::sell,
                                              750.5},
                            4));
  out.push_back(make_record(event_type::position_open,
                            position_data{555, 18, 19, 1, -23.5, 104.25, 0, -3'600'000'000'000,
                                          2.5, 0},
                            5));
  out.push_back(make_record(event_type::position_close,
                            position_data{556, 20, 21, 2, 31.75, 88.5, 91.25, 1'234'567'890'123,
                                          3.125, 84.1875, 0.4375, -1.875},
                            6));
  out.push_back(make_record(event_type::portfolio_update,
                            portfolio_update_data{22, -1500.5, 98765.25, 43210.125, -20000.75}, 7));
  out.push_back(make_record(event_type::risk_reject,
                            risk_reject_data{23, 24, 1, reject_reason::insufficient_cash, 0.2,
                                             0.3125},
                            8));
  out.push_back(make_record(event_type::liquidation,
                            liquidation_data{25, liquidation_reason::margin_call, 2000.5, 9000.25,
                                             2250.0625},
                            9));
  out.push_back(make_record(event_type::position_snapshot,
                            position_data{557, 26, 27, 1, 0.2941, 34000.5, 35000.25, 86'400, 1.5,
                                          292.53},
                            10));
  return out;
}

void check_payload(const bar_data& a, const bar_data& b) {
  CHECK(a.symbol == b.symbol);
  CHECK(a.open == b.open);
  CHECK(a.high == b.high);
  CHECK(a.low == b.low);
  CHECK(a.close == b.close);
  CHECK(a.volume == b.volume);
  CHECK(a.dividend == b.dividend);
}

void check_payload(const signal_data& a, const signal_data& b) {
  CHECK(a.strategy == b.strategy);
  CHECK(a.symbol == b.symbol);
  CHECK(a.target == b.target);
  CHECK(a.strength == b.strength);
  CHECK(a.quantity == b.quantity);
  CHECK(a.kind == b.kind);
  CHECK(a.limit_price == b.limit_price);
  CHECK(a.stop_price == b.stop_price);
  CHECK(a.action == b.action);
  CHECK(a.sizing == b.sizing);
  CHECK(a.target_value == b.target_value);
  CHECK(a.trail_amount == b.trail_amount);
  CHECK(a.trail_percent == b.trail_percent);
  CHECK(a.tif == b.tif);
  CHECK(a.expire_time == b.expire_time);
  CHECK(a.stop_loss == b.stop_loss);
  CHECK(a.take_profit == b.take_profit);
}

void check_payload(const order_data& a, const order_data& b) {
  CHECK(a.order_id == b.order_id);
  CHECK(a.portfolio == b.portfolio);
  CHECK(a.strategy == b.strategy);
  CHECK(a.symbol == b.symbol);
  CHECK(a.action == b.action);
  CHECK(a.kind == b.kind);
  CHECK(a.quantity == b.quantity);
  CHECK(a.budget == b.budget);
  CHECK(a.limit_price == b.limit_price);
  CHECK(a.stop_price == b.stop_price);
  CHECK(a.trail_amount == b.trail_amount);
  CHECK(a.trail_percent == b.trail_percent);
  CHECK(a.tif == b.tif);
  CHECK(a.expire_time == b.expire_time);
  CHECK(a.stop_loss == b.stop_loss);
  CHECK(a.take_profit == b.take_profit);
  CHECK(a.oco_group == b.oco_group);
}

void check_payload(const fill_data& a, const fill_data& b) {
  CHECK(a.order_id == b.order_id);
  CHECK(a.portfolio == b.portfolio);
  CHECK(a.strategy == b.strategy);
  CHECK(a.symbol == b.symbol);
  CHECK(a.action == b.action);
  CHECK(a.quantity == b.quantity);
  CHECK(a.price == b.price);
  CHECK(a.commission == b.commission);
  CHECK(a.remaining == b.remaining);
  CHECK(a.month_to_date == b.month_to_date);
}

void check_payload(const order_cancel_data& a, const order_cancel_data& b) {
  CHECK(a.order_id == b.order_id);
  CHECK(a.portfolio == b.portfolio);
  CHECK(a.strategy == b.strategy);
  CHECK(a.symbol == b.symbol);
  CHECK(a.reason == b.reason);
  CHECK(a.action == b.action);
  CHECK(a.cut_quantity == b.cut_quantity);
}

void check_payload(const liquidation_data& a, const liquidation_data& b) {
  CHECK(a.portfolio == b.portfolio);
  CHECK(a.reason == b.reason);
  CHECK(a.equity == b.equity);
  CHECK(a.gross_exposure == b.gross_exposure);
  CHECK(a.requirement == b.requirement);
}

void check_payload(const position_data& a, const position_data& b) {
  CHECK(a.trade_id == b.trade_id);
  CHECK(a.portfolio == b.portfolio);
  CHECK(a.strategy == b.strategy);
  CHECK(a.symbol == b.symbol);
  CHECK(a.quantity == b.quantity);
  CHECK(a.entry_price == b.entry_price);
  CHECK(a.exit_price == b.exit_price);
  CHECK(a.entry_time == b.entry_time);
  CHECK(a.commission == b.commission);
  CHECK(a.pnl == b.pnl);
  CHECK(a.borrow_fee == b.borrow_fee);
  CHECK(a.dividends == b.dividends);
}

void check_payload(const portfolio_update_data& a, const portfolio_update_data& b) {
  CHECK(a.portfolio == b.portfolio);
  CHECK(a.cash == b.cash);
  CHECK(a.equity == b.equity);
  CHECK(a.gross_exposure == b.gross_exposure);
  CHECK(a.net_exposure == b.net_exposure);
}

void check_payload(const risk_reject_data& a, const risk_reject_data& b) {
  CHECK(a.portfolio == b.portfolio);
  CHECK(a.strategy == b.strategy);
  CHECK(a.symbol == b.symbol);
  CHECK(a.reason == b.reason);
  CHECK(a.limit == b.limit);
  CHECK(a.observed == b.observed);
}

void check_same(const trace_record& a, const trace_record& b) {
  CHECK(a.ev.header.id == b.ev.header.id);
  CHECK(a.ev.header.correlation == b.ev.header.correlation);
  CHECK(a.ev.header.causation == b.ev.header.causation);
  CHECK(a.ev.header.sequence == b.ev.header.sequence);
  CHECK(a.ev.header.time == b.ev.header.time);
  CHECK(a.ev.header.created_ns == b.ev.header.created_ns);
  CHECK(a.ev.header.source == b.ev.header.source);
  CHECK(a.ev.header.type == b.ev.header.type);
  CHECK(a.times.created == b.times.created);
  CHECK(a.times.emitted == b.times.emitted);
  CHECK(a.times.received == b.times.received);
  CHECK(a.times.processed == b.times.processed);
  CHECK(a.partition_key == b.partition_key);
  CHECK(a.observed_at == b.observed_at);
  REQUIRE(a.ev.payload.index() == b.ev.payload.index());
  std::visit(
    [&b](const auto& x) { check_payload(x, std::get<std::decay_t<decltype(x)>>(b.ev.payload)); },
    a.ev.payload);
}

/// `n` records cycling through every type, with varying ids, times and prices.
std::vector<trace_record> many_records(std::size_t n) {
  const auto types = every_type();
  std::vector<trace_record> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    trace_record r = types[i % types.size()];
    r.ev.header.id += i;
    r.ev.header.sequence += i;
    r.ev.header.time += static_cast<timestamp>(i) * 60 * ns_per_second;
    r.times.created += static_cast<std::int64_t>(i) * 1'337;
    r.ev.header.created_ns = r.times.created;
    if (auto* bar = std::get_if<bar_data>(&r.ev.payload)) bar->close += 0.01 * (i % 500);
    out.push_back(std::move(r));
  }
  return out;
}

std::uint64_t write_trace(const std::string& path, const std::vector<trace_record>& records,
                          bool compress) {
  trace_writer w(path, sample_header(), compress);
  for (const auto& r : records) w.write(r);
  w.close();
  return w.bytes_written();
}

struct read_result {
  std::vector<trace_record> records;
  std::optional<std::string> damage;
};

read_result read_trace(const std::string& path) {
  trace_reader reader(path);
  read_result out;
  while (auto r = reader.next()) out.records.push_back(std::move(*r));
  out.damage = reader.damage();
  return out;
}

/// Start offset of every length-delimited message in a plain trace, header first.
std::vector<std::size_t> message_offsets(const std::string& bytes) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  std::vector<std::size_t> offsets;
  std::uint32_t size = 0;
  for (;;) {
    const auto at = static_cast<std::size_t>(in.CurrentPosition());
    if (!in.ReadVarint32(&size) || !in.Skip(static_cast<int>(size))) break;
    offsets.push_back(at);
  }
  return offsets;
}

/// Records whose length prefix takes two bytes, so a cut can land inside it.
std::vector<trace_record> long_records(std::size_t n) {
  auto records = many_records(n);
  for (auto& r : records) r.partition_key += std::string(150, 'k');
  return records;
}

void check_prefix(const read_result& got, const std::vector<trace_record>& want,
                  std::size_t count) {
  REQUIRE(got.records.size() == count);
  for (std::size_t i = 0; i < count; ++i) check_same(got.records[i], want[i]);
}

} // namespace

TEST_CASE("trace file: every payload type round-trips field by field", "[trace_file]") {
  temp_dir dir;
  const bool compress = GENERATE(false, true);
  const std::string path = dir.file(compress ? "events.pb.zst" : "events.pb");
  const auto records = every_type();
  trace_writer w(path, sample_header(), compress);
  for (const auto& r : records) w.write(r);
  w.close();
  CHECK(w.records_written() == records.size());
  CHECK(w.bytes_written() == fs::file_size(path));

  trace_reader reader(path);
  const auto& h = reader.header();
  CHECK(h.format_version == 2);
  CHECK(h.run_id == "00c0ffee12345678");
  CHECK(h.container == "portfolio_sma");
  CHECK(h.containers == sample_header().containers);
  CHECK(h.symbols == sample_header().symbols);
  for (const auto& want : records) {
    auto got = reader.next();
    REQUIRE(got);
    check_same(*got, want);
  }
  CHECK_FALSE(reader.next());
  CHECK_FALSE(reader.damage());
  REQUIRE(reader.end());
  CHECK_FALSE(reader.end()->interrupted);
  CHECK(reader.end()->records == records.size());
}

TEST_CASE("trace file: encode and decode agree, and decode rejects bad records",
          "[trace_file]") {
  for (const auto& want : every_type()) {
    trace_record got;
    REQUIRE(decode_record(encode_record(want), got));
    check_same(got, want);
  }
  trace_record ignored;
  CHECK_FALSE(decode_record("\xff\xff\xff", ignored));
  CHECK_FALSE(decode_record("", ignored));  // no event at all

  proto::TraceRecord unknown_type;
  unknown_type.ParseFromString(encode_record(every_type()[0]));
  unknown_type.mutable_event()->set_type(static_cast<proto::EventType>(42));
  CHECK_FALSE(decode_record(unknown_type.SerializeAsString(), ignored));

  proto::TraceRecord unknown_reason;
  unknown_reason.ParseFromString(encode_record(every_type()[8]));
  unknown_reason.mutable_event()->mutable_risk_reject()->set_reason(10);  // one past the last reason
  CHECK_FALSE(decode_record(unknown_reason.SerializeAsString(), ignored));

  // A payload that is not its type's (a BAR's data on an ORDER_CANCEL): readers take
  // payloads by type, so the record is damaged (fuzz_trace found admf trace aborting).
  for (const auto& want : every_type()) {
    proto::TraceRecord retyped;
    retyped.ParseFromString(encode_record(want));
    const bool is_bar = want.ev.header.type == admf::event_type::bar;
    retyped.mutable_event()->set_type(is_bar ? proto::EventType(4) : proto::EventType(0));
    CHECK_FALSE(decode_record(retyped.SerializeAsString(), ignored));
  }
}

TEST_CASE("trace codec: headers keep their names, a reused message is overwritten whole",
          "[trace_file]") {
  trace_header h;
  h.run_id = "00000000000000ff";
  h.container = "pf";
  h.containers = {"backtest", "", "pf"};  // an unnamed slot stays a slot
  h.symbols = {"SPX", "NDX"};
  proto::TraceHeader m;
  to_proto(h, m);
  CHECK(m.format_version() == 2);
  const auto back = from_proto(m);
  CHECK(back.format_version == 2);
  CHECK(back.run_id == h.run_id);
  CHECK(back.container == "pf");
  CHECK(back.containers == h.containers);
  CHECK(back.symbols == h.symbols);

  // The writer reuses one TraceRecord: a bar after a fill must not keep the fill.
  const auto records = every_type();
  proto::TraceRecord reused;
  to_proto(records[3], reused);
  to_proto(records[0], reused);
  trace_record got;
  REQUIRE(from_proto(reused, got));
  check_same(got, records[0]);
}

TEST_CASE("trace file: 200k records round-trip, compressed much smaller", "[trace_file]") {
  temp_dir dir;
  const auto records = many_records(200'000);
  const auto plain = write_trace(dir.file("plain.pb"), records, false);
  const auto packed = write_trace(dir.file("packed.pb.zst"), records, true);
  CHECK(packed * 4 < plain);
  for (const char* name : {"plain.pb", "packed.pb.zst"}) {
    INFO(name);
    const auto got = read_trace(dir.file(name));
    CHECK_FALSE(got.damage);
    REQUIRE(got.records.size() == records.size());
    for (std::size_t i = 0; i < records.size(); i += 997) check_same(got.records[i], records[i]);
    check_same(got.records.back(), records.back());
  }
}

TEST_CASE("trace file: a truncated plain file yields the complete records before the cut",
          "[trace_file]") {
  temp_dir dir;
  const std::string path = dir.file("events.pb");
  const auto records = long_records(50);
  write_trace(path, records, false);
  const std::string bytes = read_bytes(path);
  const auto offsets = message_offsets(bytes);
  REQUIRE(offsets.size() == records.size() + 2);  // the header, the records, the end record

  SECTION("mid-header is not a trace file") {
    write_bytes(path, bytes.substr(0, offsets[1] / 2));
    CHECK_THROWS_MATCHES(trace_reader(path), input_error,
                         Catch::Message(path + ": not an admf trace file"));
  }
  SECTION("mid-record") {
    // Record k+1 starts at offsets[k+1]: cut inside its prefix, its body, or at its last byte.
    for (const std::size_t k : {0, 17, 49}) {
      const std::size_t start = offsets[k + 1];
      const std::size_t end = k + 2 < offsets.size() ? offsets[k + 2] : bytes.size();
      for (const std::size_t cut : {start + 1, start + 5, end - 1}) {
        INFO("cut at " << cut << " inside record " << k + 1);
        write_bytes(path, bytes.substr(0, cut));
        const auto got = read_trace(path);
        check_prefix(got, records, k);
        REQUIRE(got.damage);
        CHECK(*got.damage == path + ": cut after " + std::to_string(k) +
                               " records (no end record; truncated at byte " +
                               std::to_string(cut) + ")");
      }
    }
  }
}

TEST_CASE("trace file: garbage after the end record is damage", "[trace_file]") {
  temp_dir dir;
  const std::string path = dir.file("events.pb");
  const auto records = many_records(30);
  write_trace(path, records, false);
  const std::string bytes = read_bytes(path);

  SECTION("text: its first byte reads as a length the file cannot satisfy") {
    write_bytes(path, bytes + "this is not a record\n");
    const auto got = read_trace(path);
    check_prefix(got, records, 30);
    REQUIRE(got.damage);
    CHECK(*got.damage == path + ": truncated at byte " + std::to_string(bytes.size() + 21) +
                           " after the end record");
  }
  SECTION("an over-long length prefix") {
    write_bytes(path, bytes + std::string(8, '\xff'));
    const auto got = read_trace(path);
    check_prefix(got, records, 30);
    REQUIRE(got.damage);
    CHECK(*got.damage ==
          path + ": data after the end record at byte " + std::to_string(bytes.size()));
  }
  SECTION("an absurd length") {
    write_bytes(path, bytes + std::string("\xff\xff\xff\xff\x0f") + std::string(100, 'x'));
    const auto got = read_trace(path);
    check_prefix(got, records, 30);
    REQUIRE(got.damage);
    CHECK(*got.damage ==
          path + ": data after the end record at byte " + std::to_string(bytes.size()));
  }
}

TEST_CASE("trace file: a corrupt record in the middle stops the reading there",
          "[trace_file]") {
  temp_dir dir;
  const std::string path = dir.file("events.pb");
  const auto records = long_records(40);
  write_trace(path, records, false);
  std::string bytes = read_bytes(path);
  const auto offsets = message_offsets(bytes);
  const std::size_t k = 20;  // records before the damage
  const std::size_t at = offsets[k + 1];

  SECTION("garbage body") {
    const std::size_t body = at + 2;  // two-byte length prefix
    std::fill(bytes.begin() + body, bytes.begin() + offsets[k + 2], '\xff');
  }
  SECTION("a zero length") {
    bytes[at] = '\0';  // an empty record holds no event
  }
  write_bytes(path, bytes);
  const auto got = read_trace(path);
  check_prefix(got, records, k);
  REQUIRE(got.damage);
  CHECK(*got.damage == path + ": corrupt record " + std::to_string(k + 1) + " at byte " +
                         std::to_string(at));
}

TEST_CASE("trace file: damaged zstd files", "[trace_file]") {
  temp_dir dir;
  const std::string path = dir.file("events.pb.zst");
  const auto records = many_records(20'000);
  write_trace(path, records, true);
  write_trace(dir.file("plain.pb"), records, false);  // its size: the decompressed size
  const std::string bytes = read_bytes(path);

  SECTION("cut short: the records decoded before the cut, then damage") {
    for (const std::size_t cut : {bytes.size() / 4, bytes.size() / 2}) {
      INFO("cut at " << cut << " of " << bytes.size());
      write_bytes(path, bytes.substr(0, cut));
      const auto got = read_trace(path);
      CHECK(got.records.size() < records.size());
      check_prefix(got, records, got.records.size());
      REQUIRE(got.damage);
      CHECK_THAT(*got.damage,
                 Catch::StartsWith(path + ": cut after " + std::to_string(got.records.size()) +
                                   " records (no end record; truncated at decompressed byte ") &&
                   Catch::EndsWith(")"));
    }
  }
  SECTION("cut inside the closing checksum: every record and the end record, yet damage") {
    write_bytes(path, bytes.substr(0, bytes.size() - 1));
    const auto got = read_trace(path);
    check_prefix(got, records, records.size());
    REQUIRE(got.damage);
    CHECK(*got.damage == path + ": truncated at decompressed byte " +
                           std::to_string(read_bytes(dir.file("plain.pb")).size()) +
                           " after the end record");
  }
  SECTION("cut inside the header") {
    write_bytes(path, bytes.substr(0, 12));
    CHECK_THROWS_MATCHES(trace_reader(path), input_error,
                         Catch::Message(path + ": not an admf trace file"));
  }
  SECTION("garbage after the frame") {
    write_bytes(path, bytes + "trailing garbage");
    const auto got = read_trace(path);
    check_prefix(got, records, records.size());
    REQUIRE(got.damage);
    CHECK_THAT(*got.damage, Catch::StartsWith(path + ": corrupt compressed data at byte ") &&
                              Catch::EndsWith(" after the end record"));
  }
  SECTION("a flipped byte is caught, at the latest by the frame checksum") {
    std::string broken = bytes;
    broken[broken.size() / 2] ^= 0x5a;
    write_bytes(path, broken);
    const auto got = read_trace(path);
    REQUIRE(got.damage);
    CHECK_THAT(*got.damage, Catch::StartsWith(path + ": "));
  }
}

TEST_CASE("trace file: missing and foreign files are input errors", "[trace_file]") {
  temp_dir dir;
  const std::string missing = dir.file("nope.pb");
  CHECK_THROWS_MATCHES(trace_reader(missing), input_error,
                       Catch::Message(missing + ": cannot open trace file: No such file or directory"));

  const std::string empty = dir.file("empty.pb");
  write_bytes(empty, "");
  CHECK_THROWS_MATCHES(trace_reader(empty), input_error,
                       Catch::Message(empty + ": not an admf trace file"));

  const std::string csv = dir.file("prices.csv");
  write_bytes(csv, "date,open,high,low,close,volume\n2020-01-02,1,2,0.5,1.5,100\n");
  CHECK_THROWS_MATCHES(trace_reader(csv), input_error,
                       Catch::Message(csv + ": not an admf trace file"));
}

TEST_CASE("trace file: writing after close is an error", "[trace_file]") {
  temp_dir dir;
  trace_writer w(dir.file("events.pb"), sample_header(), false);
  w.write(every_type()[0]);
  w.close();
  CHECK_THROWS_AS(w.write(every_type()[0]), std::logic_error);
  CHECK(w.records_written() == 1);
}

namespace {

/// `messages` framed as a trace file frames them: each after its varint32 length.
std::string framed(const std::vector<std::string>& messages) {
  std::string out;
  for (const auto& m : messages) {
    std::size_t n = m.size();
    do {
      out += static_cast<char>((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>= 7;
    } while (n != 0);
    out += m;
  }
  return out;
}

std::string header_bytes(std::uint32_t version) {
  auto h = sample_header();
  h.format_version = version;
  proto::TraceHeader m;
  to_proto(h, m);
  return m.SerializeAsString();
}

std::string end_bytes(const trace_end& end) {
  proto::TraceRecord m;
  to_proto(end, m);
  return m.SerializeAsString();
}

} // namespace

TEST_CASE("trace file: the end record says whether the run ended or was interrupted",
          "[trace_file]") {
  temp_dir dir;
  const std::string path = dir.file("events.pb");
  const auto records = many_records(12);
  {
    trace_writer w(path, sample_header(), false);
    for (const auto& r : records) w.write(r);
    w.close("SIGTERM");
  }
  auto got = read_trace(path);
  check_prefix(got, records, 12);
  CHECK_FALSE(got.damage);
  trace_reader reader(path);
  while (reader.next()) {
  }
  REQUIRE(reader.end());
  CHECK(reader.end()->interrupted);
  CHECK(reader.end()->reason == "SIGTERM");
  CHECK(reader.end()->records == 12);
  CHECK(reader.records_read() == 12);

  // The end record is the last message: TraceRecord field 8 {interrupted: true,
  // reason: "SIGTERM", records: 12}, encoded by hand.
  const std::string bytes = read_bytes(path);
  const std::string end = "\x42\x0d\x08\x01\x12\x07SIGTERM\x18\x0c";
  REQUIRE(bytes.size() > end.size() + 1);
  CHECK(bytes.substr(bytes.size() - end.size() - 1) == std::string(1, '\x0f') + end);
}

TEST_CASE("trace file: a file without its end record reads as cut", "[trace_file]") {
  temp_dir dir;
  const std::string path = dir.file("events.pb");
  const auto records = many_records(25);

  SECTION("its writer destroyed unclosed (a run that failed): every record, then cut") {
    const bool compress = GENERATE(false, true);
    {
      trace_writer w(path, sample_header(), compress);
      for (const auto& r : records) w.write(r);
    }
    const auto got = read_trace(path);
    check_prefix(got, records, 25);
    REQUIRE(got.damage);
    CHECK(*got.damage == path + ": cut after 25 records (no end record)");
  }
  SECTION("cut at a record boundary") {
    std::vector<std::string> messages{header_bytes(2)};
    for (std::size_t i = 0; i < 7; ++i) messages.push_back(encode_record(records[i]));
    write_bytes(path, framed(messages));
    trace_reader reader(path);
    std::size_t n = 0;
    while (reader.next()) ++n;
    CHECK(n == 7);
    CHECK_FALSE(reader.end());
    REQUIRE(reader.damage());
    CHECK(*reader.damage() == path + ": cut after 7 records (no end record)");
  }
}

TEST_CASE("trace file: an end record that is not the last or miscounts is damage",
          "[trace_file]") {
  temp_dir dir;
  const std::string path = dir.file("events.pb");
  const auto records = many_records(3);
  std::vector<std::string> messages{header_bytes(2)};
  for (const auto& r : records) messages.push_back(encode_record(r));

  SECTION("an end record counting 5 records after 3") {
    messages.push_back(end_bytes({false, "", 5}));
    write_bytes(path, framed(messages));
    const auto got = read_trace(path);
    check_prefix(got, records, 3);
    REQUIRE(got.damage);
    CHECK(*got.damage == path + ": the end record counts 5 records, the file holds 3");
  }
  SECTION("a record after the end record") {
    messages.push_back(end_bytes({false, "", 3}));
    const std::size_t at = framed(messages).size();
    messages.push_back(encode_record(records[0]));
    write_bytes(path, framed(messages));
    const auto got = read_trace(path);
    check_prefix(got, records, 3);
    REQUIRE(got.damage);
    CHECK(*got.damage == path + ": data after the end record at byte " + std::to_string(at));
  }
}

TEST_CASE("trace file: format 1 files (no end record) still read, format 3 is refused",
          "[trace_file]") {
  temp_dir dir;
  const std::string path = dir.file("events.pb");
  const auto records = many_records(4);
  std::vector<std::string> messages{header_bytes(1)};
  for (const auto& r : records) messages.push_back(encode_record(r));
  const std::string bytes = framed(messages);

  write_bytes(path, bytes);
  auto got = read_trace(path);
  check_prefix(got, records, 4);
  CHECK_FALSE(got.damage);  // format 1 never had an end record: not cut
  CHECK(trace_reader(path).header().format_version == 1);

  write_bytes(path, bytes.substr(0, bytes.size() - 3));
  got = read_trace(path);
  check_prefix(got, records, 3);
  REQUIRE(got.damage);
  CHECK(*got.damage == path + ": truncated at byte " + std::to_string(bytes.size() - 3) +
                         " after 3 records");

  write_bytes(path, framed({header_bytes(3)}));
  CHECK_THROWS_MATCHES(trace_reader(path), input_error,
                       Catch::Message(path + ": trace format version 3 is newer than this admf "
                                             "reads (2)"));
}
