// FROZEN: version 1 of the plugin API header as released (9cbc8bd~1). Shipped strategies are
// built against it here (tests/plugins/CMakeLists.txt) to prove admf still loads version-1
// plugins and gets their results. Never edit it: it is what version-1 plugins were built with.

// admf strategy plugin API — the one header a plugin includes.
//
// A plugin is a shared library exporting three C functions (ADMF_STRATEGY_PLUGIN
// defines them): the API version it was built against, a factory and a destroyer.
// admf dlopens it, checks the version, creates one strategy per configured
// strategy container and destroys it inside the plugin. The interface is pure
// virtual; bump api_version on any change. Host and plugin must share compiler and
// standard library (build plugins with the installed admf CMake package).
#pragma once
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

namespace admf::plugin {

/// Version of this header. A plugin built against another version is refused.
constexpr std::uint32_t api_version = 1;

/// One bar of one symbol. Times are ns since the epoch, UTC.
struct bar {
  std::int64_t time;
  std::uint32_t symbol;  ///< index into the run's symbols (see context::symbol_name)
  double open, high, low, close, volume;
};

enum class direction : std::int32_t { flat = 0, long_ = 1, short_ = -1 };
enum class order_type : std::int32_t { market = 0, limit = 1, stop = 2 };

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
