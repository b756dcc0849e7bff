// Goes long on the first bar and throws on bar `at` (every time: a permanent fault).
#include <stdexcept>
#include <string>

#include "runtime/plugin/strategy_plugin.hpp"

namespace {

class throws_at_bar final : public admf::plugin::strategy {
public:
  explicit throws_at_bar(const admf::plugin::params& p)
    : at_(static_cast<long>(p.number("at"))) {}
  void on_bars(const admf::plugin::bar* bars, std::size_t, admf::plugin::context& ctx) override {
    if (++seen_ == at_)
      throw std::runtime_error("deliberate failure at bar " + std::to_string(at_));
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

ADMF_STRATEGY_PLUGIN(throws_at_bar)
