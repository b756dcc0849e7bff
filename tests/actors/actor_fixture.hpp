// Scaffolding for actor-level tests. One container runs under CAF's deterministic
// test coordinator: nothing runs unless a test delivers it, one message at a time, in
// the order the test chooses. The test itself plays the root (it sends from `self`);
// the container's parent is a small actor that records what the container sends up.
// Bars and orders are stamped as their real senders stamp them.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/test/dsl.hpp>

#include "runtime/bus/actors.hpp"
#include "runtime/run/run_context.hpp"

namespace admf::actor_test {

/// What a parent received, in arrival order.
struct inbox {
  std::vector<execution_report> reports;
  std::vector<portfolio_output> outputs;
  std::vector<portfolio_done_msg> done;
};
using inbox_ptr = std::shared_ptr<inbox>;

/// Plays the portfolios execution reports to (their order_batches' reply_to).
inline execution_report_sink::behavior_type execution_root(execution_report_sink::pointer,
                                                           inbox_ptr box) {
  return {[=](const execution_report& r) { box->reports.push_back(r); }};
}

inline portfolio_parent_actor::behavior_type portfolio_root(portfolio_parent_actor::pointer,
                                                            inbox_ptr box) {
  return {
    [=](const portfolio_output& o) { box->outputs.push_back(o); },
    [=](const portfolio_done_msg& d) { box->done.push_back(d); },
    [=](const restart_note_msg&) {},
  };
}

/// A bar of the test's market data.
struct bar_row {
  timestamp time;
  symbol_id symbol;
  double open, close;
};

/// A config of `portfolios`, each with one strategy of `strategy_type` and `params`.
backtest_config config_of(const std::vector<std::string>& portfolios,
                          const std::string& strategy_type = "test_scripted",
                          std::map<std::string, std::string> params = {});

/// The run's context and its BAR events, stamped by the data feed as data_actor does:
/// bar position p (1-based) is the event with sequence p.
struct run_setup {
  std::shared_ptr<const run_context> ctx;
  std::vector<event> bars;

  run_setup(backtest_config config, std::vector<std::string> symbols, std::vector<bar_row> rows);

  /// Bars at positions first..last (1-based, inclusive), as the root forwards them.
  bar_batch batch(std::uint64_t first, std::uint64_t last) const;
};

/// One line per event: type, time, id, and its payload's numbers; for comparing runs.
std::string describe(const event& e);
/// The events of `outputs` in order (`signals`: with the republished SIGNALs), and
/// the last watermark.
std::string describe(const std::vector<portfolio_output>& outputs, bool signals = true);
/// The republished SIGNALs of `outputs`, sorted by id.
std::string describe_signals(const std::vector<portfolio_output>& outputs);

struct actor_fixture : test_coordinator_fixture<> {
  /// Sends `msg` from the test (as the root) to `to` and lets `to`, and only `to`,
  /// handle it. Fails if `to` has another message before it.
  template <class T, class Handle>
  void deliver(const Handle& dest, T msg) {
    self->send(dest, std::move(msg));
    expect((T), from(self).to(dest));
  }

  /// Lets `who` (a recording root) handle everything in its mailbox; nobody else runs.
  template <class Handle>
  void drain(const Handle& who) {
    while (sched.prioritize(who))
      sched.run_once();
  }

  /// Whether `who` has a message waiting.
  template <class Handle>
  bool has_mail(const Handle& who) {
    auto ptr = caf::actor_cast<caf::abstract_actor*>(who);
    return ptr->peek_at_next_mailbox_element() != nullptr;
  }

  /// The actor whose next message is a `T` from `sender`: finds a child that the
  /// container under test spawned itself (a strategy, its risk container).
  template <class T, class Handle>
  caf::actor receiver_of(const Handle& sender) {
    auto from = caf::actor_cast<caf::strong_actor_ptr>(sender);
    for (auto* job : sched.jobs) {
      auto* a = dynamic_cast<caf::scheduled_actor*>(job);
      if (a == nullptr)
        continue;
      auto* next = a->peek_at_next_mailbox_element();
      if (next != nullptr && next->sender == from && next->content().match_elements<T>())
        return caf::actor_cast<caf::actor>(a);
    }
    CAF_FAIL("no actor has a message of the expected type from the sender next");
  }

  /// Ends a container and its children (kill: its exit handler cannot keep it alive).
  template <class Handle>
  void stop(const Handle& who) {
    self->send_exit(who, caf::exit_reason::kill);
    sched.run();
  }
};

}  // namespace admf::actor_test
