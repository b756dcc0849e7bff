// admf strategy plugin API — the one header a plugin includes.
//
// A plugin is a shared library exporting three C functions (ADMF_STRATEGY_PLUGIN
// defines them): the API version it was built against, a factory and a destroyer.
// admf dlopens it, checks the version, creates one strategy per configured
// strategy container and destroys it inside the plugin. The interface is pure
// virtual; bump api_version on any change. Host and plugin must share compiler and
// standard library (build plugins with the installed admf CMake package).
//
// Version 2 only appends: `signal` and the first four `context` functions are laid
// out as in version 1, so a version-1 plugin keeps loading and gives the same results.
// What version 2 adds (order_signal, context::submit / cancel / replace) is the order
// model of README "Orders".
#pragma once
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

namespace admf::plugin {

/// Version of this header.
constexpr std::uint32_t api_version = 2;
/// The oldest version still loaded; a plugin built for another version is refused.
constexpr std::uint32_t oldest_api_version = 1;

/// One bar of one symbol. Times are ns since the epoch, UTC.
struct bar {
  std::int64_t time;
  std::uint32_t symbol;  ///< index into the run's symbols (see context::symbol_name)
  double open, high, low, close, volume;
};

enum class direction : std::int32_t { flat = 0, long_ = 1, short_ = -1 };
/// How an order fills on a bar (README "Orders" gives each rule and the gap cases).
enum class order_type : std::int32_t {
  market = 0,           ///< the next bar's open
  limit = 1,            ///< at limit_price or better
  stop = 2,             ///< a market order once the price reaches stop_price
  stop_limit = 3,       ///< a limit order at limit_price once the price reaches stop_price
  trailing_stop = 4,    ///< a stop that follows the best close by trail_amount or trail_percent
  market_on_close = 5,  ///< this bar's close (for strategies that decide before the close)
};

/// How long an order works (README "Orders").
enum class time_in_force : std::int32_t {
  gtc = 0,  ///< good till cancelled (or the end of the data)
  day = 1,  ///< through the last bar of the UTC day of the first bar it could fill on
  gtd = 2,  ///< through expire_time
  ioc = 3,  ///< immediate or cancel: the first bar it could fill on, the rest cancelled
  fok = 4,  ///< fill or kill: all of an explicit quantity on that first bar, or nothing
};

/// What an order_signal's `value` means.
enum class target_kind : std::int32_t {
  side = 0,             ///< hold `side` sized as a v1 signal (strength, or `value` units if > 0)
  quantity = 1,         ///< hold `value` units (signed: negative is short)
  equity_fraction = 2,  ///< hold value x portfolio equity of the symbol (signed fraction)
  weight = 3,           ///< hold value x the strategy's allocation (signed fraction)
};

/// What a strategy wants for one symbol: a target position side. The portfolio
/// turns it into orders, which act from the next bar on.
struct signal {
  std::uint32_t symbol = 0;
  direction target = direction::flat;
  double strength = 1.0;  ///< fraction of the strategy's allocation to use, (0, 1]
  double quantity = 0;    ///< optional target quantity (units); 0 = size by allocation
  order_type type = order_type::market;  ///< for the entry order
  double limit_price = 0;                ///< order_type::limit
  double stop_price = 0;                 ///< order_type::stop
};

/// Version 2: a signal with the whole order model. The portfolio trades the difference
/// between what is held and the target; the order acts from the next bar on
/// (market_on_close: at this bar's close).
struct order_signal {
  std::uint32_t symbol = 0;
  target_kind target = target_kind::side;
  direction side = direction::flat;  ///< target_kind::side
  double strength = 1.0;             ///< target_kind::side: fraction of the allocation, (0, 1]
  double value = 0;                  ///< see target_kind
  order_type type = order_type::market;
  double limit_price = 0;    ///< limit, stop_limit (currency per unit)
  double stop_price = 0;     ///< stop, stop_limit (currency per unit)
  double trail_amount = 0;   ///< trailing_stop: distance from the best close (currency), or
  double trail_percent = 0;  ///< trailing_stop: distance as a fraction of it (0.05 = 5%)
  time_in_force tif = time_in_force::gtc;
  std::int64_t expire_time = 0;  ///< gtd: ns since the epoch, UTC; fills on bars up to it
  /// Bracket legs of an entry (0 = none): once the entry fills, a stop at stop_loss and a
  /// limit at take_profit close the position; one filling cancels the other.
  double stop_loss = 0;
  double take_profit = 0;
};

/// A replace: what changes in the strategy's resting order for a symbol (0 = unchanged).
struct order_change {
  double limit_price = 0;
  double stop_price = 0;
  double quantity = 0;  ///< units still to fill
};

/// The strategy's parameters, from the config's `params:` map.
class params {
public:
  virtual ~params() = default;
  virtual bool has(const char* key) const = 0;
  /// The value as a number; throws (with the config file, line and key) when missing or not one.
  virtual double number(const char* key) const = 0;
  virtual double number_or(const char* key, double fallback) const = 0;
  /// The raw text of a parameter ("" when missing).
  virtual std::string text(const char* key) const = 0;
  /// Throws, naming file, line and key, for any parameter not in `known` (nullptr-terminated).
  virtual void expect_only(const char* const* known) const = 0;
  /// Throws an error naming the config location of `key` with `message`.
  [[noreturn]] virtual void fail(const char* key, const std::string& message) const = 0;
};

/// What the runtime offers a strategy while it handles bars.
class context {
public:
  virtual ~context() = default;
  virtual void emit(const signal& s) = 0;
  virtual std::size_t symbol_count() const = 0;
  virtual const char* symbol_name(std::uint32_t symbol) const = 0;
  /// Index of a symbol by name, or -1.
  virtual std::int64_t symbol_index(const char* name) const = 0;

  // Version 2 (after version 1's functions, which keep their places).
  /// A signal with the whole order model; throws std::invalid_argument on a malformed one.
  virtual void submit(const order_signal& s) = 0;
  /// Cancels the strategy's resting orders in `symbol` at this close (bracket legs too).
  virtual void cancel(std::uint32_t symbol) = 0;
  /// Replaces the strategy's resting order in `symbol` (its newest, if several) by one
  /// with `change` applied; nothing if none rests when the portfolio acts on it.
  virtual void replace(std::uint32_t symbol, const order_change& change) = 0;
};

class strategy {
public:
  virtual ~strategy() = default;
  /// All bars of one timestamp that passed the strategy's barriers, sorted by symbol.
  virtual void on_bars(const bar* bars, std::size_t count, context& ctx) = 0;
  /// Back to the state before the first bar: one instance serves many backtests.
  virtual void reset() = 0;
};

} // namespace admf::plugin

extern "C" {
using admf_plugin_version_fn = std::uint32_t (*)();
/// Returns nullptr and writes a message into `error` (NUL-terminated) on failure.
using admf_plugin_create_fn = admf::plugin::strategy* (*)(const admf::plugin::params* params,
                                                          char* error, std::size_t error_size);
using admf_plugin_destroy_fn = void (*)(admf::plugin::strategy*);
}

/// Defines the plugin's entry points for `Strategy`, which must be constructible from
/// `const admf::plugin::params&` (throwing std::exception on bad params).
#define ADMF_STRATEGY_PLUGIN(Strategy)                                                        \
  extern "C" __attribute__((visibility("default"))) std::uint32_t admf_plugin_api_version() { \
    return admf::plugin::api_version;                                                         \
  }                                                                                           \
  extern "C" __attribute__((visibility("default"))) admf::plugin::strategy* admf_plugin_create( \
    const admf::plugin::params* params, char* error, std::size_t error_size) {                \
    try {                                                                                     \
      return new Strategy(*params);                                                           \
    } catch (const std::exception& e) {                                                       \
      std::string text = e.what();                                                            \
      if (error_size > 0) {                                                                   \
        const std::size_t n = text.size() < error_size - 1 ? text.size() : error_size - 1;    \
        text.copy(error, n);                                                                  \
        error[n] = '\0';                                                                      \
      }                                                                                       \
      return nullptr;                                                                         \
    }                                                                                         \
  }                                                                                           \
  extern "C" __attribute__((visibility("default"))) void admf_plugin_destroy(                 \
    admf::plugin::strategy* s) {                                                              \
    delete s;                                                                                 \
  }
