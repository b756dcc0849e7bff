#include "script_strategy.hpp"

#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "runtime/strategy/strategy.hpp"

namespace admf::test {

namespace {

struct step {
  std::string symbol;
  plugin::direction target = plugin::direction::flat;
  double quantity = 0;
  double strength = 1;
};

std::map<long, std::vector<step>> parse(const std::string& script) {
  std::map<long, std::vector<step>> out;
  std::istringstream slices(script);
  std::string slice;
  while (std::getline(slices, slice, ';')) {
    const auto colon = slice.find(':');
    if (colon == std::string::npos)
      throw std::invalid_argument("script: expected 'N: targets' in '" + slice + "'");
    const long n = std::stol(slice.substr(0, colon));
    std::istringstream targets(slice.substr(colon + 1));
    std::string target;
    while (std::getline(targets, target, ',')) {
      std::istringstream words(target);
      step s;
      std::string side, extra;
      words >> s.symbol >> side;
      s.target = side == "long"    ? plugin::direction::long_
                 : side == "short" ? plugin::direction::short_
                                   : plugin::direction::flat;
      if (words >> extra) {
        if (extra == "strength")
          words >> s.strength;
        else
          s.quantity = std::stod(extra);
      }
      out[n].push_back(s);
    }
  }
  return out;
}

class script_strategy final : public plugin::strategy {
public:
  explicit script_strategy(const plugin::params& p) : script_(parse(p.text("script"))) {}

  void on_bars(const plugin::bar*, std::size_t, plugin::context& ctx) override {
    const auto it = script_.find(++slices_);
    if (it == script_.end())
      return;
    for (const auto& s : it->second) {
      plugin::signal signal;
      const auto symbol = ctx.symbol_index(s.symbol.c_str());
      if (symbol < 0)
        throw std::runtime_error("script: no symbol " + s.symbol);
      signal.symbol = static_cast<std::uint32_t>(symbol);
      signal.target = s.target;
      signal.quantity = s.quantity;
      signal.strength = s.strength;
      ctx.emit(signal);
    }
  }
  void reset() override { slices_ = 0; }

private:
  std::map<long, std::vector<step>> script_;
  long slices_ = 0;
};

}  // namespace

void register_script_strategy() {
  static const bool registered = [] {
    register_strategy("test_script", [](const plugin::params& p) {
      return strategy_ptr{new script_strategy(p), [](plugin::strategy* s) { delete s; }};
    });
    return true;
  }();
  (void)registered;
}

}  // namespace admf::test
