// Causal chains: how a signal became (or did not become) a trade, linked through the
// events' causation ids.
#pragma once
#include <vector>

#include "runtime/tracing/trace_data.hpp"

namespace admf {

/// SIGNAL -> ORDER or RISK_REJECT (caused by the signal) -> FILL or ORDER_CANCEL (caused
/// by the order). A signal that led to several orders makes one chain per order.
/// Pointers into the trace_data the chains were linked from.
struct causal_chain {
  const trace_record* signal = nullptr;
  const trace_record* decision = nullptr;  ///< ORDER or RISK_REJECT; null: no order yet
  const trace_record* outcome = nullptr;   ///< FILL or ORDER_CANCEL; null: still open
  /// A rejected signal ends at the reject; an order ends at its fill or cancel.
  bool complete() const;
};

/// One chain per (signal, decision), in the signals' logical order; an order's
/// outcome is its first FILL or ORDER_CANCEL in logical order.
std::vector<causal_chain> link_chains(const trace_data& data);

}  // namespace admf
