#include "runtime/tracing/causal_chains.hpp"

#include <cstdint>
#include <unordered_map>

namespace admf {

bool causal_chain::complete() const {
  if (!decision)
    return false;
  return decision->ev.header.type == event_type::risk_reject || outcome != nullptr;
}

namespace {

using effects_index = std::unordered_map<std::uint64_t, std::vector<const trace_record*>>;

/// The records of `a` or `b` type caused by `cause`, in logical order.
std::vector<const trace_record*> effects_of(const effects_index& index, std::uint64_t cause,
                                            event_type a, event_type b) {
  std::vector<const trace_record*> out;
  const auto it = index.find(cause);
  if (it == index.end())
    return out;
  for (const auto* r : it->second)
    if (r->ev.header.type == a || r->ev.header.type == b)
      out.push_back(r);
  return out;
}

}  // namespace

std::vector<causal_chain> link_chains(const trace_data& data) {
  effects_index by_cause;
  // Cancels decided later (a strategy's cancel or replace, a superseding signal, a
  // liquidation) are caused by that decision, not by the order: found by order id.
  std::unordered_map<std::uint64_t, const trace_record*> cancel_of_order;
  for (const auto& r : data.records) {
    if (r.ev.header.causation != 0)
      by_cause[r.ev.header.causation].push_back(&r);
    if (r.ev.header.type == event_type::order_cancel)
      cancel_of_order.emplace(r.ev.as<order_cancel_data>().order_id, &r);
  }

  std::vector<causal_chain> chains;
  for (const auto& r : data.records) {
    if (r.ev.header.type != event_type::signal && r.ev.header.type != event_type::liquidation)
      continue;
    const auto decisions =
      effects_of(by_cause, r.ev.header.id, event_type::order, event_type::risk_reject);
    if (decisions.empty()) {
      // A strategy's cancel (or a superseding signal placing nothing) ends at the
      // ORDER_CANCELs it caused: decided and done.
      const auto cancels =
        effects_of(by_cause, r.ev.header.id, event_type::order_cancel, event_type::order_cancel);
      const trace_record* cancel = cancels.empty() ? nullptr : cancels.front();
      chains.push_back({&r, cancel, cancel});
    }
    for (const auto* d : decisions) {
      causal_chain chain{&r, d, nullptr};
      if (d->ev.header.type == event_type::order) {
        const auto outcomes =
          effects_of(by_cause, d->ev.header.id, event_type::fill, event_type::order_cancel);
        if (!outcomes.empty())
          chain.outcome = outcomes.front();
        else if (auto c = cancel_of_order.find(d->ev.as<order_data>().order_id);
                 c != cancel_of_order.end())
          chain.outcome = c->second;
        if (chain.outcome && chain.outcome->ev.header.type == event_type::fill) {
          const auto cuts = effects_of(by_cause, chain.outcome->ev.header.id,
                                       event_type::order_cancel, event_type::order_cancel);
          if (!cuts.empty())
            chain.cut = cuts.front();
        }
      }
      chains.push_back(chain);
    }
  }
  return chains;
}

}  // namespace admf
