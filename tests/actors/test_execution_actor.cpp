// The execution container on its own: the test plays the root and the portfolios (the
// reply_to of every order_batch), injects bars, orders,
// releases and the end of the stream one message at a time, and reads the
// execution_reports it sends back. Expected prices are worked out from the fill model's
// rules (market: the open, plus fixed slippage for a buy, minus for a sell, kept within
// the bar's [low, high]; commission max(per_share * qty, minimum)), not taken from a run.
// The fixture's bars span [min(open, close), max(open, close)].
#define CAF_SUITE execution_actor
#include "actor_fixture.hpp"

#include "actors/execution/execution_actor.hpp"

using namespace admf;
using namespace admf::actor_test;

namespace {

constexpr symbol_id AAA = 0, BBB = 1;

// Bar positions (1-based) and what they are. AAA has no bar at t=200.
//   1: t=100 AAA open 10    2: t=100 BBB open 50
//   3: t=200 BBB open 51
//   4: t=300 AAA open 12    5: t=300 BBB open 52
//   6: t=400 AAA open 13    7: t=400 BBB open 53
run_setup market() {
  auto config = config_of({"a", "b"});
  config.execution.slippage = {slippage_kind::fixed, 0.25};
  config.execution.commission = {0.01, 0, 1.0};  // 1 cent a share, at least 1.0
  return run_setup{config,
                   {"AAA", "BBB"},
                   {{100, AAA, 10, 10.5},
                    {100, BBB, 50, 50.5},
                    {200, BBB, 51, 51.5},
                    {300, AAA, 12, 12.5},
                    {300, BBB, 52, 52.5},
                    {400, AAA, 13, 13.5},
                    {400, BBB, 53, 53.5}}};
}

struct execution_fixture : actor_fixture {
  run_setup run = market();
  inbox_ptr box = std::make_shared<inbox>();
  execution_report_sink root;  // plays every portfolio: each order_batch's reply_to
  execution_actor exec;
  container_id a = run.ctx->portfolios[0].portfolio, b = run.ctx->portfolios[1].portfolio;
  std::map<container_id, bus_port> risk_ports;  // orders are stamped by each portfolio's risk

  execution_fixture() {
    root = sys.spawn(execution_root, box);
    exec = spawn_execution();
    for (const auto& layout : run.ctx->portfolios)
      risk_ports[layout.portfolio] = run.ctx->port_of(layout.risk);
  }

  ~execution_fixture() override { stop(exec); }

  execution_actor spawn_execution() {
    auto e = sys.spawn(execution_behavior, run.ctx);
    sched.run();  // initialises it; its mailbox is empty
    return e;
  }

  /// The n-th market order of `portfolio`, placed at the close of `time` (t=100: bar
  /// position 2, through which the portfolio has then decided).
  order_batch order(container_id portfolio, std::uint64_t n, symbol_id symbol, side action,
                    double qty, timestamp time) {
    constexpr std::uint64_t decided = 2;
    order_data o;
    o.order_id = scoped_id(portfolio, n);
    o.portfolio = portfolio;
    o.strategy = portfolio + 2;
    o.symbol = symbol;
    o.action = action;
    o.quantity = qty;
    auto e =
      risk_ports[portfolio].make(event_type::order, time, 0, o, scoped_id(portfolio, 100 + n));
    return order_batch{{std::make_shared<event_batch>(event_batch{e}), 0}, portfolio, decided, root};
  }

  /// `portfolio` has decided its closes through bar position `decided`, placing nothing.
  order_batch progress(container_id portfolio, std::uint64_t decided) const {
    return order_batch{{std::make_shared<event_batch>(), 0}, portfolio, decided, root};
  }

  /// Lets the test take the next report of `exec`, and returns it.
  execution_report next_report() { return next_report_of(exec); }
  execution_report next_report_of(const execution_actor& from_exec) {
    expect((execution_report), from(from_exec).to(root));
    return box->reports.back();
  }
};

void check_fill(const event& e, std::uint64_t order_id, timestamp time, side action, double qty,
                double price, double commission) {
  CAF_REQUIRE(e.header.type == event_type::fill);
  const auto& f = e.as<fill_data>();
  CAF_CHECK_EQUAL(f.order_id, order_id);
  CAF_CHECK_EQUAL(e.header.time, time);
  CAF_CHECK(f.action == action);
  CAF_CHECK_EQUAL(f.quantity, qty);
  CAF_CHECK_EQUAL(f.price, price);
  CAF_CHECK_EQUAL(f.commission, commission);
}

void check_cancel(const event& e, std::uint64_t order_id, timestamp time) {
  CAF_REQUIRE(e.header.type == event_type::order_cancel);
  CAF_CHECK_EQUAL(e.as<order_cancel_data>().order_id, order_id);
  CAF_CHECK(e.as<order_cancel_data>().reason == cancel_reason::end_of_data);
  CAF_CHECK_EQUAL(e.header.time, time);  // the order's own time: it never reached a bar
}

}  // namespace

CAF_TEST_FIXTURE_SCOPE(execution_tests, execution_fixture)

CAF_TEST(a market order fills on the next bar of its symbol after its own time) {
  deliver(exec, run.batch(1, 2));
  CAF_CHECK(!has_mail(root));  // nothing open: nothing to report
  const auto placed = order(a, 1, AAA, side::buy, 200, 100);
  deliver(exec, placed);
  // Held bars are at t=100, the order's own time: no fill, but a watermark (last bar
  // position seen) and the order acknowledged.
  auto r = next_report();
  CAF_CHECK_EQUAL(r.portfolio, a);
  CAF_CHECK(r.events->empty());
  CAF_CHECK_EQUAL(r.through, 2u);
  CAF_CHECK_EQUAL(r.acked, scoped_id(a, 1));
  // t=200 has only BBB: another symbol does not fill it.
  deliver(exec, run.batch(3, 3));
  r = next_report();
  CAF_CHECK(r.events->empty());
  CAF_CHECK_EQUAL(r.through, 3u);
  // t=300's bars are there, but the portfolio has not decided t=200's close yet (it
  // might cancel the order there): execution matches no further than t=200.
  deliver(exec, run.batch(4, 5));
  r = next_report();
  CAF_CHECK(r.events->empty());
  CAF_CHECK_EQUAL(r.through, 3u);
  // t=300 AAA opens at 12: buy at 12 + 0.25 slippage; commission 0.01 * 200 = 2.0.
  deliver(exec, progress(a, 3));
  r = next_report();
  CAF_REQUIRE_EQUAL(r.events->size(), 1u);
  check_fill(r.events->at(0), scoped_id(a, 1), 300, side::buy, 200, 12.25, 2.0);
  const auto& order_event = placed.events->at(0);
  CAF_CHECK_EQUAL(r.events->at(0).header.causation, order_event.header.id);
  CAF_CHECK_EQUAL(r.events->at(0).header.correlation, order_event.header.correlation);
  CAF_CHECK_EQUAL(r.through, 5u);
  CAF_CHECK_EQUAL(r.acked, scoped_id(a, 1));
  // Filled: the next bars concern no open order of anyone.
  deliver(exec, run.batch(6, 7));
  CAF_CHECK(!has_mail(root));
}

CAF_TEST(released bars are forgotten : an order arriving later cannot fill on them) {
  // Two brokers see the same bars; only `released` is told that no order can come
  // for positions <= 5 any more. Then an order (AAA, t=100) arrives at both anyway.
  auto released = spawn_execution();
  for (const auto& e : {exec, released}) {
    deliver(e, run.batch(1, 2));
    deliver(e, run.batch(3, 3));
    deliver(e, run.batch(4, 5));
    deliver(e, run.batch(6, 7));
  }
  deliver(released, release_msg{5});
  deliver(exec, order(a, 1, AAA, side::buy, 200, 100));
  deliver(released, order(a, 1, AAA, side::buy, 200, 100));
  // Kept bars: no AAA bar at t=200 (the horizon); once the portfolio has decided
  // through t=400, the first AAA bar after t=100 is t=300, open 12 -> 12.25.
  CAF_CHECK(next_report_of(exec).events->empty());
  // Released: batches through position 5 are gone; t=400, open 13 -> 13.25.
  auto late = next_report_of(released);
  CAF_REQUIRE_EQUAL(late.events->size(), 1u);
  check_fill(late.events->at(0), scoped_id(a, 1), 400, side::buy, 200, 13.25, 2.0);
  CAF_CHECK_EQUAL(late.through, 7u);
  deliver(exec, progress(a, 7));
  auto kept = next_report_of(exec);
  CAF_REQUIRE_EQUAL(kept.events->size(), 1u);
  check_fill(kept.events->at(0), scoped_id(a, 1), 300, side::buy, 200, 12.25, 2.0);
  stop(released);
}

CAF_TEST(the end of the stream cancels open orders with the end_of_stream watermark) {
  deliver(exec, run.batch(1, 2));
  deliver(exec, order(a, 1, AAA, side::buy, 200, 100));
  next_report();  // open, not filled (checked above)
  deliver(exec, stream_end_msg{2});
  auto r = next_report();
  CAF_CHECK_EQUAL(r.portfolio, a);
  CAF_REQUIRE_EQUAL(r.events->size(), 1u);
  check_cancel(r.events->at(0), scoped_id(a, 1), 100);
  CAF_CHECK_EQUAL(r.through, end_of_stream);
  CAF_CHECK_EQUAL(r.acked, scoped_id(a, 1));
  // An order placed on the last bar arrives after the end: cancelled at once.
  deliver(exec, order(a, 2, AAA, side::buy, 50, 100));
  r = next_report();
  CAF_REQUIRE_EQUAL(r.events->size(), 1u);
  check_cancel(r.events->at(0), scoped_id(a, 2), 100);
  CAF_CHECK_EQUAL(r.through, end_of_stream);
  CAF_CHECK_EQUAL(r.acked, scoped_id(a, 2));
}

CAF_TEST(orders of two portfolios give separate reports with their own fills and acked) {
  deliver(exec, run.batch(1, 2));
  deliver(exec, order(a, 1, AAA, side::buy, 200, 100));
  CAF_CHECK_EQUAL(next_report().acked, scoped_id(a, 1));
  deliver(exec, order(b, 1, BBB, side::sell, 100, 100));
  auto r = next_report();
  CAF_CHECK_EQUAL(r.portfolio, b);
  CAF_CHECK_EQUAL(r.acked, scoped_id(b, 1));  // b's newest, not a's
  deliver(exec, order(a, 2, AAA, side::buy, 50, 100));
  CAF_CHECK_EQUAL(next_report().acked, scoped_id(a, 2));  // the newest order of a
  // t=200 BBB opens at 51, which is also its low (it closes at 51.5): b's sell would slip
  // to 51 - 0.25 but cannot fill below the low, so it fills at 51; commission max(1.0, 1.0).
  // Both portfolios have open orders: one report each, in portfolio id order.
  deliver(exec, run.batch(3, 3));
  auto ra = next_report();
  auto rb = next_report();
  CAF_CHECK_EQUAL(ra.portfolio, a);
  CAF_CHECK(ra.events->empty());
  CAF_CHECK_EQUAL(ra.through, 3u);
  CAF_CHECK_EQUAL(ra.acked, scoped_id(a, 2));
  CAF_CHECK_EQUAL(rb.portfolio, b);
  CAF_REQUIRE_EQUAL(rb.events->size(), 1u);
  check_fill(rb.events->at(0), scoped_id(b, 1), 200, side::sell, 100, 51, 1.0);
  CAF_CHECK_EQUAL(rb.through, 3u);
  CAF_CHECK_EQUAL(rb.acked, scoped_id(b, 1));
  // t=300 AAA opens at 12: once a has decided t=200's close, both of its orders fill,
  // in the order they were placed (50 shares: 0.5 commission, raised to the 1.0
  // minimum); b has nothing open.
  deliver(exec, run.batch(4, 5));
  r = next_report();
  CAF_CHECK(r.events->empty());  // a's horizon is t=200
  deliver(exec, progress(a, 3));
  r = next_report();
  CAF_CHECK_EQUAL(r.portfolio, a);
  CAF_REQUIRE_EQUAL(r.events->size(), 2u);
  check_fill(r.events->at(0), scoped_id(a, 1), 300, side::buy, 200, 12.25, 2.0);
  check_fill(r.events->at(1), scoped_id(a, 2), 300, side::buy, 50, 12.25, 1.0);
  CAF_CHECK(!has_mail(root));
}

CAF_TEST_FIXTURE_SCOPE_END()
