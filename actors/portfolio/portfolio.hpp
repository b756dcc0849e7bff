// The portfolio container's state and its behaviour's pieces, split by concern:
// portfolio_actor.cpp (inputs, supervision, publishing), portfolio_loop.cpp (the bar
// loop: fills, closes, liquidation), portfolio_orders.cpp (signals to orders: targets,
// on_new_signal, cancel, replace, resting orders). Internal to actors/portfolio/.
#pragma once
#include <deque>
#include <map>
#include <set>

#include "actors/portfolio/portfolio_book.hpp"
#include "actors/risk/risk_actor.hpp"
#include "actors/strategy/strategy_actor.hpp"
#include "runtime/bus/actors.hpp"
#include "runtime/bus/router.hpp"
#include "runtime/log/log.hpp"
#include "runtime/run/run_context.hpp"

namespace admf::detail {

struct strategy_slot {
  strategy_actor actor;
  std::uint64_t through = 0;  // watermark of its SIGNAL batches
  std::deque<event> signals;  // received, not yet acted on
};

/// An order placed and not over, as far as the outcomes that took effect tell.
struct resting_order {
  order_data order;
  std::uint64_t trade_id = 0;  // its events' correlation
  double filled = 0;           // units
};

using position_key = std::pair<container_id, symbol_id>;

class portfolio {
public:
  portfolio(portfolio_actor::pointer self, context_ptr ctx, std::size_t index,
            portfolio_parent_actor parent, execution_actor execution)
    : self_(self), ctx_(std::move(ctx)), index_(index), parent_(std::move(parent)),
      execution_(std::move(execution)),
      layout_(ctx_->portfolios[index]), config_(ctx_->config.portfolios[index]),
      me_(layout_.portfolio), port_(ctx_->port_of(me_)), log_(ctx_->run_hex(), ctx_->name_of(me_)),
      book_(config_.initial_capital), outbox_(std::make_shared<event_batch>()),
      to_execution_(std::make_shared<event_batch>()),
      risk_desk_(*ctx_, index) {}

  void start();

  // --- inputs -------------------------------------------------------------

  void on_bars(const bar_batch& in);

  /// Outcomes of our orders, and execution's watermark. An outcome is known now (no
  /// more waiting for it) but takes effect at its bar: an order filling next year is
  /// still pending until then.
  void on_execution_report(const execution_report& in);

  void on_strategy_signals(const signal_batch& in);

  /// Risk's verdicts on the proposals of the current close (`asked_`), in their order.
  void on_risk_verdicts(const risk_verdicts& verdicts);

  void on_stream_end(const stream_end_msg& end);

  /// A child ended abnormally: restart it per policy, or fail the portfolio.
  void on_child_exit(const caf::exit_msg& msg);

private:
  bool may_restart() const;

  void fail(const std::string& why);

  std::size_t slot_of(container_id strategy) const;

  strategy_actor spawn_strategy(std::size_t i);

  /// A strategy with `symbols:` gets only their bars (and every batch's watermark).
  void subscribe_bars(std::size_t i);

  /// Routes a BAR batch to the strategies; `only`: to that one alone (a restarted one).
  void send_bars(const bar_batch& in, const strategy_actor* only = nullptr);

  // --- orders, as the outcomes that took effect tell ----------------------------

  /// An approved ORDER (from risk, or a bracket leg): resting until its final outcome.
  void place(const event& order_event);

  /// Cancels a resting order at this close: an ORDER_CANCEL of the portfolio's, which
  /// execution acts on too (it drops the order). Execution has matched no bar after
  /// this close yet (its horizon), so nothing of the order can have filled since.
  void cancel_resting(std::uint64_t id, cancel_reason reason, std::uint64_t cause);

  /// The resting bracket legs (`legs`) or other orders of a strategy in a symbol.
  std::vector<std::uint64_t> resting_of(position_key key, bool legs) const;

  void cancel_all_of(position_key key, bool legs, cancel_reason reason, std::uint64_t cause);

  /// A signal the portfolio turns down itself (a RISK_REJECT of its own).
  void turn_down(const event& signal_event, reject_reason why, double observed);

  /// Whether an earlier signal of this close proposed orders for `key`.
  static bool proposed(const risk_check_msg& check, position_key key);

  static bool of_key(const order_proposal& p, position_key key);

  /// Withdraws what earlier signals of this close proposed for `key`: each of those
  /// signals is turned down (`superseded`). True when there was any.
  bool withdraw_proposed(risk_check_msg& check, position_key key);

  // --- the bar loop ---------------------------------------------------------

  bool awaiting() const { return !on_close_orders_.empty(); }

  bool ready_for(std::uint64_t pos) const;

  void pump();

  /// Whether the timestamp whose bars end at batch[end - 1] is one of this portfolio's
  /// (portfolio_layout::calendar). Others' timestamps are not closed: its metrics must
  /// not depend on which other symbols the run loads. Its watermark still passes them.
  bool in_calendar(const event_batch& batch, std::size_t end) const;

  void on_bar(const event& bar_event);

  /// Removes the pending outcomes `take(event&)` takes (returns true for), keeping the
  /// rest in their order.
  template <class Take>
  void take_outcomes(Take take);

  /// The fills of timestamp `now`, once all are known (every bar of it is handled):
  /// exits first, so what they free is there for the entries; entries checked by the
  /// account at their fill prices, other positions at the last closes; then the
  /// timestamp's closes are marked.
  void settle_fills(timestamp now);

  bool reduces(const fill_data& f) const;

  void apply_fill(const event& fill_event);

  /// A bracket's stop-loss and take-profit for one fill of its entry, placed when the
  /// fill takes effect: they work from the next bar on.
  void place_legs(const order_data& entry, double quantity, const event& fill_event);

  /// End of data: what is still held is reported, marked at its last close (caused by
  /// the last bar).
  void snapshot_open_positions();

  /// The close of a timestamp: mark to market, then act on the signals made at it
  /// (risk judges its proposals in place). Returns true when it must wait for the
  /// outcomes of market-on-close orders.
  bool on_close(const event& bar_event);

  /// The end of a close, once its orders are placed and its market-on-close orders
  /// have their outcomes: their fills take effect, then the close's PORTFOLIO_UPDATE
  /// if it waited for them. Execution may now match past this close.
  void finish_close();

  /// Cancels every resting order and exits every position at market, caused by the
  /// LIQUIDATION event; the close's signals leave these positions alone.
  void liquidate(const liquidation_data& due, const event& bar_event, risk_check_msg& check);

  /// A signal at its close: a cancel, a replace, or a target. A target first meets the
  /// strategy's resting orders in the symbol (on_new_signal), then becomes orders.
  void act(const event& signal_event, risk_check_msg& check);

  /// The order a signal's fields describe, for `action`, before its quantity.
  order_proposal proposal_for(const event& signal_event, side action);

  /// Orders for one target: a reduction of what is held against it (an exit, which
  /// also cancels the position's bracket legs) and an addition towards it (an entry).
  /// A side target's entry is budgeted: the strategy's allocation (leverage x equity /
  /// strategies) times the strength, which risk caps to the buying power the proposals
  /// before it left (risk_rules.hpp), unless it names a quantity.
  void propose(const event& signal_event, risk_check_msg& check);

  /// A replace: the newest resting order of the strategy in the symbol that has what
  /// changes (a stop price: stops, stop-limits, trailing stops, stop-loss legs; a limit
  /// price: limits, stop-limits, take-profit legs) is proposed again with the change;
  /// once approved the old one is cancelled (replaced) and the new one placed.
  void propose_replace(const event& signal_event, risk_check_msg& check);

  /// Publishes what this portfolio produced to its parent, with its progress, after
  /// send_orders.
  void publish(std::uint64_t through);

  /// Sends its new ORDERs and ORDER_CANCELs to execution, with how far it has decided
  /// (execution's horizon for it moves even when it placed nothing, while orders work).
  /// Where the portfolio waits for execution, this alone goes out: its output waits
  /// for the end of the BAR batch (a message per batch to the root, not per order).
  void send_orders(std::uint64_t through);

  /// An ORDER or ORDER_CANCEL of this portfolio's, for its output and for execution.
  void emit_order(const event& e);

  portfolio_actor::pointer self_;
  context_ptr ctx_;
  std::size_t index_;
  portfolio_parent_actor parent_;
  execution_actor execution_;
  const portfolio_layout& layout_;
  const portfolio_config& config_;
  container_id me_;
  bus_port port_;
  container_log log_;
  portfolio_book book_;
  std::shared_ptr<event_batch> outbox_;
  std::shared_ptr<event_batch> to_execution_;  // ORDERs and ORDER_CANCELs not yet sent

  risk_actor risk_;        // the risk container: its lifetime, supervision, tap channel
  risk_desk risk_desk_;    // its rules, run here on each close's proposals
  std::vector<strategy_slot> slots_;
  router<strategy_actor> bars_;
  int restarts_ = 0;

  std::deque<bar_batch> queue_;  // BAR batches not yet fully handled
  std::size_t cursor_ = 0;       // next bar in queue_.front()
  std::uint64_t through_ = 0, published_through_ = 0, stream_end_ = 0;
  std::uint64_t exec_through_ = 0, newest_order_ = 0;
  // Its orders are placed (or cancelled) for every close at or before this position.
  std::uint64_t decided_ = 0, published_decided_ = 0, sent_decided_ = 0;
  std::size_t open_orders_ = 0;  // orders whose final outcome execution has not reported
  std::map<std::uint64_t, resting_order> resting_;  // by order id
  std::vector<order_proposal> asked_;               // sent to risk, in verdict order
  std::set<std::uint64_t> on_close_orders_;  // market-on-close orders without their outcome
  bool update_waits_ = false;  // this close's PORTFOLIO_UPDATE waits for them
  std::vector<event> pending_outcomes_;  // FILLs and ORDER_CANCELs known, not yet reached
  std::vector<std::pair<symbol_id, double>> closes_;  // this timestamp's, marked at its end
  event_header last_bar_;  // the newest BAR handled
  // Equity at the current close, for its proposals: the book does not change while
  // the close's signals are acted on, so it is not summed over positions again per
  // proposal (issue 13).
  double close_equity_ = 0;
  std::set<position_key> liquidating_;  // at the current close
  bool done_ = false, ruined_ = false;
  std::uint64_t orders_ = 0, trades_ = 0;
};

}  // namespace admf::detail
