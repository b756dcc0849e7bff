// Every message the container actors exchange, declared once. They live in one
// process (jobs and results cross machines, not events), so they are announced to
// CAF as local-only types here rather than given serializers.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>

#include "runtime/events/event.hpp"
#include "runtime/metrics/metrics.hpp"

namespace admf {

constexpr std::uint64_t end_of_stream = ~std::uint64_t{0};

/// A batch of events on a bus. `through` is the sender's watermark: it will send no
/// more events for bar positions <= through (bar position = the BAR's sequence number).
/// `about` names the container the batch concerns when it may be empty (execution
/// reports); router::nobody otherwise.
/// `acked` (execution reports) is the newest order id of `about` the sender had seen:
/// a watermark says nothing about orders it had not seen yet.
/// `emitted_ns` is the wall clock when the batch left its sender, set only when an
/// interceptor watches the sender (0 otherwise).
struct events_msg {
  shared_batch events;
  std::uint64_t through = 0;
  container_id about = ~container_id{0};
  std::uint64_t acked = 0;
  std::int64_t emitted_ns = 0;
};

/// Interception point -> interceptor: a copy of a batch a container emitted
/// (inbound = false) or received and handled (inbound = true), with hop times.
struct tap_msg {
  shared_batch events;
  container_id at = 0;
  bool inbound = false;
  std::int64_t emitted_ns = 0, received_ns = 0, processed_ns = 0;
};

/// Root -> interceptor: the run is over; flush, write stats, answer with them.
struct interceptor_finish_msg {};

/// Root -> data: send this many more batches.
struct credit_msg {
  std::size_t batches = 0;
};

/// Data -> root, root -> consumers: the stream has ended after bar `last_pos`.
struct stream_end_msg {
  std::uint64_t last_pos = 0;
};

/// Root -> execution: no order can come for bars at or before this position any more.
struct release_msg {
  std::uint64_t through = 0;
};

/// What risk needs to know of the portfolio to judge orders.
struct portfolio_snapshot {
  double equity = 0;
  double peak_equity = 0;
  double cash = 0;
  double gross_exposure = 0;
};

/// An order the portfolio wants to place, with what risk needs to judge it.
struct order_proposal {
  order_data order;
  timestamp time = 0;
  std::uint64_t signal_id = 0;    ///< the SIGNAL it answers (the ORDER's causation)
  std::uint64_t trade_id = 0;     ///< the ORDER's correlation
  double position_value = 0;      ///< |value| of the position it adds to (an exit: closes)
  double reference_price = 0;     ///< last close of the symbol
  bool exit = false;              ///< it only reduces a position: always allowed
};

/// Portfolio -> risk: the proposals of one timestamp, judged in order. Risk answers
/// with an events_msg of approved ORDERs and RISK_REJECTs, in the same order.
struct risk_check_msg {
  std::vector<order_proposal> proposals;
  portfolio_snapshot snapshot;
};

/// Portfolio -> root: it has processed every bar and order; its output is complete.
struct portfolio_done_msg {
  container_id portfolio = 0;
};

/// Root -> recorder: close the files and answer with the metrics.
struct finish_msg {
  bool keep = true;  ///< false: the portfolio failed; discard what was written
};

/// Events of each type a portfolio's recorder saw, indexed by event_type.
using event_counts = std::array<std::uint64_t, event_type_count>;

struct portfolio_result {
  std::string id;
  bool ok = false;
  std::string error;  ///< why the portfolio was stopped, when !ok
  int restarts = 0;
  metrics_report metrics;
  event_counts counts{};
};

struct run_result {
  std::string run_id;
  std::vector<portfolio_result> portfolios;
  std::uint64_t bars = 0;
};

/// Recorder -> root.
struct recorder_report {
  container_id portfolio = 0;
  metrics_report metrics;
  event_counts counts{};
};

/// Portfolio -> root, when a child restarted (for the report).
struct restart_note_msg {
  container_id portfolio = 0;
};

} // namespace admf

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::events_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::tap_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::interceptor_finish_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::credit_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::stream_end_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::release_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::risk_check_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::portfolio_done_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::finish_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::run_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::recorder_report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::restart_note_msg)
