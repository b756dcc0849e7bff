#include "actors/backtest/backtest_actor.hpp"

#include <algorithm>
#include <map>

#include <caf/exit_reason.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/data/data_actor.hpp"
#include "actors/execution/execution_actor.hpp"
#include "actors/portfolio/portfolio_actor.hpp"
#include "actors/recorder/recorder_actor.hpp"
#include "runtime/bus/progress_floor.hpp"
#include "runtime/bus/router.hpp"
#include "runtime/log/log.hpp"
#include "runtime/supervision/failure.hpp"

namespace admf {

namespace {

struct portfolio_entry {
  portfolio_actor actor;
  recorder_actor recorder;
  bool done = false, failed = false;
  std::string error;
  int restarts = 0;
};

class backtest {
public:
  backtest(backtest_actor::pointer self, context_ptr ctx)
    : self_(self), ctx_(std::move(ctx)), port_(ctx_->port_of(ctx_->root)),
      log_(ctx_->run_hex(), ctx_->name_of(ctx_->root)) {}

  caf::typed_response_promise<run_result> start() {
    promise_ = self_->template make_response_promise<run_result>();
    data_ =
      spawn_container(self_, *ctx_, ctx_->data_feed, data_behavior, ctx_, data_parent_actor{self_});
    execution_ = spawn_container(self_, *ctx_, ctx_->execution, execution_behavior, ctx_);
    to_execution_.subscribe<event_type::bar>(execution_);
    for (std::size_t i = 0; i < ctx_->portfolios.size(); ++i) {
      const auto& layout = ctx_->portfolios[i];
      portfolio_entry p;
      p.actor = spawn_container(self_, *ctx_, layout.portfolio, portfolio_behavior, ctx_, i,
                                portfolio_parent_actor{self_}, execution_);
      p.recorder =
        self_->spawn<caf::linked>(recorder_behavior, ctx_, i, recorder_parent_actor{self_});
      const container_filter mine{layout.portfolio};
      to_portfolios_.subscribe<event_type::bar>(p.actor);
      to_recorders_.subscribe<event_type::signal>(p.recorder, strategy_filter{layout.strategies});
      to_recorders_.subscribe<event_type::order>(p.recorder, mine);
      to_recorders_.subscribe<event_type::fill>(p.recorder, mine);
      to_recorders_.subscribe<event_type::position_open>(p.recorder, mine);
      to_recorders_.subscribe<event_type::position_close>(p.recorder, mine);
      to_recorders_.subscribe<event_type::portfolio_update>(p.recorder, mine);
      to_recorders_.subscribe<event_type::risk_reject>(p.recorder, mine);
      to_recorders_.subscribe<event_type::order_cancel>(p.recorder, mine);
      to_recorders_.subscribe<event_type::liquidation>(p.recorder, mine);
      to_recorders_.subscribe<event_type::position_snapshot>(p.recorder, mine);
      portfolios_.emplace(layout.portfolio, std::move(p));
      handled_.add(layout.portfolio);
      decided_.add(layout.portfolio);
      recorded_.add(layout.portfolio);
    }
    log_.debug("{} portfolios, {} bars", portfolios_.size(), ctx_->data->bars.size());
    self_->send(data_, credit_msg{ctx_->config.engine.max_batches_in_flight});
    return promise_;
  }

  /// Bars from data: to execution and every live portfolio.
  void on_bars(const bar_batch& in) {
    batch_ends_.push_back(in.through);
    unreleased_ends_.push_back(in.through);
    to_execution_.route(in.events, nobody, [&](const execution_actor& who, const shared_batch& b) {
      port_.publish(self_, who, bar_batch{{b, in.through}});
    });
    to_portfolios_.route(in.events, nobody, [&](const portfolio_actor& who, const shared_batch& b) {
      port_.publish(self_, who, bar_batch{{b, in.through}});
    });
  }

  /// What a portfolio did, to its recorder (its orders went to execution directly,
  /// and execution's outcomes come back in its output: issue 13).
  void on_portfolio_output(const portfolio_output& in) {
    handled_.advance(in.portfolio, in.through);
    decided_.advance(in.portfolio, in.decided);
    grant_credit();
    to_recorders(in.events, in.through, in.portfolio);
  }

  void on_recorded(const recorded_msg& in) {
    recorded_.advance(in.portfolio, in.through);
    grant_credit();
  }

  void on_stream_end(const stream_end_msg& end) {
    last_pos_ = end.last_pos;
    self_->send(execution_, end);
    for (auto& [id, p] : portfolios_)
      if (!p.failed)
        self_->send(p.actor, end);
  }

  void on_done(const portfolio_done_msg& done) {
    portfolios_.at(done.portfolio).done = true;
    maybe_finish();
  }

  void on_restart(const restart_note_msg& note) { ++portfolios_.at(note.portfolio).restarts; }

  void on_taps_drained() { give_credit(0); }

  void on_child_exit(const caf::exit_msg& msg) {
    if (msg.reason == caf::exit_reason::normal)
      return;
    for (auto& [id, p] : portfolios_) {
      if (p.actor.address() != msg.source || p.failed)
        continue;
      // A stopped portfolio leaves the others running: drop its subscriptions and
      // stop waiting for its progress.
      p.failed = true;
      p.error = failure_text(msg.reason);
      log_.error("portfolio '{}' stopped: {}", ctx_->name_of(id), p.error);
      to_portfolios_.unsubscribe(p.actor);
      handled_.remove(id);
      decided_.remove(id);
      recorded_.remove(id);
      grant_credit();
      maybe_finish();
      return;
    }
    if (msg.source == data_.address())
      fail_run("data", msg.reason);
    else if (msg.source == execution_.address())
      fail_run("execution", msg.reason);
    else
      for (const auto& [id, p] : portfolios_)
        if (p.recorder.address() == msg.source)
          fail_run("recorder of '" + ctx_->name_of(id) + "'", msg.reason);
  }

private:
  /// The channels to the interceptors attached to any container (give_credit).
  static std::vector<std::shared_ptr<tap_channel>> attached_taps(const run_context& ctx) {
    std::vector<std::shared_ptr<tap_channel>> taps;
    for (const auto& tap : ctx.taps)
      if (tap)
        taps.push_back(tap);
    return taps;
  }

  // The routers' "concerns nobody": only subscribers that match an event get the batch.
  static constexpr container_id nobody = router<recorder_actor>::nobody;

  /// A container the whole run depends on failed (data, execution, or a recorder,
  /// whose results would be lost): the run fails with its cause, nothing is published.
  void fail_run(const std::string& who, const caf::error& reason) {
    if (failed_)
      return;
    failed_ = true;
    // The engine reports the cause (one line, with its exit code); this is for -v.
    log_.debug("{} container failed: {}", who, failure_text(reason));
    promise_.deliver(reason);
    self_->quit(caf::exit_reason::user_shutdown);
  }

  void to_recorders(const shared_batch& events, std::uint64_t through, container_id about) {
    to_recorders_.route(events, about, [&](const recorder_actor& who, const shared_batch& b) {
      port_.publish(self_, who, recorder_input{{b, through}});
    });
  }

  /// Gives data one credit per batch that every live portfolio has fully handled and
  /// its recorder recorded, and lets execution forget the bars no order can fill on
  /// any more (those every live portfolio has decided: a market-on-close order fills
  /// on the bar of the close it was decided at).
  void grant_credit() {
    const auto handled = handled_.lowest(), recorded = recorded_.lowest(),
               decided = decided_.lowest();
    if (pop_through(unreleased_ends_, decided) > 0)
      self_->send(execution_, release_msg{decided});
    give_credit(pop_through(batch_ends_, std::min(handled, recorded)));
  }

  /// Sends data `batches` more credit, with what was withheld. Withheld while a tracer's
  /// tap channel is congested (its interceptor lags, and its queued taps keep their
  /// batches alive): the channel says tap_drained when it is free again. The
  /// interceptors never wait on the root, so the credit always comes.
  void give_credit(std::size_t batches) {
    withheld_credit_ += batches;
    if (withheld_credit_ == 0 || !data_)
      return;
    for (const auto& tap : taps_)
      if (tap->congested(self_))
        return;
    self_->send(data_, credit_msg{withheld_credit_});
    withheld_credit_ = 0;
  }

  /// Drops the batch ends at or before `through`; returns how many.
  static std::size_t pop_through(std::deque<std::uint64_t>& ends, std::uint64_t through) {
    std::size_t n = 0;
    for (; !ends.empty() && ends.front() <= through; ++n)
      ends.pop_front();
    return n;
  }

  void maybe_finish() {
    for (const auto& [id, p] : portfolios_)
      if (!p.done && !p.failed)
        return;
    if (finishing_)
      return;
    finishing_ = true;
    pending_reports_ = portfolios_.size();

    for (auto& [id, p] : portfolios_) {
      const container_id pid = id;
      self_->request(p.recorder, caf::infinite, finish_msg{!p.failed})
        .then([this, pid](const recorder_report& r) { on_report(pid, r); },
              [this, pid](const caf::error& e) {
                // A recorder that went down: its exit message carries the cause.
                if (e != caf::sec::request_receiver_down)
                  fail_run("recorder of '" + ctx_->name_of(pid) + "'", e);
              });
    }
  }

  void on_report(container_id pid, const recorder_report& r) {
    auto& p = portfolios_.at(pid);
    portfolio_result out;
    out.id = ctx_->name_of(pid);
    out.ok = !p.failed;
    out.error = p.error;
    out.restarts = p.restarts;
    out.metrics = r.metrics;
    out.counts = r.counts;
    out.open_positions = r.open_positions;
    out.silent_strategies = r.silent_strategies;
    result_.portfolios.push_back(std::move(out));
    if (--pending_reports_ > 0)
      return;
    // Report in config order, whatever order the recorders answered in.
    std::sort(result_.portfolios.begin(), result_.portfolios.end(),
              [this](const portfolio_result& a, const portfolio_result& b) {
                return index_of(a.id) < index_of(b.id);
              });
    result_.run_id = ctx_->run_hex();
    result_.bars = last_pos_;
    promise_.deliver(result_);
    // Linked children ignore a normal exit: end the tree explicitly.
    self_->quit(caf::exit_reason::user_shutdown);
  }

  std::size_t index_of(const std::string& id) const {
    for (std::size_t i = 0; i < ctx_->config.portfolios.size(); ++i)
      if (ctx_->config.portfolios[i].id == id)
        return i;
    return 0;
  }

  backtest_actor::pointer self_;
  context_ptr ctx_;
  const std::vector<std::shared_ptr<tap_channel>> taps_ = attached_taps(*ctx_);
  bus_port port_;
  container_log log_;
  caf::typed_response_promise<run_result> promise_;
  data_actor data_;
  execution_actor execution_;
  std::map<container_id, portfolio_entry> portfolios_;
  // Each live portfolio's progress, lowest first: bars fully handled (portfolio_output
  // through), orders placed through (decided) and its recorder's progress. A failed
  // portfolio leaves them.
  progress_floor<container_id> handled_, decided_, recorded_;
  router<execution_actor> to_execution_;
  router<portfolio_actor> to_portfolios_;
  router<recorder_actor> to_recorders_;
  // Last bar position of each batch in flight: not yet handled by every portfolio and
  // recorded by every recorder (credit), not yet handled by every portfolio (release).
  std::deque<std::uint64_t> batch_ends_, unreleased_ends_;
  std::size_t withheld_credit_ = 0;  // consumed batches data was not given credit for yet
  std::uint64_t last_pos_ = 0;
  bool finishing_ = false, failed_ = false;
  std::size_t pending_reports_ = 0;
  run_result result_;
};

}  // namespace

backtest_actor::behavior_type backtest_behavior(backtest_actor::pointer self, context_ptr ctx) {
  auto b = std::make_shared<backtest>(self, std::move(ctx));
  self->set_exit_handler([b](caf::exit_msg& msg) { b->on_child_exit(msg); });
  return {
    [b](start_atom) { return b->start(); },
    [b](const bar_batch& in) { b->on_bars(in); },
    [b](const portfolio_output& in) { b->on_portfolio_output(in); },
    [b](const stream_end_msg& end) { b->on_stream_end(end); },
    [b](const portfolio_done_msg& done) { b->on_done(done); },
    [b](const restart_note_msg& note) { b->on_restart(note); },
    [b](const recorded_msg& in) { b->on_recorded(in); },
    [b](tap_drained_atom) { b->on_taps_drained(); },
  };
}

}  // namespace admf
