#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "runtime/bus/progress_floor.hpp"

using namespace admf;

TEST_CASE("a progress floor with no members holds nothing back") {
  progress_floor<int> f;
  CHECK(f.lowest() == end_of_stream);
  f.add(1);
  f.remove(1);
  CHECK(f.lowest() == end_of_stream);
}

TEST_CASE("a progress floor is its lowest member and tied members all hold it") {
  progress_floor<int> f;
  f.add(1);
  f.add(2);
  f.add(3);
  CHECK(f.lowest() == 0);
  CHECK(f.advance(1, 5));
  CHECK(f.advance(2, 5));
  CHECK(f.lowest() == 0);  // 3 is still at 0
  CHECK(f.advance(3, 7));
  CHECK(f.lowest() == 5);  // 1 and 2 tie at 5
  CHECK(f.advance(1, 9));
  CHECK(f.lowest() == 5);  // 2 alone holds it now
  CHECK(f.advance(2, 8));
  CHECK(f.lowest() == 7);
}

TEST_CASE("a progress floor never moves back and re-adding keeps a member's mark") {
  progress_floor<int> f;
  f.add(1);
  CHECK(f.advance(1, 4));
  CHECK_FALSE(f.advance(1, 4));
  CHECK_FALSE(f.advance(1, 2));
  f.add(1);
  CHECK(f.lowest() == 4);
  CHECK_THROWS_AS(f.advance(2, 1), std::out_of_range);
}

TEST_CASE("a removed member no longer holds the floor even when its late progress arrives") {
  progress_floor<int> f;
  f.add(1);
  f.add(2);
  CHECK(f.advance(2, 10));
  f.remove(1);  // a failed portfolio at 0
  CHECK(f.lowest() == 10);
  CHECK(f.advance(1, 3));  // a message it sent before it stopped: still progress
  CHECK(f.lowest() == 10);
  f.remove(1);  // twice: nothing
  f.remove(7);  // never added: nothing
  CHECK(f.lowest() == 10);
  f.remove(2);
  CHECK(f.lowest() == end_of_stream);
}

TEST_CASE("members at end_of_stream hold nothing back") {
  progress_floor<int> f;
  f.add(1);
  f.add(2);
  CHECK(f.advance(1, end_of_stream));
  CHECK(f.lowest() == 0);
  CHECK(f.advance(2, 3));
  CHECK(f.lowest() == 3);
  CHECK(f.advance(2, end_of_stream));
  CHECK(f.lowest() == end_of_stream);
}

TEST_CASE("a progress floor agrees with a scan of every live member") {
  std::mt19937 rng(7);
  progress_floor<int> f;
  std::map<int, std::uint64_t> marks;  // live members only
  std::set<int> removed;               // removal is for good: a stopped container
  for (int step = 0; step < 5000; ++step) {
    const int member = static_cast<int>(rng() % 20);
    switch (rng() % 6) {
      case 0:
        f.add(member);  // again: nothing changes
        if (!marks.count(member) && !removed.count(member))
          marks[member] = 0;
        break;
      case 1:
        f.remove(member);
        if (marks.erase(member))
          removed.insert(member);
        break;
      default:
        if (marks.count(member)) {
          const std::uint64_t to = marks[member] + rng() % 4;
          CHECK(f.advance(member, to) == (to > marks[member]));
          marks[member] = to;
        }
    }
    std::uint64_t lowest = end_of_stream;
    for (const auto& [m, at] : marks)
      lowest = std::min(lowest, at);
    REQUIRE(f.lowest() == lowest);
  }
}
