// The framing under trace files: length prefixes, zstd, and how damage shows.
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "events.pb.h"
#include "runtime/core/error.hpp"
#include "runtime/tracing/record_stream.hpp"

using namespace admf;
using admf::testing::temp_dir;
namespace fs = std::filesystem;

namespace {

message_stream open_stream(const std::string& path) {
  return message_stream{byte_source{file_ptr{std::fopen(path.c_str(), "rb")}}};
}

std::string current(const message_stream& s) { return std::string(s.data(), s.size()); }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// format_version 1, run_id "ab": field 1 varint (08 01), field 2 bytes (12 02 'a' 'b').
proto::TraceHeader small_header() {
  proto::TraceHeader m;
  m.set_format_version(1);
  m.set_run_id("ab");
  return m;
}
const std::string small_header_framed = std::string("\x06\x08\x01\x12\x02" "ab", 7);

using result = message_stream::result;

} // namespace

TEST_CASE("record stream: messages one by one, with their offsets", "[trace][record_stream]") {
  temp_dir dir;
  // 3 bytes "abc", an empty message, then 300 bytes: varint 300 = AC 02.
  const auto path = dir.write("m.bin", std::string("\x03" "abc" "\x00" "\xac\x02", 7)
                                         + std::string(300, 'z'));
  auto s = open_stream(path);
  REQUIRE(s.next() == result::message);
  CHECK(current(s) == "abc");
  CHECK(s.offset() == 0);
  REQUIRE(s.next() == result::message);
  CHECK(s.size() == 0);
  CHECK(s.offset() == 4);
  REQUIRE(s.next() == result::message);
  CHECK(current(s) == std::string(300, 'z'));
  CHECK(s.offset() == 5);
  CHECK(s.end_offset() == 307);
  CHECK(s.next() == result::end);
  CHECK_FALSE(s.source().compressed());
  CHECK(s.source().status() == byte_source::state::ended);
}

TEST_CASE("record stream: an empty file ends at once", "[trace][record_stream]") {
  temp_dir dir;
  auto s = open_stream(dir.write("empty.bin", ""));
  CHECK(s.next() == result::end);
}

TEST_CASE("record stream: a message cut short is truncated", "[trace][record_stream]") {
  temp_dir dir;
  SECTION("inside the body") {
    auto s = open_stream(dir.write("cut.bin", "\x05" "ab"));
    CHECK(s.next() == result::truncated);
    CHECK(s.end_offset() == 3);
  }
  SECTION("inside the length prefix") {
    auto s = open_stream(dir.write("cut.bin", std::string("\x01" "a" "\x80", 3)));
    CHECK(s.next() == result::message);
    CHECK(s.next() == result::truncated);
  }
}

TEST_CASE("record stream: impossible lengths are corrupt", "[trace][record_stream]") {
  temp_dir dir;
  SECTION("a prefix longer than a varint32's 5 bytes") {
    auto s = open_stream(dir.write("bad.bin", std::string(6, '\xff')));
    CHECK(s.next() == result::corrupt);
  }
  SECTION("a length over max_message_size (2^26 + 1 = 81 80 80 20)") {
    REQUIRE(max_message_size == (std::uint64_t{1} << 26));
    auto s = open_stream(dir.write("big.bin", std::string("\x81\x80\x80\x20", 4)));
    CHECK(s.next() == result::corrupt);
  }
}

TEST_CASE("record stream: the sink frames messages, plain or zstd", "[trace][record_stream]") {
  temp_dir dir;
  const auto plain = dir.file("plain.bin"), packed = dir.file("packed.bin");
  for (const auto& [path, compress] : {std::pair{plain, false}, std::pair{packed, true}}) {
    message_sink sink{path, compress};
    sink.append(small_header());
    sink.append(small_header());
    sink.close();
    CHECK(sink.bytes_written() == fs::file_size(path));
  }
  CHECK(slurp(plain) == small_header_framed + small_header_framed);
  CHECK(slurp(packed).compare(0, 4, "\x28\xb5\x2f\xfd") == 0);  // zstd magic, little-endian

  auto s = open_stream(packed);
  CHECK(s.source().compressed());
  for (int i = 0; i < 2; ++i) {
    REQUIRE(s.next() == result::message);
    CHECK(current(s) == small_header_framed.substr(1));
    CHECK(s.offset() == 7u * i);  // offsets count decompressed bytes
  }
  CHECK(s.next() == result::end);
}

TEST_CASE("record stream: a zstd file cut short, or corrupted", "[trace][record_stream]") {
  temp_dir dir;
  const auto path = dir.file("packed.bin");
  {
    message_sink sink{path, true};
    sink.append(small_header());
    sink.close();
  }
  const auto whole = slurp(path);
  SECTION("cut before the frame's end: truncated, the source says cut short") {
    // The frame header, then nothing: no complete block ever arrives.
    auto s = open_stream(dir.write("cut.bin", whole.substr(0, 6)));
    CHECK(s.next() == result::truncated);
    CHECK(s.source().status() == byte_source::state::cut_short);
  }
  SECTION("garbage after the magic: failed, with the reason") {
    auto s = open_stream(dir.write("bad.bin", whole.substr(0, 4) + std::string(32, '\xff')));
    CHECK(s.next() == result::failed);
    CHECK(s.source().status() == byte_source::state::failed);
    CHECK(s.source().failure().rfind("corrupt compressed data at byte ", 0) == 0);
  }
}

TEST_CASE("record stream: a sink that cannot create its file says where", "[trace][record_stream]") {
  temp_dir dir;
  const auto path = dir.file("missing/dir/x.bin");
  CHECK_THROWS_MATCHES(message_sink(path, false), io_error,
                       Catch::Message(path + ": cannot create trace file: No such file or directory"));
}
