// The lowest of several members' watermarks (bar positions that only move forward),
// kept ordered so that a parent granting credit per message pays O(log members) per
// change instead of a scan of every member (issue 13: O(P^2) per bar at P portfolios).
#pragma once
#include <cstdint>
#include <map>
#include <unordered_map>

#include "runtime/bus/messages.hpp"

namespace admf {

template <class Key>
class progress_floor {
public:
  /// Adds `member` at watermark 0. A member added before (removed or not) is left as
  /// it is: removal is for good.
  void add(const Key& member) {
    if (at_.emplace(member, mark{}).second)
      ++count_[0];
  }

  /// Moves `member`'s watermark to `to` if that is further. Returns whether it moved
  /// (also for a removed member, whose late messages still count as progress but no
  /// longer hold the floor). Throws std::out_of_range for a member never added.
  bool advance(const Key& member, std::uint64_t to) {
    auto& m = at_.at(member);
    if (to <= m.at)
      return false;
    if (m.counted) {
      drop(m.at);
      ++count_[to];
    }
    m.at = to;
    return true;
  }

  /// Takes `member` (a stopped container) out of the floor: it holds nothing back any
  /// more. A member never added or already removed: nothing happens.
  void remove(const Key& member) {
    const auto it = at_.find(member);
    if (it == at_.end() || !it->second.counted)
      return;
    drop(it->second.at);
    it->second.counted = false;
  }

  /// The lowest watermark of the members; end_of_stream when there are none (nothing
  /// holds anything back).
  std::uint64_t lowest() const { return count_.empty() ? end_of_stream : count_.begin()->first; }

private:
  void drop(std::uint64_t mark) {
    const auto it = count_.find(mark);
    if (--it->second == 0)
      count_.erase(it);
  }

  struct mark {
    std::uint64_t at = 0;
    bool counted = true;  ///< false once removed
  };

  std::unordered_map<Key, mark> at_;
  std::map<std::uint64_t, std::size_t> count_;  ///< watermark -> members at it (ties share)
};

}  // namespace admf
