#include "actors/backtest/backtest_actor.hpp"

#include <algorithm>
#include <map>

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>

#include "actors/data/data_actor.hpp"
#include "actors/execution/execution_actor.hpp"
#include "actors/portfolio/portfolio_actor.hpp"
#include "actors/recorder/recorder_actor.hpp"
#include "runtime/bus/port.hpp"
#include "runtime/bus/router.hpp"
#include "runtime/log/log.hpp"
#include "runtime/messages.hpp"
#include "runtime/supervision/failure.hpp"

namespace admf {

namespace {

struct portfolio_entry {
  caf::actor actor, recorder;
  std::uint64_t through = 0;  // its progress: bars fully handled
  bool done = false, failed = false;
  std::string error;
  int restarts = 0;
};

class backtest {
public:
  backtest(caf::event_based_actor* self, context_ptr ctx)
    : self_(self), ctx_(std::move(ctx)), port_(*ctx_, ctx_->root),
      log_(ctx_->run_hex(), ctx_->name_of(ctx_->root)) {}

  caf::response_promise start() {
    promise_ = self_->make_response_promise();
    auto me = caf::actor_cast<caf::actor>(self_);
    data_ = spawn_container(self_, *ctx_, ctx_->data_feed, data_actor, ctx_, me);
    execution_ = spawn_container(self_, *ctx_, ctx_->execution, execution_actor, ctx_, me);
    bus_.subscribe<event_type::bar>(execution_);
    bus_.subscribe<event_type::order>(execution_);
    for (std::size_t i = 0; i < ctx_->portfolios.size(); ++i) {
      const auto& layout = ctx_->portfolios[i];
      portfolio_entry p;
      p.actor = spawn_container(self_, *ctx_, layout.portfolio, portfolio_actor, ctx_, i, me);
      p.recorder = self_->spawn<caf::linked>(recorder_actor, ctx_, i);
      const container_filter mine{layout.portfolio};
      bus_.subscribe<event_type::bar>(p.actor);
      bus_.subscribe<event_type::fill>(p.actor, mine);
      bus_.subscribe<event_type::order_cancel>(p.actor, mine);
      bus_.subscribe<event_type::signal>(p.recorder, strategy_filter{layout.strategies});
      bus_.subscribe<event_type::order>(p.recorder, mine);
      bus_.subscribe<event_type::fill>(p.recorder, mine);
      bus_.subscribe<event_type::position_open>(p.recorder, mine);
      bus_.subscribe<event_type::position_close>(p.recorder, mine);
      bus_.subscribe<event_type::portfolio_update>(p.recorder, mine);
      bus_.subscribe<event_type::risk_reject>(p.recorder, mine);
      portfolios_.emplace(layout.portfolio, std::move(p));
    }
    log_.debug("{} portfolios, {} bars", portfolios_.size(), ctx_->data->bars.size());
    self_->send(data_, credit_msg{ctx_->config.engine.max_batches_in_flight});
    return promise_;
  }

  void on_events(const events_msg& in) {
    if (self_->current_sender() == data_) {
      batch_ends_.push_back(in.through);
    } else if (auto* p = sender_portfolio()) {
      p->through = std::max(p->through, in.through);
      grant_credit();
    }
    bus_.route(in.events, in.about, [&](const caf::actor& who, const shared_batch& b) {
      port_.publish(self_, who, events_msg{b, in.through, in.about, in.acked});
    });
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
      bus_.unsubscribe(p.actor);
      grant_credit();
      maybe_finish();
      return;
    }
    if (msg.source == data_.address() || msg.source == execution_.address()) {
      log_.error("{} container failed: {}", msg.source == data_.address() ? "data" : "execution",
                 failure_text(msg.reason));
      promise_.deliver(msg.reason);
      self_->quit(caf::exit_reason::user_shutdown);
    }
  }

private:
  portfolio_entry* sender_portfolio() {
    for (auto& [id, p] : portfolios_)
      if (p.actor == self_->current_sender())
        return &p;
    return nullptr;
  }

  /// Gives data one credit per batch that every live portfolio has fully handled,
  /// and lets execution forget the bars no order can fill on any more.
  void grant_credit() {
    std::uint64_t slowest = end_of_stream;
    for (const auto& [id, p] : portfolios_)
      if (!p.failed)
        slowest = std::min(slowest, p.through);
    std::size_t consumed = 0;
    while (!batch_ends_.empty() && batch_ends_.front() <= slowest) {
      batch_ends_.pop_front();
      ++consumed;
    }
    if (consumed == 0)
      return;
    if (data_)
      self_->send(data_, credit_msg{consumed});
    self_->send(execution_, release_msg{slowest});
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
        .then([this, pid](const recorder_report& r) { on_report(pid, r); });
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

  caf::event_based_actor* self_;
  context_ptr ctx_;
  bus_port port_;
  container_log log_;
  caf::response_promise promise_;
  caf::actor data_, execution_;
  std::map<container_id, portfolio_entry> portfolios_;
  router<caf::actor> bus_;
  std::deque<std::uint64_t> batch_ends_;  // last bar position of each batch in flight
  std::uint64_t last_pos_ = 0;
  bool finishing_ = false;
  std::size_t pending_reports_ = 0;
  run_result result_;
};

} // namespace

caf::behavior backtest_actor(caf::event_based_actor* self, context_ptr ctx) {
  auto b = std::make_shared<backtest>(self, std::move(ctx));
  self->set_exit_handler([b](caf::exit_msg& msg) { b->on_child_exit(msg); });
  return {
    [b](start_atom) { return b->start(); },
    [b](const events_msg& in) { b->on_events(in); },
    [b](const stream_end_msg& end) { b->on_stream_end(end); },
    [b](const portfolio_done_msg& done) { b->on_done(done); },
    [b](const restart_note_msg& note) { b->on_restart(note); },
  };
}

} // namespace admf
