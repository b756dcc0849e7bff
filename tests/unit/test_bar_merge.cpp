// The k-way merge of a run's sources (runtime/data/bar_merge.hpp), checked against an
// independent implementation: the runs concatenated in order and stable-sorted by
// (time, symbol), which keeps an earlier run's bar first on ties.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "runtime/data/bar_merge.hpp"

using namespace admf;

namespace {

/// A bar told apart from its equals in (time, symbol) by `tag` (its open).
timed_bar bar(timestamp t, symbol_id s, double tag = 1) { return {t, bar_data{s, tag, 1, 1, 1, 1}}; }

std::vector<timed_bar> by_stable_sort(const std::vector<std::vector<timed_bar>>& runs) {
  std::vector<timed_bar> all;
  for (const auto& r : runs)
    all.insert(all.end(), r.begin(), r.end());
  std::stable_sort(all.begin(), all.end(), [](const timed_bar& a, const timed_bar& b) {
    return a.time != b.time ? a.time < b.time : a.bar.symbol < b.bar.symbol;
  });
  return all;
}

/// (time, symbol, tag) of each bar: what the comparisons look at.
std::vector<std::tuple<timestamp, symbol_id, double>> keys(const std::vector<timed_bar>& bars) {
  std::vector<std::tuple<timestamp, symbol_id, double>> out;
  for (const auto& b : bars)
    out.emplace_back(b.time, b.bar.symbol, b.bar.open);
  return out;
}

/// `count` runs of random length up to `longest`, each sorted, times from a small range
/// so that many bars share a time; run r's bars have symbol r unless `shared_symbol`.
std::vector<std::vector<timed_bar>> random_runs(std::size_t count, std::size_t longest,
                                                bool shared_symbol, std::mt19937_64& rng) {
  std::vector<std::vector<timed_bar>> runs(count);
  double tag = 0;
  for (std::size_t r = 0; r < count; ++r) {
    const std::size_t n = rng() % (longest + 1);
    timestamp t = static_cast<timestamp>(rng() % 5);
    for (std::size_t i = 0; i < n; ++i) {
      runs[r].push_back(bar(t, shared_symbol ? 7 : static_cast<symbol_id>(r), ++tag));
      t += static_cast<timestamp>(1 + rng() % 3);
    }
  }
  return runs;
}

}  // namespace

TEST_CASE("merge_runs: no runs and empty runs give no bars", "[bar_merge]") {
  CHECK(merge_runs({}).empty());
  CHECK(merge_runs({{}, {}, {}}).empty());
}

TEST_CASE("merge_runs: a single non-empty run is moved through unchanged", "[bar_merge]") {
  std::vector<timed_bar> run = {bar(1, 0), bar(2, 0), bar(2, 1), bar(5, 0)};
  const auto expected = keys(run);
  const timed_bar* storage = run.data();
  std::vector<std::vector<timed_bar>> runs(3);  // not an initializer list: that copies
  runs[1] = std::move(run);
  const auto out = merge_runs(std::move(runs));
  CHECK(keys(out) == expected);
  CHECK(out.data() == storage);  // not copied
}

TEST_CASE("merge_runs: orders by time then symbol, and equal bars by run", "[bar_merge]") {
  // Run 0 holds symbol 2, run 1 symbol 0, run 2 symbol 2 again (a duplicate symbol: the
  // loader refuses it before merging, the merge still keeps run order).
  const auto out = merge_runs({{bar(10, 2, 1), bar(20, 2, 2)},
                               {bar(10, 0, 3), bar(30, 0, 4)},
                               {bar(5, 2, 5), bar(10, 2, 6), bar(20, 2, 7)}});
  using key = std::tuple<timestamp, symbol_id, double>;
  CHECK(keys(out) == std::vector<key>{{5, 2, 5}, {10, 0, 3}, {10, 2, 1}, {10, 2, 6},
                                      {20, 2, 2}, {20, 2, 7}, {30, 0, 4}});
}

TEST_CASE("merge_runs: random runs merge as a stable sort of their concatenation",
          "[bar_merge]") {
  std::mt19937_64 rng(13);
  for (int round = 0; round < 50; ++round) {
    const bool shared = round % 2 == 1;
    const auto runs = random_runs(1 + rng() % 12, 40, shared, rng);
    CHECK(keys(merge_runs(runs)) == keys(by_stable_sort(runs)));
  }
}

TEST_CASE("merge_runs: runs of many pages keep every bar while their pages are released",
          "[bar_merge]") {
  // Each run spans several MiB, so the merge hands pages back as it passes them: the
  // bars not yet merged must stay intact.
  std::mt19937_64 rng(42);
  std::vector<std::vector<timed_bar>> runs(3);
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (timestamp t = 0; t < 150'000; ++t)
      if (rng() % 4 != 0)
        runs[r].push_back(bar(t * 2 + static_cast<timestamp>(r % 2), static_cast<symbol_id>(r),
                              static_cast<double>(rng() % 1000)));
  const auto expected = keys(by_stable_sort(runs));
  CHECK(keys(merge_runs(runs)) == expected);
}
