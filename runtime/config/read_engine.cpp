// The sections that tune the run without changing its trading: `engine:` and `metrics:`.
#include "runtime/config/section_readers.hpp"

namespace admf::sections {

using namespace yaml;

engine_config read_engine(const field& f) {
  const map_reader map(f, {"batch_size", "max_batches_in_flight"});
  engine_config engine;
  read_count(map, "batch_size", 1, engine.batch_size);
  // One batch in flight would leave the producer idle while a consumer works.
  read_count(map, "max_batches_in_flight", 2, engine.max_batches_in_flight);
  return engine;
}

namespace {

// A rate of 1 or more is almost surely a percentage (2 meaning 2 %); rates can be negative.
constexpr number_rule annual_rate{[](double x) { return x > -1 && x < 1; },
                                  "a fraction > -1 and < 1 (0.02 = 2 % a year)"};

}  // namespace

metrics_config read_metrics(const field& f, metrics_config metrics) {
  const map_reader map(f, {"periods_per_year", "risk_free_rate"});
  read_number(map, "periods_per_year", above_zero, metrics.periods_per_year);
  read_number(map, "risk_free_rate", annual_rate, metrics.risk_free_rate);
  return metrics;
}

}  // namespace admf::sections
