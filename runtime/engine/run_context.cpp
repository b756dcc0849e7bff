#include "runtime/engine/run_context.hpp"

#include "runtime/tracing/trace_plan.hpp"

#include <cstdio>
#include <cstring>

namespace admf {

namespace {

struct fnv1a {
  std::uint64_t h = 14695981039346656037ull;
  void add(const void* p, std::size_t n) {
    auto bytes = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i)
      h = (h ^ bytes[i]) * 1099511628211ull;
  }
  void add(const std::string& s) { add(s.data(), s.size() + 1); }
};

} // namespace

std::string run_context::run_hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(run_id));
  return buf;
}

std::shared_ptr<run_context> make_run_context(backtest_config config,
                                              std::shared_ptr<const market_data> data) {
  auto ctx = std::make_shared<run_context>();
  auto add = [&](std::string name) {
    ctx->containers.push_back(std::move(name));
    return static_cast<container_id>(ctx->containers.size() - 1);
  };
  ctx->root = add("backtest");
  ctx->data_feed = add("data");
  ctx->execution = add("execution");
  fnv1a hash;
  hash.add(config.name);
  for (const auto& p : config.portfolios) {
    portfolio_layout layout;
    layout.portfolio = add(p.id);
    layout.risk = add(p.id + "/risk");
    hash.add(p.id);
    for (const auto& s : p.strategies) {
      layout.strategies.push_back(add(p.id + "/" + s.id));
      hash.add(s.id);
      hash.add(s.type);
      for (const auto& [k, v] : s.params.values) {
        hash.add(k);
        hash.add(v);
      }
    }
    ctx->portfolios.push_back(std::move(layout));
  }
  for (const auto& s : data->symbols)
    hash.add(s);
  for (const auto& b : data->bars)
    hash.add(&b, sizeof b);
  ctx->run_id = hash.h;
  ctx->trace_rules = resolve_trace_rules(config.tracing, ctx->containers);
  ctx->interceptors = std::make_shared<std::vector<caf::actor>>(ctx->containers.size());
  ctx->config = std::move(config);
  ctx->data = std::move(data);
  return ctx;
}

} // namespace admf
