#include "actors/risk/risk_actor.hpp"

#include <caf/typed_event_based_actor.hpp>

#include "actors/risk/risk_rules.hpp"
#include "runtime/log/log.hpp"

namespace admf {

risk_actor::behavior_type risk_behavior(risk_actor::pointer self, context_ptr ctx,
                                        std::size_t portfolio) {
  const container_id me = ctx->portfolios[portfolio].risk;
  auto port = std::make_shared<bus_port>(ctx->port_of(me));
  auto log = std::make_shared<container_log>(ctx->run_hex(), ctx->name_of(me));
  const risk_config limits = ctx->config.portfolios[portfolio].risk;
  const account_type account = ctx->config.portfolios[portfolio].account.type;
  return {
    [=](const risk_check_msg& check) {
      auto out = std::make_shared<event_batch>();
      reservations reserved;
      for (const auto& p : check.proposals) {
        auto verdict = judge(p, check.snapshot, limits, account, reserved);
        if (auto* order = std::get_if<order_data>(&verdict)) {
          out->push_back(port->make(event_type::order, p.time, p.signal_id, *order, p.trade_id));
        } else {
          const auto& r = std::get<risk_reject_data>(verdict);
          log->debug("reject order {}: {} (limit {}, observed {})", p.order.order_id,
                     to_string(r.reason), r.limit, r.observed);
          out->push_back(port->make(event_type::risk_reject, p.time, p.signal_id, r, p.trade_id));
        }
      }
      risk_verdicts verdicts{{std::move(out), 0}};
      port->emitted(verdicts);
      return verdicts;
    },
  };
}

}  // namespace admf
