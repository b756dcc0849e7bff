// The risk container: judges a portfolio's order proposals against its limits and
// answers with ORDER events (approved) and RISK_REJECT events (with the reason).
//
// Its rules are a pure function (risk_rules.hpp), so the portfolio runs them where its
// orders are made, through a risk_desk that stamps and emits the verdicts as the risk
// container's own: same ids, same source, same tap to risk's interceptor. That saves
// the request and reply per close with orders (issue 13: the order round trip was
// serialised on the portfolio's wait). The risk actor stays the container: its
// lifetime bounds its tap channel, and it answers risk_check_msg for any other asker.
#pragma once
#include "runtime/bus/actors.hpp"
#include "runtime/bus/port.hpp"
#include "runtime/log/log.hpp"
#include "runtime/run/run_context.hpp"

namespace admf {

/// Risk container `portfolio`'s judgement: one instance stamps its events, so only one
/// may judge for that container in a run.
class risk_desk {
public:
  risk_desk(const run_context& ctx, std::size_t portfolio);

  /// The proposals of one timestamp judged in order: ORDERs and RISK_REJECTs, in
  /// proposal order, already shown to risk's interceptor (if any) as risk's output.
  risk_verdicts judge_all(const std::vector<order_proposal>& proposals,
                          const portfolio_snapshot& snapshot);

private:
  bus_port port_;
  container_log log_;
  risk_config limits_;
  account_type account_;
};

risk_actor::behavior_type risk_behavior(risk_actor::pointer self, context_ptr ctx,
                                        std::size_t portfolio);

}  // namespace admf
