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

double read_metrics(const field& f) {
  const map_reader map(f, {"periods_per_year"});
  double periods_per_year = backtest_config{}.periods_per_year;
  read_number(map, "periods_per_year", above_zero, periods_per_year);
  return periods_per_year;
}

}  // namespace admf::sections
