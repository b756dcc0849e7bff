// The bar file (*.admfbars): one data source's parsed bars in columns, so that a later
// run or sweep worker maps them into memory instead of parsing the CSV again. Written
// by `admf data import` and by the automatic cache (runtime/data/bar_cache.hpp).
//
// Layout, version 2, all numbers in the writer's byte order (checked on reading):
//   offset 0   header, 128 bytes:
//                char[8]  magic "ADMFBARS"
//                u32      format version (bar_file_version)
//                u32      byte order mark 0x01020304
//                u64      bar count N
//                u64      file size in bytes
//                u64      metadata offset, u64 metadata size
//                u64[8]   column offsets: time, symbol, open, high, low, close, volume,
//                         dividend
//                u8[16]   key: what the bars were made from (the cache's XXH3-128 of the
//                         CSV bytes and parse options), zeros if the writer gave none
//   metadata   strings stored as u32 length + bytes: the source description, the
//              source's `timezone:` ("" = UTC; it decides timeframe buckets), then u32
//              symbol count and the names, then u32 report count and per bad-bar
//              report its path, u32 action, u64 count and first, then u32 count and per
//              missing-row report (on_missing: skip) its path, u64 count and first
//   columns    each on a 64-byte boundary: time int64[N] (ns since the epoch, UTC),
//              symbol uint32[N] (index into the names), open, high, low, close,
//              volume, dividend double[N] (dividend: cash per share on an ex-date bar)
// Files are written under a unique temporary name and renamed into place, so two
// writers of the same path leave one of the two whole files, never a torn one.
// Reading checks every size against the header, the symbol indexes, the (time, symbol)
// order and every bar as the CSV loader does (finite positive prices, low <= open,
// close <= high, finite volume and dividend >= 0); there is no checksum of the payload,
// so a changed value inside those bounds is read as it is.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "runtime/data/source_bars.hpp"

namespace admf {

/// Raised whenever the layout above changes; older files are then refused.
constexpr std::uint32_t bar_file_version = 2;

/// The conventional extension of bar files (detection is by the magic, not the name).
constexpr const char* bar_file_extension = ".admfbars";

using bar_file_key = std::array<std::uint8_t, 16>;

/// What a bar file holds.
struct bar_file_contents {
  source_bars bars;
  bar_file_key key{};
  std::string source;  ///< what the bars were made from, e.g. "data/spy.csv (ohlcv, SPY)"
  /// The source's `timezone:` the bars were made with, "" for UTC. The times are UTC
  /// whatever it is; it is kept because it also decides the days (and sub-day buckets)
  /// of timeframes, so a config naming the file must say the same zone.
  std::string timezone;
};

/// Whether the file at `path` starts with the bar file magic; false if it cannot be read.
bool is_bar_file(const std::string& path);

/// Writes a bar file to `path` atomically (see above). Throws io_error "PATH: what
/// failed: OS error" and then leaves no temporary file behind.
void write_bar_file(const std::string& path, const bar_file_contents& contents);

/// Reads the bar file at `path` through a read-only memory map. Throws input_error
/// "PATH: what is wrong" for a file that cannot be opened, is not a bar file, has
/// another format version or byte order, is truncated, or whose sizes, symbol indexes
/// or bar order contradict the header; "PATH: damaged bar file: bar N cannot be a bar
/// (open .., high .., low .., close .., volume .., dividend ..)" for values the CSV
/// loader would refuse (N counts from 1).
bar_file_contents read_bar_file(const std::string& path);

}  // namespace admf
