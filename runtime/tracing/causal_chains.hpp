// Causal chains: how a signal became (or did not become) a trade, linked through the
// events' causation ids.
#pragma once
#include <vector>

#include "runtime/tracing/trace_data.hpp"

namespace admf {

/// SIGNAL (or LIQUIDATION) -> ORDER or RISK_REJECT (caused by it) -> FILL or ORDER_CANCEL
/// (caused by the order, or, when a later decision cancelled it, naming its order id) ->
/// the account's ORDER_CANCEL of the part of the fill it did not take (caused by the fill). An origin that led to several orders makes one chain per
/// order. Pointers into the trace_data the chains were linked from.
struct causal_chain {
  const trace_record* origin = nullptr;    ///< SIGNAL, or LIQUIDATION (its exits)
  /// ORDER or RISK_REJECT; the ORDER_CANCEL of a signal that only cancelled; null: no order yet
  const trace_record* decision = nullptr;
  const trace_record* outcome = nullptr;   ///< FILL or ORDER_CANCEL; null: still open
  const trace_record* cut = nullptr;       ///< ORDER_CANCEL of part of the FILL, if any
  /// A rejected signal ends at the reject; an order ends at its fill or cancel.
  bool complete() const;
};

/// One chain per (origin, decision), in the origins' logical order; an order's
/// outcome is its first FILL or ORDER_CANCEL in logical order.
std::vector<causal_chain> link_chains(const trace_data& data);

}  // namespace admf
