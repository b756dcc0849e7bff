// Goes long on the first bar and, on bar `at` (counted from 1), fails the way
// FAIL_HOW says: throw (every time: a permanent fault), segfault (writes through a
// null pointer), abort, loop (spins forever) or allocate (takes memory and touches it
// until refused). at: 0 never.
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/plugin/strategy_plugin.hpp"

namespace {

#define THROW 0
#define SEGFAULT 1
#define ABORT 2
#define LOOP 3
#define ALLOCATE 4

/// A real fault (no raise): a store through a null pointer, kept from the sanitizers'
/// checks so that under ASan+UBSan (scripts/sanitize.sh) it still faults instead of
/// being reported as undefined behaviour first.
__attribute__((noinline, no_sanitize("address", "undefined"))) void store_to_null() {
  volatile int* volatile nowhere = nullptr;  // read and written at run time: kept by -O2
  *nowhere = 1;
}

[[noreturn]] void fail(long at) {
#if FAIL_HOW == THROW
  throw std::runtime_error("deliberate failure at bar " + std::to_string(at));
#elif FAIL_HOW == SEGFAULT
  store_to_null();
  std::abort();  // not reached
#elif FAIL_HOW == ABORT
  std::abort();
#elif FAIL_HOW == LOOP
  for (volatile unsigned long n = 0;; n = n + 1) {
  }
#elif FAIL_HOW == ALLOCATE
  std::vector<std::vector<char>> hoard;
  for (;;) {
    hoard.emplace_back(64 << 20);
    std::memset(hoard.back().data(), 1, hoard.back().size());
  }
#endif
}

class fails_at_bar final : public admf::plugin::strategy {
public:
  explicit fails_at_bar(const admf::plugin::params& p)
    : at_(static_cast<long>(p.number("at"))) {}
  void on_bars(const admf::plugin::bar* bars, std::size_t, admf::plugin::context& ctx) override {
    if (++seen_ == at_)
      fail(at_);
    if (seen_ == 1) {
      admf::plugin::signal s;
      s.symbol = bars[0].symbol;
      s.target = admf::plugin::direction::long_;
      ctx.emit(s);
    }
  }
  void reset() override { seen_ = 0; }

private:
  long at_, seen_ = 0;
};

} // namespace

ADMF_STRATEGY_PLUGIN(fails_at_bar)
