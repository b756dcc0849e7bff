#include "runtime/data/bar_merge.hpp"

#include <cstdint>

#include <sys/mman.h>
#include <unistd.h>

namespace admf {
namespace {

/// Hands the whole pages inside [begin, end) of a heap block back to the OS. Only for
/// bars never read again (the block is freed without reading its bars: timed_bar is
/// trivially destructible): a private page dropped this way reads as zeros. The pages
/// at the block's ends are kept whole, since malloc keeps its bookkeeping beside the
/// block. Advice only: a failure leaves the memory in use, nothing else. Returns where
/// the pages handed back end: the start of the next call's range.
std::uintptr_t release_pages(std::uintptr_t begin, std::uintptr_t end) {
  static const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const std::uintptr_t first = (begin + page - 1) / page * page;
  const std::uintptr_t last = end / page * page;
  if (last <= first)
    return begin;
  madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
  return last;
}

/// Bytes passed in a run before its pages are handed back.
constexpr std::uintptr_t release_every = std::uintptr_t{1} << 20;

struct cursor {
  const timed_bar* next;
  const timed_bar* end;
  std::uintptr_t released;  // the run's bytes before this address are handed back
  std::size_t run;          // breaks ties: an earlier run's bar first
};

std::uintptr_t address(const timed_bar* p) { return reinterpret_cast<std::uintptr_t>(p); }

bool before(const cursor& a, const cursor& b) {
  if (a.next->time != b.next->time)
    return a.next->time < b.next->time;
  if (a.next->bar.symbol != b.next->bar.symbol)
    return a.next->bar.symbol < b.next->bar.symbol;
  return a.run < b.run;
}

/// Moves heap[i] down until no child comes before it (a min-heap by before()).
void sift_down(std::vector<cursor>& heap, std::size_t i) {
  const std::size_t n = heap.size();
  const cursor moved = heap[i];
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n)
      break;
    if (child + 1 < n && before(heap[child + 1], heap[child]))
      ++child;
    if (!before(heap[child], moved))
      break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = moved;
}

}  // namespace

std::vector<timed_bar> merge_runs(std::vector<std::vector<timed_bar>> runs) {
  std::vector<cursor> heap;
  std::size_t total = 0;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (runs[r].empty())
      continue;
    const timed_bar* data = runs[r].data();
    heap.push_back({data, data + runs[r].size(), address(data), r});
    total += runs[r].size();
  }
  if (heap.size() == 1)
    return std::move(runs[heap[0].run]);
  std::vector<timed_bar> out;
  out.reserve(total);  // room not yet written costs address space, not memory
  for (std::size_t i = heap.size() / 2; i-- > 0;)
    sift_down(heap, i);
  while (!heap.empty()) {
    cursor& head = heap[0];
    out.push_back(*head.next++);
    if (head.next == head.end) {
      runs[head.run] = {};  // done: freed whole
      head = heap.back();
      heap.pop_back();
      if (heap.empty())
        break;
    } else if (address(head.next) - head.released >= release_every) {
      head.released = release_pages(head.released, address(head.next));
    }
    sift_down(heap, 0);
  }
  return out;
}

}  // namespace admf
