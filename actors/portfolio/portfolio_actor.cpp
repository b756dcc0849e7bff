#include "actors/portfolio/portfolio_actor.hpp"

#include <utility>

#include <caf/exit_reason.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/portfolio/portfolio.hpp"
#include "runtime/supervision/failure.hpp"

namespace admf::detail {

void portfolio::start() {
  risk_ = spawn_container(self_, *ctx_, layout_.risk, risk_behavior, ctx_, index_);
  for (std::size_t i = 0; i < layout_.strategies.size(); ++i) {
    slots_.push_back(strategy_slot{spawn_strategy(i), 0, {}});
    subscribe_bars(i);
  }
}

void portfolio::on_bars(const bar_batch& in) {
  queue_.push_back(in);
  send_bars(in);
  pump();
}

void portfolio::on_execution_report(const execution_report& in) {
  if (in.acked >= newest_order_)
    exec_through_ = std::max(exec_through_, in.through);
  bool close_filled = false;  // the last market-on-close order of a close has its outcome
  for (const auto& e : *in.events) {
    const bool final = e.header.type == event_type::order_cancel
                       || e.as<fill_data>().remaining == 0;
    if (final) {
      --open_orders_;
      const auto id = e.header.type == event_type::fill ? e.as<fill_data>().order_id
                                                         : e.as<order_cancel_data>().order_id;
      close_filled = close_filled || (on_close_orders_.erase(id) && on_close_orders_.empty());
    }
    pending_outcomes_.push_back(e);
    outbox_->push_back(e);  // for its recorder and observers: the root routes no reports
  }
  if (close_filled) {
    finish_close();
    publish(through_);
  }
  pump();
}

void portfolio::on_strategy_signals(const signal_batch& in) {
  auto& slot = slots_[slot_of(in.strategy)];
  slot.through = in.through;
  slot.signals.insert(slot.signals.end(), in.events->begin(), in.events->end());
  pump();
}

void portfolio::on_risk_verdicts(const risk_verdicts& verdicts) {
  for (std::size_t i = 0; i < verdicts.events->size(); ++i) {
    const event& e = (*verdicts.events)[i];
    if (e.header.type != event_type::order) {
      outbox_->push_back(e);
      continue;
    }
    if (const auto old = asked_[i].replaces)
      cancel_resting(old, cancel_reason::replaced, e.header.causation);
    emit_order(e);
    place(e);
  }
  asked_.clear();
  if (on_close_orders_.empty())
    finish_close();
}

void portfolio::on_stream_end(const stream_end_msg& end) {
  stream_end_ = end.last_pos;
  pump();
}

void portfolio::on_child_exit(const caf::exit_msg& msg) {
  if (msg.source == parent_.address()) {  // the run is over (or failed): end the subtree
    self_->quit(msg.reason);
    return;
  }
  if (msg.reason == caf::exit_reason::normal)
    return;
  const auto what = failure_text(msg.reason);
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].actor.address() != msg.source)
      continue;
    const auto& id = config_.strategies[i].id;
    if (!may_restart()) {
      fail("strategy '" + id + "' failed: " + what);
      return;
    }
    ++restarts_;
    log_.warn("restarting strategy '{}' ({} of {}): {}", id, restarts_,
              config_.supervision.max_restarts, what);
    bars_.unsubscribe(slots_[i].actor);
    slots_[i].actor = spawn_strategy(i);
    subscribe_bars(i);
    // The new instance starts where the old one stopped answering.
    for (const auto& b : queue_)
      if (b.through > slots_[i].through)
        send_bars(b, &slots_[i].actor);
    self_->send(parent_, restart_note_msg{me_});
    return;
  }
  if (msg.source == risk_.address())
    fail("risk container failed: " + what);
}

bool portfolio::may_restart() const {
  return config_.supervision.on_failure == failure_policy::restart
         && restarts_ < config_.supervision.max_restarts;
}

void portfolio::fail(const std::string& why) {
  log_.error("{}; stopping portfolio", why);
  self_->quit(failure(why));
}

std::size_t portfolio::slot_of(container_id strategy) const {
  std::size_t i = 0;
  while (layout_.strategies[i] != strategy)
    ++i;
  return i;
}

strategy_actor portfolio::spawn_strategy(std::size_t i) {
  const auto id = layout_.strategies[i];
  return spawn_container(self_, *ctx_, id, strategy_behavior, ctx_, index_, i,
                         strategy_parent_actor{self_});
}

void portfolio::subscribe_bars(std::size_t i) {
  const auto& symbols = layout_.strategy_symbols[i];
  if (symbols.empty())
    bars_.subscribe<event_type::bar>(slots_[i].actor);
  else
    bars_.subscribe<event_type::bar>(slots_[i].actor, symbol_filter{symbols});
}

void portfolio::send_bars(const bar_batch& in, const strategy_actor* only) {
  bars_.route(in.events, router<strategy_actor>::nobody,
              [&](const strategy_actor& s, const shared_batch& b) {
                if (!only || s == *only)
                  port_.publish(self_, s, bar_batch{{b, in.through}});
              });
}

void portfolio::emit_order(const event& e) {
  outbox_->push_back(e);
  to_execution_->push_back(e);
}

void portfolio::publish(std::uint64_t through) {
  send_orders(through);
  if (outbox_->empty() && through == published_through_ && decided_ == published_decided_)
    return;
  const auto size = outbox_->size();
  port_.publish(self_, parent_, portfolio_output{{std::move(outbox_), through}, me_, decided_});
  outbox_ = std::make_shared<event_batch>();
  outbox_->reserve(size);  // the next batch is likely as large: grow once, not per event
  published_through_ = through;
  published_decided_ = decided_;
}

void portfolio::send_orders(std::uint64_t through) {
  if (!to_execution_->empty() || (decided_ > sent_decided_ && open_orders_ > 0)) {
    // Sent as is: these events are tapped with the output below, not twice.
    order_batch orders;
    orders.events = std::exchange(to_execution_, std::make_shared<event_batch>());
    orders.through = through;
    orders.portfolio = me_;
    orders.decided = decided_;
    orders.reply_to = execution_report_sink{self_};
    self_->send(execution_, std::move(orders));
  }
  sent_decided_ = std::max(sent_decided_, decided_);
}

}  // namespace admf::detail

namespace admf {

portfolio_actor::behavior_type portfolio_behavior(portfolio_actor::pointer self, context_ptr ctx,
                                                  std::size_t index,
                                                  portfolio_parent_actor parent,
                                                  execution_actor execution) {
  auto p = std::make_shared<detail::portfolio>(self, std::move(ctx), index, std::move(parent),
                                               std::move(execution));
  p->start();
  self->set_exit_handler([p](caf::exit_msg& msg) { p->on_child_exit(msg); });
  return {
    [p](const bar_batch& in) { p->on_bars(in); },
    [p](const execution_report& in) { p->on_execution_report(in); },
    [p](const signal_batch& in) { p->on_strategy_signals(in); },
    [p](const stream_end_msg& end) { p->on_stream_end(end); },
  };
}

}  // namespace admf
