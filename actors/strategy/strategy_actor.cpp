#include "actors/strategy/strategy_actor.hpp"

#include <caf/event_based_actor.hpp>

#include "runtime/bus/port.hpp"
#include "runtime/log/log.hpp"
#include "runtime/messages.hpp"
#include "runtime/strategy/strategy.hpp"
#include "runtime/supervision/failure.hpp"

namespace admf {

caf::behavior strategy_actor(caf::event_based_actor* self, context_ptr ctx, std::size_t portfolio,
                             std::size_t index, caf::actor parent) {
  struct state {
    std::unique_ptr<strategy> impl;
    bus_port port;
    container_log log;
    std::vector<signal_intent> intents;
  };
  const container_id me = ctx->portfolios[portfolio].strategies[index];
  auto st = std::make_shared<state>();
  st->impl = make_strategy(ctx->config.portfolios[portfolio].strategies[index]);
  st->port = bus_port{*ctx, me};
  st->log = container_log{ctx->run_hex(), ctx->name_of(me)};
  // An exception in the strategy ends this actor with the message as exit reason;
  // the portfolio (our supervisor) sees it and applies the configured policy.
  self->set_exception_handler([st](std::exception_ptr& ep) -> caf::error {
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      st->log.error("strategy failed: {}", e.what());
      return failure(e.what());
    }
  });
  return {
    [=](const events_msg& in) {
      auto out = std::make_shared<event_batch>();
      for (const auto& bar_event : *in.events) {
        st->intents.clear();
        st->impl->on_bar(bar_event.header.time, bar_event.as<bar_data>(), st->intents);
        for (const auto& s : st->intents)
          out->push_back(st->port.make(
            event_type::signal, bar_event.header.time, bar_event.header.id,
            signal_data{me, s.symbol, s.target, s.strength, s.quantity, s.kind, s.limit_price,
                        s.stop_price}));
      }
      st->port.publish(self, parent, events_msg{std::move(out), in.through});
    },
  };
}

} // namespace admf
