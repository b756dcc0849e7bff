#include "actors/risk/risk_actor.hpp"

#include <caf/typed_event_based_actor.hpp>

#include "actors/risk/risk_rules.hpp"

namespace admf {

risk_desk::risk_desk(const run_context& ctx, std::size_t portfolio)
  : port_(ctx.port_of(ctx.portfolios[portfolio].risk)),
    log_(ctx.run_hex(), ctx.name_of(ctx.portfolios[portfolio].risk)),
    limits_(ctx.config.portfolios[portfolio].risk),
    account_(ctx.config.portfolios[portfolio].account.type) {}

risk_verdicts risk_desk::judge_all(const std::vector<order_proposal>& proposals,
                                   const portfolio_snapshot& snapshot) {
  auto out = std::make_shared<event_batch>();
  out->reserve(proposals.size());
  reservations reserved;
  for (const auto& p : proposals) {
    auto verdict = judge(p, snapshot, limits_, account_, reserved);
    if (auto* order = std::get_if<order_data>(&verdict)) {
      out->push_back(port_.make(event_type::order, p.time, p.signal_id, *order, p.trade_id));
    } else {
      const auto& r = std::get<risk_reject_data>(verdict);
      log_.debug("reject order {}: {} (limit {}, observed {})", p.order.order_id,
                 to_string(r.reason), r.limit, r.observed);
      out->push_back(port_.make(event_type::risk_reject, p.time, p.signal_id, r, p.trade_id));
    }
  }
  risk_verdicts verdicts{{std::move(out), 0}};
  port_.emitted(verdicts);
  return verdicts;
}

risk_actor::behavior_type risk_behavior(risk_actor::pointer self, context_ptr ctx,
                                        std::size_t portfolio) {
  auto desk = std::make_shared<risk_desk>(*ctx, portfolio);
  return {
    [desk](const risk_check_msg& check) { return desk->judge_all(check.proposals, check.snapshot); },
  };
}

}  // namespace admf
