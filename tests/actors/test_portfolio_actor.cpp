// The portfolio container on its own, with its real risk rules and one scripted
// strategy (actor_fixture.cpp). The test plays the root and execution: it injects
// bars, execution reports and the end of the stream one at a time, and decides when
// the strategy may answer. What the portfolio sends up is recorded. Risk's rules run
// inside the portfolio at each close (actors/risk/risk_actor.hpp, issue 13): judging
// an order is no message, so no step of these tests waits for risk.
//
// Its rule (actors/portfolio/portfolio_actor.hpp): it handles bar position p only
// when every strategy has answered through p and, while an order is open, when
// execution's watermark has passed p (for a report that acknowledges its newest order).
#define CAF_SUITE portfolio_actor
#include "actor_fixture.hpp"

#include "actors/portfolio/portfolio_actor.hpp"

using namespace admf;
using namespace admf::actor_test;

namespace {

// One symbol; bar position p is at t = 100 p.
//   1: open 10 close 10   2: open 11 close 12   3: open 12 close 13   4: open 13 close 14
run_setup market(std::map<std::string, std::string> script) {
  return run_setup{config_of({"p"}, "test_scripted", std::move(script)),
                   {"AAA"},
                   {{100, 0, 10, 10}, {200, 0, 11, 12}, {300, 0, 12, 13}, {400, 0, 13, 14}}};
}

/// One portfolio under test and its recording root.
struct subject {
  actor_fixture& fx;
  caf::scheduler::test_coordinator& sched;  // the DSL's macros use this name
  const run_setup& run;
  inbox_ptr box = std::make_shared<inbox>();
  portfolio_parent_actor root;
  portfolio_actor pf;
  caf::actor strategy;  // its child, found when it first gets mail
  container_id me = run.ctx->portfolios[0].portfolio;

  subject(actor_fixture& f, const run_setup& r) : fx(f), sched(f.sched), run(r) {
    root = fx.sys.spawn(portfolio_root, box);
    pf = fx.sys.spawn(portfolio_behavior, run.ctx, std::size_t{0}, root, execution_actor{});
    sched.run();  // initialises it, its risk container and strategy; no mail yet
  }
  ~subject() { fx.stop(pf); }

  void bars(std::uint64_t first, std::uint64_t last) { fx.deliver(pf, run.batch(first, last)); }

  /// The strategy answers the next bar batch routed to it; the answer waits in the
  /// portfolio's mailbox until signals_arrive().
  void strategy_answers() {
    if (!strategy)
      strategy = fx.receiver_of<bar_batch>(pf);
    expect((bar_batch), from(pf).to(strategy));
  }
  void signals_arrive() { expect((signal_batch), from(strategy).to(pf)); }

  /// Execution's report, as the root forwards it.
  void report(std::vector<event> outcomes, std::uint64_t through, std::uint64_t acked) {
    fx.deliver(pf, execution_report{
                     {std::make_shared<event_batch>(std::move(outcomes)), through}, me, acked});
  }

  /// The FILL of order `n` at bar time `t`, made as execution makes it.
  event fill(std::uint64_t n, timestamp t, double price, double commission) {
    const event order = find(event_type::order, scoped_id(me, n));
    const auto& o = order.as<order_data>();
    fill_data f{o.order_id, me, o.strategy, o.symbol, o.action, o.quantity, price, commission};
    return run.ctx->port_of(run.ctx->execution)
      .make(event_type::fill, t, order.header.id, f, order.header.correlation);
  }
  event cancel(std::uint64_t n) {
    const event order = find(event_type::order, scoped_id(me, n));
    const auto& o = order.as<order_data>();
    return run.ctx->port_of(run.ctx->execution)
      .make(event_type::order_cancel, order.header.time, order.header.id,
            order_cancel_data{o.order_id, me, o.strategy, o.symbol, cancel_reason::end_of_data},
            order.header.correlation);
  }

  // --- what the root has received (after letting it read its mail) -------------

  std::vector<event> events() {
    fx.drain(root);
    std::vector<event> all;
    for (const auto& o : box->outputs)
      all.insert(all.end(), o.events->begin(), o.events->end());
    return all;
  }
  event find(event_type type, std::uint64_t order_id) {
    for (const auto& e : events())
      if (e.header.type == type && e.as<order_data>().order_id == order_id)
        return e;
    CAF_FAIL("no such order in the portfolio's output");
  }
  /// The portfolio's published progress: the highest `through` it sent up.
  std::uint64_t through() {
    fx.drain(root);
    std::uint64_t t = 0;
    for (const auto& o : box->outputs)
      t = std::max(t, o.through);
    return t;
  }
  std::optional<portfolio_update_data> update_at(timestamp t) {
    for (const auto& e : events())
      if (e.header.type == event_type::portfolio_update && e.header.time == t)
        return e.as<portfolio_update_data>();
    return std::nullopt;
  }
};

}  // namespace

CAF_TEST_FIXTURE_SCOPE(portfolio_tests, actor_fixture)

CAF_TEST(it does not pass a bar until its strategy has answered through it) {
  auto run = market({});  // the strategy never signals
  subject s{*this, run};
  s.bars(1, 1);
  s.bars(2, 2);
  // Both bars are with the strategy, unanswered: nothing may be published.
  CAF_CHECK_EQUAL(s.through(), 0u);
  CAF_CHECK(s.events().empty());
  s.strategy_answers();  // its answer for bar 1 waits in the portfolio's mailbox
  CAF_CHECK_EQUAL(s.through(), 0u);
  s.signals_arrive();
  // Bar 1 handled: marked to market (no position: equity = capital), bar 2 not.
  CAF_CHECK_EQUAL(s.through(), 1u);
  const auto at100 = s.update_at(100);
  CAF_REQUIRE(at100);
  CAF_CHECK_EQUAL(at100->equity, 100000.0);
  CAF_CHECK(!s.update_at(200));
  s.strategy_answers();
  s.signals_arrive();
  CAF_CHECK_EQUAL(s.through(), 2u);
  CAF_CHECK(s.update_at(200));
  CAF_CHECK(s.box->done.empty());  // every bar handled, but the stream has not ended
}

CAF_TEST(with an order open it waits for a watermark past the bar that acks its newest order) {
  auto run = market({{"long_at", "1"}, {"qty", "100"}});
  subject s{*this, run};
  s.bars(1, 1);
  s.strategy_answers();
  s.signals_arrive();  // LONG at t=100: proposes buying 100 (1000 of 100000: within limits)
  const auto order = s.find(event_type::order, scoped_id(s.me, 1)).as<order_data>();
  CAF_CHECK(order.action == side::buy);
  CAF_CHECK_EQUAL(order.quantity, 100.0);
  CAF_CHECK_EQUAL(s.through(), 1u);
  // Bar 2 answered by the strategy, but order 1 is open and execution said nothing yet.
  s.bars(2, 2);
  s.strategy_answers();
  s.signals_arrive();
  CAF_CHECK_EQUAL(s.through(), 1u);
  CAF_CHECK(!s.update_at(200));
  // Execution's watermark passed bar 2 before it saw order 1 (acked 0): says nothing
  // about order 1, which might still fill at t=200.
  s.report({}, 2, 0);
  CAF_CHECK_EQUAL(s.through(), 1u);
  // It saw order 1, but its watermark is only at bar 1.
  s.report({}, 1, scoped_id(s.me, 1));
  CAF_CHECK_EQUAL(s.through(), 1u);
  CAF_CHECK(!s.update_at(200));
  // Filled at bar 2's open, 11, commission 1: cash 100000 - 1100 - 1 = 98899; marked
  // at bar 2's close, 12: equity 98899 + 1200 = 100099.
  s.report({s.fill(1, 200, 11, 1)}, 2, scoped_id(s.me, 1));
  CAF_CHECK_EQUAL(s.through(), 2u);
  const auto at200 = s.update_at(200);
  CAF_REQUIRE(at200);
  CAF_CHECK_EQUAL(at200->cash, 98899.0);
  CAF_CHECK_EQUAL(at200->equity, 100099.0);
  const auto all = s.events();
  const auto opened = std::find_if(all.begin(), all.end(), [](const event& e) {
    return e.header.type == event_type::position_open;
  });
  CAF_REQUIRE(opened != all.end());
  CAF_CHECK_EQUAL(opened->header.time, 200);
  CAF_CHECK_EQUAL(opened->as<position_data>().entry_price, 11.0);
  CAF_CHECK_EQUAL(opened->as<position_data>().quantity, 100.0);
}

namespace {

/// When execution's report for the bar an order fills on reaches the portfolio:
/// before the strategy's answer for that bar, after it, or after the strategy has
/// also answered the next bar (strategies run ahead: bars reach them on arrival).
enum class report { first, after_signals, after_next_signals };

/// A round trip (LONG at bar 1, FLAT at bar 3) with execution's reports delivered
/// at `when`; returns what the portfolio sent up.
std::vector<portfolio_output> round_trip(actor_fixture& fx, report when) {
  auto run = market({{"long_at", "1"}, {"flat_at", "3"}, {"qty", "100"}});
  subject s{fx, run};
  s.bars(1, 1);
  s.strategy_answers();
  s.signals_arrive();
  // order 1: buy 100, approved by risk at the close
  // Bar 2: order 1 fills at its open, 11. Bar 3: FLAT, so order 2 sells 100.
  s.bars(2, 2);
  s.bars(3, 3);
  auto filled_1 = [&] { s.report({s.fill(1, 200, 11, 1)}, 3, scoped_id(s.me, 1)); };
  if (when == report::first)
    filled_1();
  s.strategy_answers();
  s.signals_arrive();
  if (when == report::after_signals)
    filled_1();
  s.strategy_answers();
  s.signals_arrive();
  if (when == report::after_next_signals)
    filled_1();
  // Bar 4: order 2 fills at its open, 13; then the end of the data.
  s.bars(4, 4);
  auto filled_2 = [&] { s.report({s.fill(2, 400, 13, 1)}, 4, scoped_id(s.me, 2)); };
  if (when == report::first)
    filled_2();
  s.strategy_answers();
  s.signals_arrive();
  if (when != report::first)
    filled_2();
  fx.deliver(s.pf, stream_end_msg{4});
  fx.drain(s.root);
  CAF_CHECK_EQUAL(s.box->done.size(), 1u);
  return s.box->outputs;
}

}  // namespace

CAF_TEST(signals and execution reports in either order give the same output) {
  const auto signals_first = describe(round_trip(*this, report::after_signals));
  const auto report_first = describe(round_trip(*this, report::first));
  CAF_CHECK_EQUAL(signals_first, report_first);
  // The round trip happened: bought 100 at 11, sold at 13, 1 + 1 commission.
  CAF_CHECK(signals_first.find("POSITION_CLOSE t=400") != std::string::npos);
  CAF_CHECK(signals_first.find("pnl=198") != std::string::npos);
}

CAF_TEST(a strategy running ahead changes none of the events the portfolio computes) {
  const auto in_step = round_trip(*this, report::after_signals);
  const auto ahead = round_trip(*this, report::after_next_signals);
  CAF_CHECK_EQUAL(describe(in_step, false), describe(ahead, false));
  CAF_CHECK_EQUAL(describe_signals(in_step), describe_signals(ahead));
}

// SIGNALs are republished upward when the portfolio acts on them at their bar, not
// when they arrive: a strategy that answers bar 3 while the portfolio still waits for
// execution on bar 2 must not put SIGNAL t=300 before POSITION_OPEN t=200 in the
// output stream that observers (tracer, console) see.
CAF_TEST(republished SIGNALs follow bar order not arrival order) {
  CAF_CHECK_EQUAL(describe(round_trip(*this, report::after_signals)),
                  describe(round_trip(*this, report::after_next_signals)));
}

CAF_TEST(the end of the stream ends it only once no order is open) {
  auto run = market({{"long_at", "4"}, {"qty", "100"}});  // an order on the last bar
  subject s{*this, run};
  s.bars(1, 4);
  deliver(s.pf, stream_end_msg{4});
  CAF_CHECK(s.box->done.empty());  // the end came, but no bar was handled yet
  s.strategy_answers();
  s.signals_arrive();  // bars 1-4 handled; LONG at t=400 judged by risk at once
  CAF_CHECK_EQUAL(s.through(), 4u);
  CAF_CHECK(s.box->done.empty());  // all bars handled, but order 1 is open
  // Execution cancels it at the end of data, with the end_of_stream watermark.
  s.report({s.cancel(1)}, end_of_stream, scoped_id(s.me, 1));
  drain(s.root);
  CAF_REQUIRE_EQUAL(s.box->done.size(), 1u);
  CAF_CHECK_EQUAL(s.box->done[0].portfolio, s.me);
  CAF_CHECK_EQUAL(s.through(), 4u);
}

CAF_TEST_FIXTURE_SCOPE_END()
