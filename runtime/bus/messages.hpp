// Every message the containers of one backtest exchange, declared once, each with one
// role. Which container may send which message to whom is fixed by the typed
// interfaces in runtime/bus/actors.hpp. They stay in one process (jobs and results
// cross machines, not events: see apps/cluster/protocol.hpp), so they are allowed
// to CAF as local-only types rather than given serializers.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "runtime/events/event.hpp"
#include "runtime/metrics/metrics.hpp"

namespace admf {

constexpr std::uint64_t end_of_stream = ~std::uint64_t{0};

// --- batches of events --------------------------------------------------------

/// What every batch of events carries. `through` is the sender's watermark: it will
/// send no more events for bar positions <= through (bar position = the BAR's
/// sequence number). `emitted_ns` is the wall clock when the batch left its sender,
/// set only when an interceptor watches the sender (0 otherwise).
struct batch_msg {
  shared_batch events;
  std::uint64_t through = 0;
  std::int64_t emitted_ns = 0;
};

/// BAR events, in time order, never splitting one timestamp: data -> root,
/// root -> execution and portfolios, portfolio -> strategies.
struct bar_batch : batch_msg {};

/// A strategy's SIGNALs for one BAR batch (possibly none): strategy -> portfolio.
struct signal_batch : batch_msg {
  container_id strategy = 0;
};

/// What a portfolio did (SIGNALs republished, ORDERs, ORDER_CANCELs, positions,
/// updates, risk rejects, execution's outcomes), with its progress: portfolio -> root. `decided`: it has
/// placed (or cancelled) every order of its closes at bar positions <= decided; until
/// then execution must not match its orders past the timestamp after `decided`.
struct portfolio_output : batch_msg {
  container_id portfolio = 0;
  std::uint64_t decided = 0;
};

/// Outcomes (FILL, ORDER_CANCEL) of one portfolio's orders, possibly none: execution
/// -> that portfolio, which republishes them in its output for its recorder and
/// observers. `through` is execution's watermark for that portfolio; `acked` is the newest order id of it that execution had seen, since a
/// watermark says nothing about orders execution had not seen yet.
struct execution_report : batch_msg {
  container_id portfolio = 0;
  std::uint64_t acked = 0;
};

/// Who takes a portfolio's execution_reports.
using execution_report_sink = caf::typed_actor<caf::reacts_to<execution_report>>;

/// ORDERs and ORDER_CANCELs the portfolio made, possibly none, and its `decided`
/// (portfolio_output): portfolio -> execution, directly (issue 13: an order no longer
/// passes the root on its way, nor its outcomes on their way back). Execution reports
/// to `reply_to`, the portfolio (a test playing it in tests/actors).
struct order_batch : batch_msg {
  container_id portfolio = 0;
  std::uint64_t decided = 0;
  execution_report_sink reply_to;
};

/// One portfolio's events, as its recorder's subscriptions filter them: root -> recorder.
/// `through` is the portfolio's watermark when they come from its output, 0 when they
/// are execution's outcomes.
struct recorder_input : batch_msg {};

/// Risk's answer to a risk_check_msg: approved ORDERs and RISK_REJECTs, in proposal order.
struct risk_verdicts : batch_msg {};

// --- flow control and lifecycle ---------------------------------------------

/// Engine -> root: run the backtest; the answer is the run_result.
using start_atom = caf::atom_constant<caf::atom("start")>;

/// Root -> data: send this many more batches.
struct credit_msg {
  std::size_t batches = 0;
};

/// Data -> root, root -> execution and portfolios: the stream has ended after bar `last_pos`.
struct stream_end_msg {
  std::uint64_t last_pos = 0;
};

/// Root -> execution: no order can come for bars at or before this position any more.
struct release_msg {
  std::uint64_t through = 0;
};

/// Portfolio -> root: it has processed every bar and order; its output is complete.
struct portfolio_done_msg {
  container_id portfolio = 0;
};

/// Recorder -> root: it has recorded its portfolio's output through this bar position.
/// Recorders are in the credit loop like portfolios, so their mailboxes stay bounded
/// whatever the scheduler runs first.
struct recorded_msg {
  container_id portfolio = 0;
  std::uint64_t through = 0;
};

/// Portfolio -> root, when a child restarted (for the report).
struct restart_note_msg {
  container_id portfolio = 0;
};

// --- interception ---------------------------------------------------------------

/// Tap channel -> interceptor: taps are waiting, or an attached container ended.
using tap_drain_atom = caf::atom_constant<caf::atom("tapdrain")>;

/// Tap channel -> root: a congested channel drained; data's withheld credit may go.
using tap_drained_atom = caf::atom_constant<caf::atom("tapfree")>;

/// Engine -> interceptor: the run is over; flush, write its files, answer true (or
/// the error that stopped it writing).
struct interceptor_finish_msg {};

// --- risk -------------------------------------------------------------------

/// What risk needs to know of the portfolio to judge orders.
struct portfolio_snapshot {
  double equity = 0;
  double peak_equity = 0;
  double gross_exposure = 0;
  double buying_power = 0;  ///< what entries may spend in all (actors/portfolio/account.hpp)
  bool ruined = false;      ///< equity has been <= 0 at a close: no more entries
};

/// An order the portfolio wants to place, with what risk needs to judge it.
struct order_proposal {
  order_data order;
  timestamp time = 0;
  std::uint64_t signal_id = 0;  ///< the SIGNAL it answers (the ORDER's causation)
  std::uint64_t trade_id = 0;   ///< the ORDER's correlation
  double position_value = 0;    ///< |value| of the position it adds to (an exit: closes)
  double reference_price = 0;   ///< last close of the symbol
  bool exit = false;            ///< it only reduces a position: always allowed
  std::uint64_t replaces = 0;   ///< a replace: the resting order it takes the place of
};

/// Portfolio -> risk: the proposals of one timestamp, judged in order; answered
/// with risk_verdicts.
struct risk_check_msg {
  std::vector<order_proposal> proposals;
  portfolio_snapshot snapshot;
};

// --- results ----------------------------------------------------------------

/// Root -> recorder: close the files and answer with the recorder_report.
struct finish_msg {
  bool keep = true;  ///< false: the portfolio failed; discard what was written
};

/// Events of each type a portfolio's recorder saw, indexed by event_type.
using event_counts = std::array<std::uint64_t, event_type_count>;

/// A position still held at the end of the data (from its POSITION_SNAPSHOT), by name.
struct open_position {
  std::string strategy, symbol;
  double quantity = 0;  ///< signed: negative for a short
  timestamp entry_time = 0;
  double entry_price = 0, last_price = 0;
  double unrealized_pnl = 0;  ///< at last_price, net of the commission paid, currency
};

/// Recorder -> root.
struct recorder_report {
  container_id portfolio = 0;
  metrics_report metrics;
  event_counts counts{};
  std::vector<open_position> open_positions;
  std::vector<std::string> silent_strategies;  ///< ids of its strategies that never signalled
};

struct portfolio_result {
  std::string id;
  bool ok = false;
  std::string error;  ///< why the portfolio was stopped, when !ok
  int restarts = 0;
  metrics_report metrics;
  event_counts counts{};
  std::vector<open_position> open_positions;
  std::vector<std::string> silent_strategies;  ///< ids of its strategies that never signalled
};

/// Root -> engine: the answer to start_atom.
struct run_result {
  std::string run_id;
  std::vector<portfolio_result> portfolios;
  std::uint64_t bars = 0;
};

}  // namespace admf

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::bar_batch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::signal_batch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::portfolio_output)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::order_batch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::execution_report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::recorder_input)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::risk_verdicts)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::credit_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::stream_end_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::release_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::portfolio_done_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::restart_note_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::recorded_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::risk_check_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::interceptor_finish_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::finish_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::recorder_report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(admf::run_result)
