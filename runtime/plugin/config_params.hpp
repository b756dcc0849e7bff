// The plugin API's params over a strategy's config params: every error names the
// config file, line and key.
#pragma once
#include "runtime/config/backtest_config.hpp"
#include "runtime/plugin/strategy_plugin.hpp"

namespace admf {

class config_params final : public plugin::params {
public:
  explicit config_params(const strategy_params& p) : p_(p) {}

  bool has(const char* key) const override { return p_.has(key); }
  double number(const char* key) const override { return p_.number(key); }
  double number_or(const char* key, double fallback) const override {
    return p_.number_or(key, fallback);
  }
  std::string text(const char* key) const override;
  void expect_only(const char* const* known) const override;
  [[noreturn]] void fail(const char* key, const std::string& message) const override;

private:
  const strategy_params& p_;
};

} // namespace admf
