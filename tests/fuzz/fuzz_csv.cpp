// The path of a data file from bytes to bars: csv_table (libcsv, dialect detection),
// the timestamp reader (ISO fast path, epochs, strftime patterns, time zones), the row
// checks, order, start/end, adj_close and corporate actions, merged by
// load_market_data. The first three bytes pick the source's options as a config could
// set them; the rest is the file, and after a line "#actions" a corporate actions file.
// Expected outcome for bad input: admf::input_error (a clear FILE:LINE message); a
// load that succeeds must give bars as load_market_data promises them (checked here).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "runtime/core/error.hpp"
#include "runtime/data/market_data.hpp"
#include "runtime/data/source_loader.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

using namespace admf;

constexpr char delimiters[] = {0, ',', ';', '\t', '|'};
const char* const time_formats[] = {
  "",         "epoch_s",           "epoch_ms",          "epoch_us",
  "epoch_ns", "%d.%m.%Y",          "%m/%d/%Y %H:%M",    "%Y%m%d",
  "%Y-%m-%d %H:%M:%S%z", "%j.%Y",  "%d %b %Y",          "%Y-%m-%dT%H:%M:%S",
  "%y-%m-%d", "%Y/%m/%d %I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S%Ez"};
const char* const zones[] = {"", "America/New_York", "Europe/Zurich", "Australia/Lord_Howe"};
// start/end choices (ns since 1970): none, 2000-01-01, 2000-06-30 12:00, 1996-04-01.
constexpr timestamp bounds[] = {0, 946'684'800'000'000'000, 962'366'400'000'000'000,
                                828'316'800'000'000'000};

data_config config_from(fuzz::input& in) {
  const std::uint8_t a = in.byte(), b = in.byte(), c = in.byte();
  data_source_config s;
  s.delimiter = delimiters[(a & 7) % 5];
  s.decimal = (a & 8) && s.delimiter != ',' ? ',' : '.';  // the config refuses ',' with ','
  s.format = a & 16 ? csv_format::wide : csv_format::ohlcv;
  s.order = a & 32 ? row_order::descending : row_order::ascending;
  s.on_missing = a & 64 ? missing_row_policy::skip : missing_row_policy::error;
  s.time_format = time_formats[(b >> 2) & 15];
  s.timezone = zones[b >> 6];
  if (c & 3)
    s.start = bounds[c & 3];
  if ((c >> 2) & 3)
    s.end = bounds[(c >> 2) & 3];
  if (s.start && s.end && *s.start > *s.end)  // the config refuses it
    s.end.reset();
  const std::string_view csv = in.until("\n#actions\n");
  s.path = s.csv = fuzz::scratch_file("data.csv", csv);
  if (s.format == csv_format::ohlcv) {
    s.symbol = "SYM";
    if (c & 16) {
      s.corporate_actions = fuzz::scratch_file("actions.csv", in.rest());
    } else if (a & 128) {
      s.adjust = price_adjustment::adj_close;  // not with corporate actions (config rule)
    }
  }
  data_config config;
  config.on_bad_bar = static_cast<bad_bar_policy>((b & 3) % 3);
  config.sources.push_back(std::move(s));
  return config;
}

void require(bool ok, const char* what, const timed_bar& b) {
  if (ok)
    return;
  std::fprintf(stderr, "broken promise: %s at time %lld symbol %u: o %g h %g l %g c %g v %g\n",
               what, static_cast<long long>(b.time), static_cast<unsigned>(b.bar.symbol),
               b.bar.open, b.bar.high, b.bar.low, b.bar.close, b.bar.volume);
  std::abort();
}

/// Sorted by (time, symbol) without duplicates, inside start/end, every bar possible.
void check_bars(const market_data& data, const data_source_config& source) {
  const timed_bar* previous = nullptr;
  for (const timed_bar& t : data.bars) {
    const bar_data& b = t.bar;
    require(previous == nullptr || bar_before(*previous, t), "not sorted or repeated", t);
    require(b.symbol < data.symbols.size(), "unknown symbol id", t);
    require(!source.start || t.time >= *source.start, "before start", t);
    require(!source.end || t.time <= *source.end, "after end", t);
    for (const double price : {b.open, b.high, b.low, b.close})
      require(std::isfinite(price) && price > 0, "price not finite and positive", t);
    require(b.low <= b.high && b.low <= b.open && b.open <= b.high && b.low <= b.close
              && b.close <= b.high,
            "price outside [low, high]", t);
    require(std::isfinite(b.volume) && b.volume >= 0, "volume not finite and >= 0", t);
    previous = &t;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  const data_config config = config_from(in);
  try {
    const market_data loaded = load_market_data(config);
    check_bars(loaded, config.sources.front());
    for (const auto& report : loaded.bad_bars)
      (void)describe(report);
    for (const auto& report : loaded.missing_rows)
      (void)describe(report);
  } catch (const input_error& e) {
    fuzz::refused(e);
  }
  return 0;
}
