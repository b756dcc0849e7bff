#include "actors/data/data_actor.hpp"

#include <caf/typed_event_based_actor.hpp>

#include "runtime/log/log.hpp"

namespace admf {

namespace {

/// Cuts the next batch: about batch_size bars, never splitting one timestamp across
/// two batches, so a consumer knows a timestamp is complete at a batch's end.
shared_batch next_batch(const market_data& data, std::size_t& next, std::size_t batch_size,
                        bus_port& port) {
  const auto& bars = data.bars;
  std::size_t end = std::min(bars.size(), next + batch_size);
  while (end < bars.size() && end > next && bars[end].time == bars[end - 1].time)
    ++end;
  auto batch = std::make_shared<event_batch>();
  batch->reserve(end - next);
  for (; next < end; ++next)
    batch->push_back(port.make(event_type::bar, bars[next].time, 0, bars[next].bar));
  return batch;
}

}  // namespace

data_actor::behavior_type data_behavior(data_actor::pointer self, context_ptr ctx,
                                        data_parent_actor parent) {
  struct state {
    std::size_t next = 0;
    bus_port port;
    container_log log;
  };
  auto st = std::make_shared<state>();
  st->port = ctx->port_of(ctx->data_feed);
  st->log = container_log{ctx->run_hex(), ctx->name_of(ctx->data_feed)};
  st->log.debug("{} bars of {} symbols", ctx->data->bars.size(), ctx->data->symbols.size());
  return {
    [=](const credit_msg& credit) {
      const auto& data = *ctx->data;
      if (ctx->stop_requested() && st->next > 0) {
        // Asked to stop: the stream ends with the bars already sent, which every
        // container still handles, so the run ends as a shorter one would (at least
        // the first credit's: the containers finish only after a bar).
        st->log.debug("stopped after {} of {} bars", st->next, data.bars.size());
        self->send(parent, stream_end_msg{st->next});
        self->quit();
        return;
      }
      for (std::size_t i = 0; i < credit.batches && st->next < data.bars.size(); ++i) {
        auto batch = next_batch(data, st->next, ctx->config.engine.batch_size, st->port);
        st->port.publish(self, parent, bar_batch{{batch, batch->back().header.sequence}});
      }
      if (st->next == data.bars.size()) {
        st->log.debug("end of data after {} bars", data.bars.size());
        self->send(parent, stream_end_msg{data.bars.size()});
        self->quit();
      }
    },
  };
}

}  // namespace admf
