// market_data::content_hash, the data's half of a run id (issue 13: taken once when the
// data is loaded, not from every bar on every run): equal for the same bytes read the
// same way wherever they come from, different when a byte, an option or a bar differs.
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include "runtime/data/bar_cache.hpp"
#include "runtime/data/market_data.hpp"

using namespace admf;
using admf::testing::temp_dir;

namespace {

const std::string prices =
  "Date,Open,High,Low,Close,Volume\n"
  "2020-01-02,10,11,9,10.5,100\n"
  "2020-01-03,10.5,12,10,11.5,200\n";

data_source_config csv(const std::string& path, const std::string& symbol = "X") {
  data_source_config s;
  s.csv = s.path = path;
  s.symbol = symbol;
  return s;
}

std::uint64_t hash_of(std::vector<data_source_config> sources, const std::string& cache = "") {
  data_config config{std::move(sources), bad_bar_policy::reject};
  config.cache = cache;
  return load_market_data(config).content_hash;
}

}  // namespace

TEST_CASE("content hash: the same bytes and options give the same hash at any path",
          "[content_hash]") {
  temp_dir dir;
  const std::uint64_t h = hash_of({csv(dir.write("a.csv", prices))});
  CHECK(h != 0);
  CHECK(hash_of({csv(dir.write("copy.csv", prices))}) == h);
  // Two sources: each source's origin counts, in config order.
  const std::string y = dir.write("y.csv", prices);
  const std::uint64_t xy = hash_of({csv(dir.file("a.csv")), csv(y, "Y")});
  CHECK(xy != h);
  CHECK(hash_of({csv(y, "Y"), csv(dir.file("a.csv"))}) != xy);
}

TEST_CASE("content hash: a changed byte, symbol or option changes it", "[content_hash]") {
  temp_dir dir;
  const std::uint64_t h = hash_of({csv(dir.write("a.csv", prices))});
  std::string changed = prices;
  changed[changed.size() - 2] = '1';  // the last volume, 200 -> 201
  CHECK(hash_of({csv(dir.write("b.csv", changed))}) != h);
  CHECK(hash_of({csv(dir.file("a.csv"), "OTHER")}) != h);
  data_source_config later = csv(dir.file("a.csv"));
  later.start = days_from_civil(2020, 1, 3) * ns_per_day;
  CHECK(hash_of({later}) != h);
  data_config repaired{{csv(dir.file("a.csv"))}, bad_bar_policy::repair};
  CHECK(load_market_data(repaired).content_hash != h);
}

TEST_CASE("content hash: taken while parsing it equals the data cache's key", "[content_hash]") {
  // Without a cache the key is hashed from the bytes the parser reads; with one it is
  // source_key(), which reads the file on its own: the two must agree, on a miss and a hit.
  temp_dir dir;
  // Longer than one read chunk of the parser (1 MiB), so the bytes arrive in pieces.
  std::string big = "Date,Open,High,Low,Close,Volume\n";
  const timestamp start = days_from_civil(2020, 1, 1) * ns_per_day;
  for (timestamp m = 1; big.size() < (3u << 20); ++m)
    big += format_timestamp(start + m * 60 * ns_per_second) + ",10,11,9,10.5,100\n";
  const std::string path = dir.write("big.csv", big);
  const std::uint64_t parsed = hash_of({csv(path)});
  CHECK(hash_of({csv(path)}, dir.file("cache")) == parsed);  // miss
  CHECK(hash_of({csv(path)}, dir.file("cache")) == parsed);  // hit
}

TEST_CASE("content hash: a bar file's is its CSV's, and follows the source's symbol",
          "[content_hash]") {
  temp_dir dir;
  const data_source_config source = csv(dir.write("a.csv", prices));
  import_bar_file(source, bad_bar_policy::reject, dir.file("a.admfbars"));
  data_source_config from_file = csv(dir.file("a.admfbars"));
  const std::uint64_t h = hash_of({from_file});
  CHECK(h == hash_of({source}));  // the same bars: the same run ids
  CHECK(hash_of({from_file}) == h);
  CHECK(hash_of({csv(dir.file("a.admfbars"), "OTHER")}) != h);
  std::string changed = prices;
  changed[changed.size() - 2] = '1';
  import_bar_file(csv(dir.write("b.csv", changed)), bad_bar_policy::reject,
                  dir.file("b.admfbars"));
  CHECK(hash_of({csv(dir.file("b.admfbars"))}) != h);
}

TEST_CASE("hash_bars: every field of every bar and every symbol name counts",
          "[content_hash]") {
  market_data data;
  data.symbols = {"A", "B"};
  data.bars = {{1, bar_data{0, 1, 2, 0.5, 1.5, 10, 0}}, {1, bar_data{1, 3, 4, 2, 3.5, 20, 0}}};
  const std::uint64_t h = hash_bars(data);
  CHECK(h != 0);
  CHECK(hash_bars(data) == h);
  std::vector<market_data> changed(9, data);
  changed[0].bars[1].time = 2;
  changed[1].bars[1].bar.symbol = 0;
  changed[2].bars[1].bar.open = 3.25;
  changed[3].bars[1].bar.high = 4.25;
  changed[4].bars[1].bar.low = 2.25;
  changed[5].bars[1].bar.close = 3.25;
  changed[6].bars[1].bar.volume = 21;
  changed[7].bars[1].bar.dividend = 0.1;
  changed[8].symbols[1] = "C";
  for (const auto& c : changed)
    CHECK(hash_bars(c) != h);
}

TEST_CASE("content hash: synthetic data's is the hash of its bars", "[content_hash]") {
  const market_data a = synthetic_market_data(1000, 7);
  CHECK(a.content_hash == hash_bars(a));
  CHECK(synthetic_market_data(1000, 7).content_hash == a.content_hash);
  CHECK(synthetic_market_data(1000, 8).content_hash != a.content_hash);
  CHECK(synthetic_market_data(1001, 7).content_hash != a.content_hash);
}
