// Every container's typed interface, declared once: who may send which message to
// whom is checked by the compiler (a send to an actor whose interface lacks the
// message does not compile; see tests/compile_fail/). The messages are in
// runtime/bus/messages.hpp; the behaviours in actors/<container>/.
//
//   engine ──start──▶ backtest (root) ──credit──▶ data
//                      │  ▲  bar_batch, stream_end ◀─┘
//                      │  └──── bar_batch, release, stream_end ──▶ execution
//                      ├── bar_batch, stream_end ──▶ portfolio
//                      │     ◀── portfolio_output, portfolio_done, restart_note ──┘
//                      │       portfolio ── order_batch ──▶ execution ── execution_report ──▶ portfolio
//                      │       portfolio ── bar_batch ──▶ strategy ── signal_batch ──▶ portfolio
//                      │       risk: its rules run in the portfolio (risk_desk); it still
//                      │       answers risk_check with risk_verdicts
//                      └── recorder_input, finish ──▶ recorder ── recorder_report (reply)
//                              ◀── recorded ──────────────┘
//   any container's tap channel ── tap_drain ──▶ interceptor (attached by configuration)
//   a congested tap channel ── tap_drained ──▶ backtest (root), which withholds data's credit
//   engine ── interceptor_finish ──▶ interceptor ── true (reply)
#pragma once
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "runtime/bus/messages.hpp"

namespace admf {

// --- what each container sends up, as its parent's interface ----------------

/// The root as the data container sees it.
using data_parent_actor =
  caf::typed_actor<caf::reacts_to<bar_batch>, caf::reacts_to<stream_end_msg>>;

/// The root as a portfolio sees it.
using portfolio_parent_actor =
  caf::typed_actor<caf::reacts_to<portfolio_output>, caf::reacts_to<portfolio_done_msg>,
                   caf::reacts_to<restart_note_msg>>;

/// The root as a recorder sees it.
using recorder_parent_actor = caf::typed_actor<caf::reacts_to<recorded_msg>>;

/// A portfolio as its strategies see it.
using strategy_parent_actor = caf::typed_actor<caf::reacts_to<signal_batch>>;

// --- the containers -----------------------------------------------------------

/// The root as a congested tap channel sees it (runtime/bus/tap_channel.hpp).
using tap_waiter_actor = caf::typed_actor<caf::reacts_to<tap_drained_atom>>;

/// The root of one backtest: answers start_atom with the run's result.
using backtest_actor = data_parent_actor::extend_with<portfolio_parent_actor>::extend_with<
  recorder_parent_actor>::extend_with<tap_waiter_actor>::
  extend<caf::replies_to<start_atom>::with<run_result>>;

/// Publishes the run's bars as bar_batches, as far as credit allows.
using data_actor = caf::typed_actor<caf::reacts_to<credit_msg>>;

/// The simulated broker shared by all portfolios.
using execution_actor =
  caf::typed_actor<caf::reacts_to<bar_batch>, caf::reacts_to<order_batch>,
                   caf::reacts_to<release_msg>, caf::reacts_to<stream_end_msg>>;

/// One portfolio: bars and execution reports from the root, signals from its strategies.
using portfolio_actor =
  strategy_parent_actor::extend<caf::reacts_to<bar_batch>, caf::reacts_to<execution_report>,
                                caf::reacts_to<stream_end_msg>>;

/// One strategy instance: answers every bar_batch with one signal_batch to its portfolio.
using strategy_actor = caf::typed_actor<caf::reacts_to<bar_batch>>;

/// A portfolio's risk container.
using risk_actor = caf::typed_actor<caf::replies_to<risk_check_msg>::with<risk_verdicts>>;

/// The tracer / console observer attached to a container by configuration; its taps
/// arrive through the container's tap channel (runtime/bus/tap_channel.hpp).
using interceptor_actor =
  caf::typed_actor<caf::reacts_to<tap_drain_atom>,
                   caf::replies_to<interceptor_finish_msg>::with<bool>>;

/// A portfolio's recorder: the metrics collector and result-file writer.
using recorder_actor = caf::typed_actor<caf::reacts_to<recorder_input>,
                                        caf::replies_to<finish_msg>::with<recorder_report>>;

}  // namespace admf
