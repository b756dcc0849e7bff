// Bar files and the automatic data cache: the layout as documented, every field back
// as written, damaged files refused with their reason, keys that follow the content
// and the options, results unchanged by the cache, and concurrent writers.
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "apps/engine/backtest.hpp"
#include "runtime/core/error.hpp"
#include "runtime/data/bar_cache.hpp"
#include "runtime/data/bar_file.hpp"
#include "runtime/data/market_data.hpp"
#include "runtime/strategy/checked_config.hpp"

using namespace admf;
using admf::testing::files_in;
using admf::testing::temp_dir;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

const std::string data_dir = std::string(ADMF_SOURCE_DIR) + "/data/";

bar_file_contents sample_contents() {
  bar_file_contents c;
  c.source = "prices.csv (wide, A,BB)";
  c.timezone = "Europe/Zurich";
  c.bars.symbols = {"A", "BB"};
  // Every field distinct, with values a narrower type or a mixed-up column would spoil.
  c.bars.bars = {
    {-86'400'000'000'000, {0, 1.5, 2.25, 1.125, 2.0, 0}},
    {-86'400'000'000'000, {1, 100.0001, 101.5, 99.75, 100.5, 1e15}},
    {1'600'000'000'123'456'789, {1, 3e-300, 7.5, 1e-300, 5.0, 12345.678, 0.25}},
  };
  c.bars.bad_bars = {{"prices.csv", bad_bar_policy::repair, 2,
                      "prices.csv:5: column 'A': 0.9 is below low 1"}};
  for (std::size_t i = 0; i < c.key.size(); ++i)
    c.key[i] = static_cast<std::uint8_t>(0xA0 + i);
  return c;
}

bool same_bars(const std::vector<timed_bar>& a, const std::vector<timed_bar>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const timed_bar& x, const timed_bar& y) {
                      return x.time == y.time && x.bar.symbol == y.bar.symbol
                             && x.bar.open == y.bar.open && x.bar.high == y.bar.high
                             && x.bar.low == y.bar.low && x.bar.close == y.bar.close
                             && x.bar.volume == y.bar.volume
                             && x.bar.dividend == y.bar.dividend;
                    });
}

bool same_reports(const std::vector<bad_bar_report>& a, const std::vector<bad_bar_report>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const bad_bar_report& x, const bad_bar_report& y) {
                      return x.path == y.path && x.action == y.action && x.count == y.count
                             && x.first == y.first;
                    });
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

template <class T>
void patch(std::string& bytes, std::size_t offset, T value) {
  std::memcpy(bytes.data() + offset, &value, sizeof value);
}

template <class T>
T peek(const std::string& bytes, std::size_t offset) {
  T v;
  std::memcpy(&v, bytes.data() + offset, sizeof v);
  return v;
}

data_source_config csv_source(const std::string& path, const std::string& symbol = "SYM") {
  data_source_config s;
  s.csv = s.path = path;
  s.symbol = symbol;
  return s;
}

/// Warnings sent to spdlog while it lives, and the default logger restored after.
class captured_log {
public:
  captured_log() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text_);
    auto logger = std::make_shared<spdlog::logger>("bar_cache_test", sink);
    logger->set_pattern("%v");
    spdlog::set_default_logger(logger);
  }
  ~captured_log() { spdlog::set_default_logger(previous_); }
  std::string text() const { return text_.str(); }

private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream text_;
};

const std::string small_csv = "datetime,open,high,low,close,volume\n"
                              "2020-01-02,10,11,9,10.5,100\n"
                              "2020-01-03,10.5,12,10,11.5,200\n"
                              "2020-01-06,11.5,11.75,0.5,11,300\n";

/// A file with one bar whose close lies above its high, repaired under on_bad_bar: repair.
const std::string repairable_csv = "date,open,high,low,close,volume\n"
                                   "2020-01-02,10,11,9,10.5,100\n"
                                   "2020-01-03,10.5,12,10,12.5,200\n";

}  // namespace

TEST_CASE("bar_cache: a bar file gives back every field as written", "[bar_cache]") {
  temp_dir dir;
  const std::string path = dir.file("a.admfbars");
  bar_file_contents written = sample_contents();
  written.bars.missing_rows = {{"prices.csv", 3, "prices.csv:7: column 'A': missing price 'null'"}};
  write_bar_file(path, written);
  REQUIRE(is_bar_file(path));
  const bar_file_contents read = read_bar_file(path);
  CHECK(read.source == written.source);
  CHECK(read.timezone == "Europe/Zurich");
  CHECK(read.key == written.key);
  CHECK(read.bars.symbols == written.bars.symbols);
  CHECK(same_bars(read.bars.bars, written.bars.bars));
  CHECK(same_reports(read.bars.bad_bars, written.bars.bad_bars));
  REQUIRE(read.bars.missing_rows.size() == 1);
  CHECK(read.bars.missing_rows[0].path == "prices.csv");
  CHECK(read.bars.missing_rows[0].count == 3);
  CHECK(read.bars.missing_rows[0].first == written.bars.missing_rows[0].first);
  CHECK(files_in(dir.path()) == std::vector<std::string>{"a.admfbars"});  // no temp file left
}

TEST_CASE("bar_cache: the file layout is the one the header documents", "[bar_cache]") {
  temp_dir dir;
  const std::string path = dir.file("a.admfbars");
  write_bar_file(path, sample_contents());
  const std::string bytes = read_bytes(path);
  // Worked by hand: metadata = source (4 + 23) + zone (4 + 13 "Europe/Zurich")
  // + symbols (4 + (4+1) + (4+2))
  // + one report count and report (4 + 4 + 10 path, 4 action, 8 count, 4 + 44 first)
  // + no missing-row report (4 for its count)
  // = 27 + 17 + 15 + 78 + 4 = 141 bytes from offset 128, so up to 269; then 3 bars per
  // column, each column on a 64-byte boundary: time 320..344, symbol 384..396, open 448,
  // high 512, low 576, close 640, volume 704, dividend 768..792. The key follows the 8
  // column offsets (48..112) at 112.
  CHECK(bytes.compare(0, 8, "ADMFBARS") == 0);
  CHECK(peek<std::uint32_t>(bytes, 8) == 2);
  CHECK(peek<std::uint32_t>(bytes, 12) == 0x01020304);
  CHECK(peek<std::uint64_t>(bytes, 16) == 3);
  CHECK(peek<std::uint64_t>(bytes, 24) == 792);
  CHECK(peek<std::uint64_t>(bytes, 32) == 128);
  CHECK(peek<std::uint64_t>(bytes, 40) == 141);
  const std::uint64_t columns[] = {320, 384, 448, 512, 576, 640, 704, 768};
  for (int c = 0; c < 8; ++c)
    CHECK(peek<std::uint64_t>(bytes, 48 + 8 * c) == columns[c]);
  CHECK(static_cast<unsigned char>(bytes[112]) == 0xA0);  // the key
  CHECK(peek<std::uint32_t>(bytes, 128 + 27) == 13);  // the zone
  CHECK(bytes.compare(128 + 31, 13, "Europe/Zurich") == 0);
  REQUIRE(bytes.size() == 792);
  CHECK(peek<std::int64_t>(bytes, 320 + 16) == 1'600'000'000'123'456'789);
  CHECK(peek<std::uint32_t>(bytes, 384 + 4) == 1);
  CHECK(peek<double>(bytes, 448 + 8) == 100.0001);
  CHECK(peek<double>(bytes, 704 + 8) == 1e15);
  CHECK(peek<double>(bytes, 768 + 8) == 0.0);
  CHECK(peek<double>(bytes, 768 + 16) == 0.25);
}

TEST_CASE("bar_cache: damaged, foreign and other-version files are refused with their reason",
          "[bar_cache]") {
  temp_dir dir;
  const std::string good_path = dir.file("good.admfbars");
  write_bar_file(good_path, sample_contents());
  const std::string good = read_bytes(good_path);
  const std::string path = dir.file("bad.admfbars");
  const auto refused = [&](const std::string& bytes) {
    write_bytes(path, bytes);
    try {
      read_bar_file(path);
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    FAIL("read_bar_file accepted the file");
    return std::string();
  };

  CHECK(refused(good.substr(0, good.size() - 1))
        == path + ": truncated or damaged bar file: its header says 792 bytes, the file has 791");
  CHECK(refused(good.substr(0, 50))
        == path + ": truncated bar file: 50 bytes, less than its 128-byte header");
  CHECK(refused("") == path + ": not an admf bar file (no ADMFBARS header)");
  CHECK(refused(small_csv) == path + ": not an admf bar file (no ADMFBARS header)");
  CHECK_FALSE(is_bar_file(path));

  std::string bytes = good;
  patch<std::uint32_t>(bytes, 8, 0);
  CHECK(refused(bytes)
        == path + ": bar file format version 0, this admf reads version 2: import the CSV again");
  bytes = good;
  patch<std::uint32_t>(bytes, 12, 0x04030201);
  CHECK_THAT(refused(bytes), Contains("another byte order"));
  bytes = good;
  patch<std::uint64_t>(bytes, 16, 1'000'000);
  CHECK(refused(bytes) == path + ": damaged bar file: 1000000 bars cannot fit in 792 bytes");
  bytes = good;
  patch<std::uint64_t>(bytes, 48 + 8 * 3, 400);  // high's column moved off its boundary
  CHECK_THAT(refused(bytes), EndsWith("column 4 lies outside the file or overlaps another"));
  bytes = good;
  patch<std::uint32_t>(bytes, 128 + 4 + 23 + 4 + 13, 0xFFFFFFFF);  // the symbol count
  CHECK(refused(bytes) == path + ": damaged bar file: its metadata runs past its end");
  bytes = good;
  patch<std::uint32_t>(bytes, 384 + 4, 7);
  CHECK(refused(bytes) == path + ": damaged bar file: bar 2 has symbol index 7, the file names 2 symbols");
  bytes = good;
  patch<std::int64_t>(bytes, 320 + 16, -100'000'000'000'000);  // bar 3 before bar 2
  CHECK(refused(bytes) == path + ": damaged bar file: bar 3 is out of (time, symbol) order");
  // Values the CSV loader would refuse. Bar 2 is open 100.0001, high 101.5, low 99.75,
  // close 100.5, volume 1e15, dividend 0; the columns: open 448, high 512, low 576,
  // close 640, volume 704, dividend 768, 8 bytes a bar.
  const auto bar_2 = [&](std::size_t column, double value) {
    bytes = good;
    patch<double>(bytes, column + 8, value);
    return refused(bytes);
  };
  const std::string damaged = path + ": damaged bar file: bar 2 cannot be a bar (";
  CHECK(bar_2(640, 150.75) == damaged + "open 100.0001, high 101.5, low 99.75, close 150.75, "
                                        "volume 1e+15, dividend 0)");
  CHECK(bar_2(640, 99.5) == damaged + "open 100.0001, high 101.5, low 99.75, close 99.5, "
                                      "volume 1e+15, dividend 0)");
  CHECK(bar_2(448, 101.75) == damaged + "open 101.75, high 101.5, low 99.75, close 100.5, "
                                        "volume 1e+15, dividend 0)");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THAT(bar_2(640, nan), StartsWith(damaged + "open 100.0001, high 101.5, low 99.75, close nan"));
  CHECK_THAT(bar_2(512, inf), StartsWith(damaged + "open 100.0001, high inf,"));
  CHECK_THAT(bar_2(576, -5), StartsWith(damaged + "open 100.0001, high 101.5, low -5,"));
  CHECK_THAT(bar_2(576, 0), StartsWith(damaged + "open 100.0001, high 101.5, low 0,"));
  CHECK_THAT(bar_2(704, -1), EndsWith("volume -1, dividend 0)"));
  CHECK_THAT(bar_2(704, nan), EndsWith("volume nan, dividend 0)"));
  CHECK_THAT(bar_2(768, -0.5), EndsWith("dividend -0.5)"));
  CHECK_THAT(bar_2(768, inf), EndsWith("dividend inf)"));
  // Inside the bounds a changed value is read as it is (no checksum).
  bytes = good;
  patch<double>(bytes, 640 + 8, 101.0);  // close 100.5 -> 101, still within low..high
  write_bytes(path, bytes);
  CHECK(read_bar_file(path).bars.bars[1].bar.close == 101.0);
  CHECK_THROWS_WITH(read_bar_file(dir.file("missing.admfbars")),
                    dir.file("missing.admfbars") + ": cannot open: No such file or directory");
}

TEST_CASE("bar_cache: a write that fails names the file and the OS error", "[bar_cache]") {
  temp_dir dir;
  const std::string path = dir.file("no/such/dir/a.admfbars");
  CHECK_THROWS_MATCHES(write_bar_file(path, sample_contents()), io_error,
                       Catch::Matchers::Message(path + ": cannot create a temporary file: "
                                                       "No such file or directory"));
}

TEST_CASE("bar_cache: the key follows the file's bytes and every parse option, not its path",
          "[bar_cache]") {
  temp_dir dir;
  const data_source_config base = csv_source(dir.write("a.csv", small_csv));
  const bar_file_key key = source_key(base, bad_bar_policy::reject);
  CHECK(source_key(csv_source(dir.write("copy.csv", small_csv)), bad_bar_policy::reject) == key);
  std::string changed = small_csv;
  changed[changed.size() - 2] = '1';  // one volume digit
  CHECK(source_key(csv_source(dir.write("b.csv", changed)), bad_bar_policy::reject) != key);

  std::vector<data_source_config> variants(21, base);
  variants[0].format = csv_format::wide;
  variants[1].symbol = "OTHER";
  variants[2].symbols = {"X"};
  variants[3].delimiter = ';';
  variants[4].decimal = ',';
  variants[5].columns.time = "Date";
  variants[6].columns.open = "o";
  variants[7].columns.high = "h";
  variants[8].columns.low = "l";
  variants[9].columns.close = "c";
  variants[10].columns.volume = "v";
  variants[11].columns.adj_close = "Adj Close";
  variants[12].time_format = "%Y%m%d";
  variants[13].timezone = "America/New_York";
  variants[14].order = row_order::descending;
  variants[15].on_missing = missing_row_policy::skip;
  variants[16].start = 0;
  variants[17].end = 0;
  variants[18].adjust = price_adjustment::adj_close;
  variants[19].corporate_actions = dir.write("actions.csv", "date,split\n2020-01-03,4\n");
  variants[20].symbols = {"X", "Y"};
  std::vector<bar_file_key> keys{key, source_key(base, bad_bar_policy::repair),
                                 source_key(base, bad_bar_policy::skip)};
  for (const auto& v : variants)
    keys.push_back(source_key(v, bad_bar_policy::reject));
  std::sort(keys.begin(), keys.end());
  CHECK(std::adjacent_find(keys.begin(), keys.end()) == keys.end());  // all different

  // The corporate actions file counts by its content, like the CSV.
  data_source_config actions = variants[19];
  const bar_file_key with_actions = source_key(actions, bad_bar_policy::reject);
  dir.write("actions.csv", "date,split\n2020-01-03,2\n");
  CHECK(source_key(actions, bad_bar_policy::reject) != with_actions);
  CHECK_THROWS_WITH(source_key(csv_source(dir.file("none.csv")), bad_bar_policy::reject),
                    dir.file("none.csv") + ": cannot open: No such file or directory");
}

TEST_CASE("bar_cache: a warm cache gives the CSV's bars and bad-bar reports", "[bar_cache]") {
  temp_dir dir;
  const std::string csv = dir.write("a.csv", repairable_csv);
  data_config config{{csv_source(csv)}, bad_bar_policy::repair};
  const market_data off = load_market_data(config);
  REQUIRE(off.bad_bars.size() == 1);
  config.cache = dir.file("cache");
  const market_data cold = load_market_data(config);
  const auto entries = files_in(config.cache);
  REQUIRE(entries.size() == 1);
  CHECK_THAT(entries[0], EndsWith(".admfbars"));
  CHECK(entries[0].size() == 32 + 9);
  const market_data warm = load_market_data(config);
  for (const market_data* m : {&cold, &warm}) {
    CHECK(m->symbols == off.symbols);
    CHECK(same_bars(m->bars, off.bars));
    CHECK(same_reports(m->bad_bars, off.bad_bars));
  }

  // The same content at another path hits the entry, and its reports name that path.
  const std::string copy = dir.write("copy.csv", repairable_csv);
  data_config other = config;
  other.sources = {csv_source(copy)};
  const market_data moved = load_market_data(other);
  CHECK(files_in(config.cache).size() == 1);
  REQUIRE(moved.bad_bars.size() == 1);
  CHECK(moved.bad_bars[0].path == copy);
  CHECK(moved.bad_bars[0].first == copy + ":3: column 'close': 12.5 is above high 12");
}

TEST_CASE("bar_cache: the cache is looked up by key, and a damaged entry is reported and rebuilt",
          "[bar_cache]") {
  temp_dir dir;
  const std::string csv = dir.write("a.csv", small_csv);
  data_config config{{csv_source(csv)}};
  config.cache = dir.file("cache");
  const market_data parsed = load_market_data(config);
  const std::string entry = (fs::path(config.cache) / files_in(config.cache).at(0)).string();

  // An entry under the right key is used as it is: its bars come back, not the CSV's.
  bar_file_contents planted = read_bar_file(entry);
  planted.bars.bars.resize(1);
  write_bar_file(entry, planted);
  CHECK(load_market_data(config).bars.size() == 1);

  const std::string whole = read_bytes(entry);
  write_bytes(entry, whole.substr(0, 200));
  captured_log log;
  const market_data rebuilt = load_market_data(config);
  CHECK(same_bars(rebuilt.bars, parsed.bars));
  CHECK(log.text() == "data cache: " + entry
                        + ": truncated or damaged bar file: its header says "
                        + std::to_string(whole.size()) + " bytes, the file has 200; parsing " + csv
                        + " again and replacing it\n");
  CHECK(read_bar_file(entry).bars.bars.size() == 3);

  // A value no CSV row could give (close 11.5 x 1.5 = 17.25 above high 12 on bar 2) is
  // damage too: reported, parsed again, replaced.
  std::string flipped = read_bytes(entry);
  patch<double>(flipped, peek<std::uint64_t>(flipped, 48 + 8 * 5) + 8, 17.25);
  write_bytes(entry, flipped);
  captured_log log2;
  CHECK(same_bars(load_market_data(config).bars, parsed.bars));
  CHECK(log2.text() == "data cache: " + entry
                         + ": damaged bar file: bar 2 cannot be a bar (open 10.5, high 12, low 10, "
                           "close 17.25, volume 200, dividend 0); parsing "
                         + csv + " again and replacing it\n");
  CHECK(read_bar_file(entry).bars.bars[1].bar.close == 11.5);
}

TEST_CASE("bar_cache: an unusable cache directory is a warning and the run loads the CSV",
          "[bar_cache]") {
  temp_dir dir;
  const std::string csv = dir.write("a.csv", small_csv);
  data_config config{{csv_source(csv)}};
  config.cache = dir.write("file", "not a directory") + "/cache";
  captured_log log;
  const market_data data = load_market_data(config);
  CHECK(data.bars.size() == 3);
  CHECK(log.text() == "data cache: " + config.cache
                        + ": cannot create the directory: Not a directory; not cached\n");
}

TEST_CASE("bar_cache: concurrent writers of one entry leave a whole file, never a torn one",
          "[bar_cache]") {
  temp_dir dir;
  const std::string path = dir.file("entry.admfbars");
  bar_file_contents big = sample_contents();
  // Large enough that a write takes several system calls.
  const market_data synthetic = synthetic_market_data(50'000, 7);
  big.bars.bars = synthetic.bars;
  big.bars.symbols = {"A", "BB"};
  write_bar_file(path, big);
  std::atomic<bool> done{false};
  std::atomic<int> bad_reads{0};
  std::thread reader([&] {
    while (!done)
      try {
        if (read_bar_file(path).bars.bars.size() != 50'000)
          ++bad_reads;
      } catch (const std::exception&) {
        ++bad_reads;
      }
  });
  const auto writer = [&] {
    for (int i = 0; i < 20; ++i)
      write_bar_file(path, big);
  };
  std::thread a(writer), b(writer);
  a.join();
  b.join();
  done = true;
  reader.join();
  CHECK(bad_reads == 0);
  CHECK(same_bars(read_bar_file(path).bars.bars, big.bars.bars));
  CHECK(files_in(dir.path()) == std::vector<std::string>{"entry.admfbars"});

  // Two loads through the cache at once: both get the bars, one whole entry remains.
  const std::string csv = dir.write("a.csv", small_csv);
  data_config config{{csv_source(csv)}};
  config.cache = dir.file("cache");
  std::vector<market_data> loaded(2);
  std::thread l1([&] { loaded[0] = load_market_data(config); });
  std::thread l2([&] { loaded[1] = load_market_data(config); });
  l1.join();
  l2.join();
  CHECK(same_bars(loaded[0].bars, loaded[1].bars));
  const auto entries = files_in(config.cache);
  REQUIRE(entries.size() == 1);
  CHECK(read_bar_file((fs::path(config.cache) / entries[0]).string()).bars.bars.size() == 3);
}

TEST_CASE("bar_cache: a config source may name a bar file, with its symbol settings",
          "[bar_cache]") {
  temp_dir dir;
  const std::string dow = data_dir + "dowjones30_1991_2001_daily_close.csv";
  data_source_config wide;
  wide.csv = wide.path = dow;
  wide.format = csv_format::wide;
  wide.symbols = {"MRK", "JNJ"};
  const bar_file_contents imported = import_bar_file(wide, bad_bar_policy::reject,
                                                     dir.file("dow.admfbars"));
  CHECK(imported.key == source_key(wide, bad_bar_policy::reject));
  CHECK(imported.bars.symbols == std::vector<std::string>{"JNJ", "MRK"});

  const market_data from_csv = load_market_data(data_config{{wide}});
  data_source_config from_file = wide;
  from_file.path = dir.file("dow.admfbars");
  const market_data mapped = load_market_data(data_config{{from_file}});
  CHECK(mapped.symbols == from_csv.symbols);
  CHECK(same_bars(mapped.bars, from_csv.bars));

  // `symbols:` selects from the file; a symbol it lacks is an error.
  from_file.symbols = {"MRK"};
  const market_data one = load_market_data(data_config{{from_file}});
  CHECK(one.symbols == std::vector<std::string>{"MRK"});
  CHECK(one.bars.size() == from_csv.bars.size() / 2);
  from_file.symbols = {"KO"};
  CHECK_THROWS_WITH(load_market_data(data_config{{from_file}}),
                    from_file.path + ": unknown symbol 'KO': the bar file does not hold it");

  // An ohlcv source names the one symbol of its file.
  const std::string csv = dir.write("a.csv", small_csv);
  import_bar_file(csv_source(csv, "A"), bad_bar_policy::reject, dir.file("a.admfbars"));
  data_source_config renamed = csv_source(dir.file("a.admfbars"), "SPY");
  CHECK(load_market_data(data_config{{renamed}}).symbols == std::vector<std::string>{"SPY"});
  renamed.timezone = "America/New_York";
  CHECK_THROWS_WITH(load_market_data(data_config{{renamed}}),
                    renamed.path + ": made without timezone: (UTC); remove timezone: from this "
                                   "source (it decides the days of timeframes)");
  renamed.timezone = "";
  renamed.time_format = "%Y-%m-%d";
  CHECK_THROWS_WITH(load_market_data(data_config{{renamed}}),
                    renamed.path + ": a bar file holds bars parsed already: 'time_format' "
                                   "applies when it is made (admf data import --config)");
  from_file.format = csv_format::ohlcv;
  from_file.symbols = {};
  from_file.symbol = "X";
  CHECK_THROWS_WITH(load_market_data(data_config{{from_file}}),
                    from_file.path + ": a bar file of 2 symbols needs format: wide");
}

TEST_CASE("bar_cache: a bar file keeps the timezone it was made with, and a source naming it "
          "must say the same zone",
          "[bar_cache]") {
  // Zurich local dates: midnight is 23:00 UTC the day before in winter (+01:00).
  temp_dir dir;
  data_source_config zurich = csv_source(dir.write("z.csv", small_csv), "Z");
  zurich.timezone = "Europe/Zurich";
  const std::string path = dir.file("z.admfbars");
  import_bar_file(zurich, bad_bar_policy::reject, path);
  CHECK(read_bar_file(path).timezone == "Europe/Zurich");

  data_source_config named = csv_source(path, "Z");
  named.timezone = "Europe/Zurich";
  const market_data with_zone = load_market_data(data_config{{named}});
  REQUIRE(with_zone.bars.size() == 3);
  CHECK(with_zone.bars[0].time == *parse_timestamp("2020-01-01 23:00"));
  CHECK(same_bars(with_zone.bars, load_market_data(data_config{{zurich}}).bars));

  named.timezone = "";
  CHECK_THROWS_WITH(load_market_data(data_config{{named}}),
                    path + ": made with timezone: Europe/Zurich; write timezone: Europe/Zurich on "
                           "this source (it decides the days of timeframes)");
  named.timezone = "Europe/Berlin";  // same offsets, another name: still refused
  CHECK_THROWS_WITH(load_market_data(data_config{{named}}),
                    path + ": made with timezone: Europe/Zurich; write timezone: Europe/Zurich on "
                           "this source (it decides the days of timeframes)");
  // The cache keeps the zone as well (its key holds it, so entries never mix zones).
  data_config cached{{zurich}};
  cached.cache = dir.file("cache");
  load_market_data(cached);
  const auto entries = files_in(dir.file("cache"));
  REQUIRE(entries.size() == 1);
  CHECK(read_bar_file(dir.file("cache/" + entries[0])).timezone == "Europe/Zurich");
}

TEST_CASE("bar_cache: a shipped config gives byte-identical results with the cache off, cold "
          "and warm, and from imported bar files", "[bar_cache]") {
  temp_dir dir;
  const backtest_config shipped = load_config(std::string(ADMF_SOURCE_DIR) + "/configs/default.yaml");
  // The shipped data alone, and merged with two symbols of a wide file.
  data_source_config dow;
  dow.csv = dow.path = data_dir + "dowjones30_1991_2001_daily_close.csv";
  dow.format = csv_format::wide;
  dow.symbols = {"KO", "AA"};
  for (const std::string name : {"default", "default_and_dow"}) {
    backtest_config config = shipped;
    if (name != "default")
      config.data.sources.push_back(dow);
    const auto run = [&](const data_config& data, const std::string& out) {
      backtest_config c = config;
      c.data = data;
      REQUIRE(run_backtest(c, {dir.file(out), 2}).portfolios.at(0).ok);
      return dir.file(out);
    };
    data_config cached = config.data;
    cached.cache = dir.file("cache");
    data_config imported = config.data;
    for (auto& source : imported.sources) {
      const std::string bars = dir.file(fs::path(source.path).stem().string() + ".admfbars");
      import_bar_file(source, config.data.on_bad_bar, bars);
      source.path = bars;
    }
    const std::string off = run(config.data, name + "_off");
    const std::string cold = run(cached, name + "_cold");
    const std::string warm = run(cached, name + "_warm");
    const std::string file = run(imported, name + "_file");
    std::size_t compared = 0;
    for (const auto& e : fs::recursive_directory_iterator(off)) {
      if (!e.is_regular_file())
        continue;
      const fs::path relative = fs::relative(e.path(), off);
      INFO(name << ": " << relative);
      const std::string expected = read_bytes(e.path().string());
      CHECK(read_bytes((fs::path(cold) / relative).string()) == expected);
      CHECK(read_bytes((fs::path(warm) / relative).string()) == expected);
      CHECK(read_bytes((fs::path(file) / relative).string()) == expected);
      ++compared;
    }
    CHECK(compared >= 4);
  }
}

TEST_CASE("bar_cache: data cache is read from the config as off, auto or a directory",
          "[bar_cache]") {
  temp_dir dir;
  const std::string sp500 = data_dir + "sp500_2000_daily_ohlcv.csv";
  const auto cache_of = [&](const std::string& value) {
    return load_config_text("data:\n  csv: " + sp500 + "\n  symbol: SPX\n  cache: " + value
                              + "\nportfolios:\n  - id: p\n    initial_capital: 1000\n"
                                "    strategies:\n      - {id: s, type: buy_and_hold}\n",
                            "c.yaml")
      .data.cache;
  };
  CHECK(cache_of("off").empty());
  // A YAML boolean is not a directory name (`cache: on` used to make ./on).
  CHECK_THROWS_WITH(cache_of("on"), "c.yaml:4: data.cache: 'on' is not a cache setting: use "
                                    "auto, off or a directory (./on for a directory of that "
                                    "name)");
  for (const std::string flag : {"ON", "true", "Yes", "1", "false", "no", "0"})
    CHECK_THROWS_WITH(cache_of(flag), Contains("use auto, off or a directory"));
  CHECK(cache_of("./on") == "./on");
  CHECK(cache_of(dir.file("c")) == dir.file("c"));
  ::setenv("ADMF_CACHE_DIR", dir.file("env").c_str(), 1);
  CHECK(cache_of("auto") == dir.file("env"));
  ::unsetenv("ADMF_CACHE_DIR");
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const std::string saved = xdg ? xdg : "";
  ::setenv("XDG_CACHE_HOME", dir.file("xdg").c_str(), 1);
  CHECK(cache_of("auto") == dir.file("xdg") + "/admf");
  if (xdg)
    ::setenv("XDG_CACHE_HOME", saved.c_str(), 1);
  else
    ::unsetenv("XDG_CACHE_HOME");
}
