#include <catch2/catch.hpp>

#include <limits>

#include "temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/core/error.hpp"
#include "runtime/tracing/chrome_trace.hpp"
#include "runtime/tracing/event_text.hpp"
#include "runtime/tracing/run_trace.hpp"
#include "runtime/tracing/trace_report.hpp"
#include "runtime/tracing/trace_file.hpp"

using namespace admf;
namespace fs = std::filesystem;

namespace {

// The container table of a one-portfolio run, as the engine numbers it.
constexpr container_id data_feed = 1, execution = 2, portfolio = 3, risk = 4, strategy = 5;
constexpr std::uint64_t run = 0x5eed;
constexpr std::uint64_t trade = (std::uint64_t{portfolio} << 40) | 1;

trace_header sample_header(const std::string& container = "recorder") {
  trace_header h;
  h.run_id = "0000000000005eed";
  h.container = container;
  h.containers = {"backtest", "data", "execution", "pf", "pf/risk", "pf/sma"};
  h.symbols = {"SPX"};
  return h;
}

std::uint64_t id_of(container_id source, std::uint64_t seq) {
  return (std::uint64_t{source} << 40) | seq;
}

trace_record record(event_type type, container_id source, std::uint64_t seq, timestamp time,
                    std::uint64_t causation, event_payload payload,
                    std::uint64_t correlation = run, hop_times times = {}) {
  trace_record r;
  auto& h = r.ev.header;
  h.id = id_of(source, seq);
  h.correlation = correlation;
  h.causation = causation;
  h.sequence = seq;
  h.time = time;
  h.source = source;
  h.type = type;
  r.ev.payload = std::move(payload);
  r.times = times;
  return r;
}

const timestamp day1 = 1'167'782'400 * ns_per_second;  // 2007-01-03
const timestamp day2 = day1 + ns_per_day;

order_data buy_order() {
  order_data o;
  o.order_id = 1;
  o.portfolio = portfolio;
  o.strategy = strategy;
  o.action = side::buy;
  o.quantity = 68;
  return o;
}

fill_data buy_fill() {
  fill_data f;
  f.order_id = 1;
  f.portfolio = portfolio;
  f.strategy = strategy;
  f.action = side::buy;
  f.quantity = 68;
  f.price = 1458.47;
  return f;
}

signal_data long_signal() {
  signal_data s;
  s.strategy = strategy;
  s.target = direction::long_;
  return s;
}

/// Bar -> signal -> order -> fill, timed as a traced run would have them.
std::vector<trace_record> one_trade() {
  const std::int64_t t0 = 1'700'000'000'000'000'000;
  return {
    record(event_type::bar, data_feed, 1, day1, 0, bar_data{0, 1, 2, 0.5, 1450, 1e6}, run,
           {t0, t0 + 100, t0 + 1'000, t0 + 3'000}),
    record(event_type::signal, strategy, 1, day1, id_of(data_feed, 1), long_signal(), run,
           {t0 + 2'000, t0 + 2'500, t0 + 4'000, t0 + 6'000}),
    record(event_type::order, risk, 1, day1, id_of(strategy, 1), buy_order(), trade,
           {t0 + 7'000, t0 + 7'500, t0 + 9'000, t0 + 12'000}),
    record(event_type::fill, execution, 1, day2, id_of(risk, 1), buy_fill(), trade,
           {t0 + 20'000, t0 + 20'500, t0 + 21'000, t0 + 25'000}),
  };
}

trace_data merged(const std::vector<trace_record>& records) {
  trace_merger merger;
  merger.add_header(sample_header());
  for (const auto& r : records)
    merger.add(r);
  return merger.finish();
}

using admf::testing::temp_dir;

void write_trace(const std::string& path, const std::vector<trace_record>& records,
                 bool compress = false) {
  trace_writer writer(path, sample_header(), compress);
  for (const auto& r : records)
    writer.write(r);
  writer.close();
}

struct command_result {
  int code;
  std::string out, err;
};

command_result run_command(trace_options options) {
  std::ostringstream out, err;
  const int code = run_trace(options, out, err);
  return {code, out.str(), err.str()};
}

} // namespace

TEST_CASE("events are counted by type and by source container", "[trace_analysis]") {
  auto records = one_trade();
  records.push_back(record(event_type::bar, data_feed, 2, day2, 0, bar_data{}));
  const auto data = merged(records);
  const auto counts = count_events(data);

  CHECK(counts.by_type[static_cast<std::size_t>(event_type::bar)] == 2);
  CHECK(counts.by_type[static_cast<std::size_t>(event_type::signal)] == 1);
  CHECK(counts.by_type[static_cast<std::size_t>(event_type::order)] == 1);
  CHECK(counts.by_type[static_cast<std::size_t>(event_type::fill)] == 1);
  CHECK(counts.by_type[static_cast<std::size_t>(event_type::risk_reject)] == 0);
  REQUIRE(counts.by_source.size() == 6);
  CHECK(counts.by_source.at(data_feed) == 2);
  CHECK(counts.by_source.at(execution) == 1);
  CHECK(counts.by_source.at(portfolio) == 0);

  const auto text = format_counts(data, counts);
  CHECK(text.find("5 events from 1 file(s)") != std::string::npos);
  CHECK(text.find("  data     ") != std::string::npos);
  CHECK(text.find("pf/risk") != std::string::npos);
  CHECK(text.find("POSITION_OPEN") == std::string::npos);  // zero rows are left out
}

TEST_CASE("a record naming container 0xFFFFFFFF and extreme wall times is counted and "
          "measured without sizing anything by them",
          "[trace_analysis]") {
  // A damaged or hostile trace: the source id would wrap `id + 1` to 0, the times would
  // overflow a subtraction.
  auto hostile = record(event_type::bar, 0xFFFFFFFFu, 1, day2, 0, bar_data{});
  hostile.times.created = std::numeric_limits<std::int64_t>::min() + 1;
  hostile.times.emitted = std::numeric_limits<std::int64_t>::min() + 1;
  hostile.times.received = std::numeric_limits<std::int64_t>::max();
  hostile.times.processed = std::numeric_limits<std::int64_t>::max();
  auto records = one_trade();
  records.push_back(hostile);
  const auto data = merged(records);
  const auto counts = count_events(data);
  CHECK(counts.by_source.size() == 7);  // the 6 named containers and the stranger
  CHECK(counts.by_source.at(0xFFFFFFFFu) == 1);
  CHECK(format_counts(data, counts).find("#4294967295") != std::string::npos);
  // max - (min + 1) does not fit in int64: no sample rather than a wrapped one.
  CHECK_FALSE(hop_latency(hostile.times, hop_kind::emitted_to_received));
  CHECK(hop_latency(hostile.times, hop_kind::received_to_processed) == 0);
  CHECK(elapsed(-5, std::numeric_limits<std::int64_t>::max() - 5) == std::numeric_limits<std::int64_t>::max());
  CHECK_FALSE(elapsed(-6, std::numeric_limits<std::int64_t>::max() - 5));
  const auto report = measure_latencies(data);
  CHECK(report.all[static_cast<std::size_t>(hop_kind::emitted_to_received)].count == 4);
}

TEST_CASE("chains link signal to order to fill, and signal to reject", "[trace_analysis]") {
  auto records = one_trade();
  risk_reject_data reject;
  reject.reason = reject_reason::max_position_size;
  // Second signal: rejected. Third: ordered, never filled. Fourth: nothing followed.
  records.push_back(record(event_type::signal, strategy, 2, day2, 0, long_signal()));
  records.push_back(record(event_type::risk_reject, risk, 2, day2, id_of(strategy, 2), reject));
  records.push_back(record(event_type::signal, strategy, 3, day2 + ns_per_day, 0, long_signal()));
  records.push_back(record(event_type::order, risk, 3, day2 + ns_per_day, id_of(strategy, 3),
                           buy_order()));
  records.push_back(record(event_type::signal, strategy, 4, day2 + 2 * ns_per_day, 0,
                           long_signal()));
  const auto data = merged(records);
  const auto chains = link_chains(data);

  REQUIRE(chains.size() == 4);
  CHECK(chains[0].origin->ev.header.id == id_of(strategy, 1));
  REQUIRE(chains[0].decision);
  CHECK(chains[0].decision->ev.header.id == id_of(risk, 1));
  REQUIRE(chains[0].outcome);
  CHECK(chains[0].outcome->ev.header.id == id_of(execution, 1));
  CHECK(chains[0].complete());

  REQUIRE(chains[1].decision);
  CHECK(chains[1].decision->ev.header.type == event_type::risk_reject);
  CHECK(chains[1].outcome == nullptr);
  CHECK(chains[1].complete());

  REQUIRE(chains[2].decision);
  CHECK(chains[2].decision->ev.header.type == event_type::order);
  CHECK(chains[2].outcome == nullptr);
  CHECK_FALSE(chains[2].complete());

  CHECK(chains[3].decision == nullptr);
  CHECK_FALSE(chains[3].complete());

  const auto text = format_chains(data, chains, 1);
  CHECK(text.find("complete 2 (1 filled, 0 cancelled, 1 rejected)") != std::string::npos);
  CHECK(text.find("incomplete 2 (1 without order, 1 without fill or cancel)") != std::string::npos);
  CHECK(text.find("-> FILL 0x20000000001 execution  BUY 68 SPX @ 1458.47") != std::string::npos);
  // Order created 7us after the signal; the signal took 4000 - 2500 ns to arrive.
  CHECK(text.find("created +5.0us, transit 1.5us") != std::string::npos);
  CHECK(text.find("(1 of 4 chains shown") != std::string::npos);
  CHECK(text.find("RISK_REJECT") == std::string::npos);  // beyond the limit
}

TEST_CASE("chains start at a liquidation too, and show the account's cut of a fill",
          "[trace_analysis]") {
  auto records = one_trade();
  // The fill (execution 1, of order risk 1) is cut by the portfolio's account.
  order_cancel_data cut;
  cut.reason = cancel_reason::insufficient_cash;
  cut.cut_quantity = 4;
  records.push_back(record(event_type::order_cancel, portfolio, 1, day2, id_of(execution, 1), cut));
  // A margin call's exit: LIQUIDATION -> ORDER -> FILL.
  liquidation_data call;
  call.reason = liquidation_reason::margin_call;
  records.push_back(record(event_type::liquidation, portfolio, 2, day2, 0, call));
  records.push_back(record(event_type::order, risk, 2, day2, id_of(portfolio, 2), buy_order()));
  records.push_back(record(event_type::fill, execution, 2, day2 + ns_per_day, id_of(risk, 2),
                           buy_fill()));
  const auto data = merged(records);  // the chains point into it
  const auto chains = link_chains(data);
  REQUIRE(chains.size() == 2);
  REQUIRE(chains[0].cut);
  CHECK(chains[0].cut->ev.header.id == id_of(portfolio, 1));
  CHECK(chains[1].origin->ev.header.type == event_type::liquidation);
  REQUIRE(chains[1].outcome);
  CHECK(chains[1].outcome->ev.header.id == id_of(execution, 2));
  CHECK(chains[1].cut == nullptr);
  const auto text = format_chains(data, chains, 10);
  CHECK(text.find("insufficient_cash (cut BUY 4)") != std::string::npos);
  CHECK(text.find("LIQUIDATION") != std::string::npos);
}

TEST_CASE("an order cancelled by a later signal ends its chain at that cancel",
          "[trace_analysis]") {
  auto records = one_trade();
  records.pop_back();  // the order did not fill: a new signal superseded it at day 2's close
  records.push_back(record(event_type::signal, strategy, 2, day2, 0, long_signal()));
  order_cancel_data superseded;
  superseded.order_id = buy_order().order_id;
  superseded.reason = cancel_reason::superseded;
  records.push_back(
    record(event_type::order_cancel, portfolio, 1, day2, id_of(strategy, 2), superseded, trade));
  const auto data = merged(records);
  const auto chains = link_chains(data);
  REQUIRE(chains.size() == 2);  // the first signal's order, the second signal
  REQUIRE(chains[0].outcome);
  CHECK(chains[0].outcome->ev.header.id == id_of(portfolio, 1));
  CHECK(chains[0].complete());
  // The second placed nothing: it ends at the cancel it caused, decided and done.
  CHECK(chains[1].decision == chains[0].outcome);
  CHECK(chains[1].complete());
  const auto text = format_chains(data, chains, 10);
  CHECK(text.find("superseded") != std::string::npos);
  CHECK(text.find("no order") == std::string::npos);
}

TEST_CASE("latency percentiles are nearest-rank over recorded timestamps", "[trace_analysis]") {
  std::vector<std::int64_t> samples;
  for (std::int64_t v = 100; v >= 1; --v)
    samples.push_back(v);
  const auto s = summarize_latencies(samples);
  CHECK(s.count == 100);
  CHECK(s.p50 == 50);
  CHECK(s.p90 == 90);
  CHECK(s.p99 == 99);
  CHECK(s.max == 100);
  // Buckets [2^k, 2^(k+1)): 1 | 2-3 | 4-7 | ... | 64-127 (37 samples: 64..100).
  REQUIRE(s.buckets.size() == 7);
  CHECK(s.buckets[0] == 1);
  CHECK(s.buckets[1] == 2);
  CHECK(s.buckets[5] == 32);
  CHECK(s.buckets[6] == 37);

  const auto small = summarize_latencies({10, 20, 30});
  CHECK(small.p50 == 20);
  CHECK(small.p99 == 30);

  // Zero means "not recorded": such hops are skipped, not counted as 0 ns.
  auto records = one_trade();
  records[0].times.emitted = 0;
  const auto report = measure_latencies(merged(records));
  const auto e2r = static_cast<std::size_t>(hop_kind::emitted_to_received);
  CHECK(report.all[e2r].count == 3);
  CHECK(report.by_type[static_cast<std::size_t>(event_type::bar)][e2r].count == 0);
  const auto& fills = report.by_type[static_cast<std::size_t>(event_type::fill)];
  CHECK(fills[static_cast<std::size_t>(hop_kind::created_to_processed)].max == 5'000);
  CHECK(fills[static_cast<std::size_t>(hop_kind::received_to_processed)].p50 == 4'000);

  const auto text = format_latencies(report);
  CHECK(text.find("histogram emitted->received") != std::string::npos);
  CHECK(format_latencies(measure_latencies(merged({record(event_type::bar, 1, 1, 0, 0,
                                                          bar_data{})}))).find("no wall-clock")
        != std::string::npos);
}

TEST_CASE("correlation selects one trade, in (time, source, sequence) order", "[trace_analysis]") {
  auto records = one_trade();
  position_data open;
  open.trade_id = trade;
  open.quantity = 68;
  open.entry_price = 1458.47;
  // Same logical time as the fill, higher source id: listed after it, though added first.
  records.push_back(record(event_type::position_open, portfolio, 1, day2, id_of(execution, 1),
                           open, trade));
  records.push_back(record(event_type::position_open, portfolio, 2, day2, 0, open, trade + 1));
  std::reverse(records.begin(), records.end());
  const auto data = merged(records);

  const auto selected = select_correlation(data, trade);
  REQUIRE(selected.records.size() == 3);
  CHECK(selected.records[0].ev.header.type == event_type::order);
  CHECK(selected.records[1].ev.header.type == event_type::fill);
  CHECK(selected.records[2].ev.header.type == event_type::position_open);

  const auto text = format_events(selected);
  std::istringstream lines(text);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);)
    rows.push_back(line);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].rfind("2007-01-03  ORDER", 0) == 0);
  CHECK(rows[1].find("2007-01-04  FILL") == 0);
  CHECK(rows[1].find("execution") != std::string::npos);
  CHECK(rows[1].find("id 0x20000000001") != std::string::npos);
  CHECK(rows[1].find("cause 0x40000000001") != std::string::npos);
  CHECK(rows[1].find("BUY 68 SPX @ 1458.47") != std::string::npos);
  CHECK(rows[2].find("SPX 68 @ 1458.47") != std::string::npos);

  CHECK(select_correlation(data, 12345).records.empty());
}

TEST_CASE("event ids parse as hex or decimal", "[trace_analysis]") {
  CHECK(parse_event_id("0x1f") == std::optional<std::uint64_t>(31));
  CHECK(parse_event_id("0X1F") == std::optional<std::uint64_t>(31));
  CHECK(parse_event_id("31") == std::optional<std::uint64_t>(31));
  CHECK(parse_event_id("00c0ffee") == std::optional<std::uint64_t>(0xc0ffee));
  CHECK_FALSE(parse_event_id(""));
  CHECK_FALSE(parse_event_id("0x"));
  CHECK_FALSE(parse_event_id("12z"));
  CHECK_FALSE(parse_event_id("-1"));
  CHECK_FALSE(parse_event_id("0x1ffffffffffffffff"));  // 65 bits
  CHECK(format_event_id(31) == "0x1f");
}

TEST_CASE("chrome export has slices per container, thread names and flows", "[trace_analysis]") {
  const auto data = merged(one_trade());
  const auto doc = nlohmann::json::parse(chrome_trace_json(data));
  REQUIRE(doc.is_object());
  CHECK(doc["displayTimeUnit"] == "ns");
  const auto& events = doc["traceEvents"];
  REQUIRE(events.is_array());

  std::map<std::string, nlohmann::json> slices;  // by event id
  std::map<std::int64_t, std::string> threads;
  std::map<std::uint64_t, std::vector<nlohmann::json>> flows;
  for (const auto& e : events) {
    const auto ph = e["ph"].get<std::string>();
    if (ph == "X")
      slices[e["args"]["id"].get<std::string>()] = e;
    else if (ph == "M" && e["name"] == "thread_name")
      threads[e["tid"].get<std::int64_t>()] = e["args"]["name"];
    else if (ph == "s" || ph == "f")
      flows[e["id"].get<std::uint64_t>()].push_back(e);
  }
  REQUIRE(slices.size() == 4);
  CHECK(threads[execution] == "execution");
  CHECK(threads[strategy] == "pf/sma");

  const auto& fill = slices[format_event_id(id_of(execution, 1))];
  CHECK(fill["name"] == "FILL");
  CHECK(fill["pid"] == 1);
  CHECK(fill["tid"] == execution);
  // Created 20us after the first timestamp of the trace; busy 25000 - 21000 ns.
  CHECK(fill["ts"].get<double>() == Approx(20.0));
  CHECK(fill["dur"].get<double>() == Approx(4.0));
  CHECK(slices[format_event_id(id_of(data_feed, 1))]["dur"].get<double>() == Approx(2.0));

  // Three causal links: bar -> signal -> order -> fill.
  REQUIRE(flows.size() == 3);
  for (const auto& [id, pair] : flows) {
    REQUIRE(pair.size() == 2);
    CHECK(pair[0]["ph"] == "s");
    CHECK(pair[1]["ph"] == "f");
    CHECK(pair[1]["bp"] == "e");
  }
  const auto& last = flows.rbegin()->second;
  CHECK(last[0]["tid"] == risk);       // the order...
  CHECK(last[1]["tid"] == execution);  // ...caused the fill
  const auto fill_ts = fill["ts"].get<double>();
  CHECK(last[1]["ts"].get<double>() >= fill_ts);
  CHECK(last[1]["ts"].get<double>() <= fill_ts + fill["dur"].get<double>());
}

TEST_CASE("chrome slices of one container never overlap", "[trace_analysis]") {
  // Three bars created in the same nanosecond, each busy for 5us downstream.
  const std::int64_t t0 = 1'700'000'000'000'000'000;
  std::vector<trace_record> records;
  for (std::uint64_t i = 1; i <= 3; ++i)
    records.push_back(record(event_type::bar, data_feed, i, day1, 0, bar_data{}, run,
                             {t0, t0 + 1, t0 + 10, t0 + 5'010}));
  // Untimed events fall back to logical order, 1us apart.
  records.push_back(record(event_type::bar, data_feed, 4, day2, 0, bar_data{}));
  const auto doc = nlohmann::json::parse(chrome_trace_json(merged(records)));
  std::vector<std::pair<double, double>> spans;
  for (const auto& e : doc["traceEvents"])
    if (e["ph"] == "X")
      spans.emplace_back(e["ts"].get<double>(), e["dur"].get<double>());
  REQUIRE(spans.size() == 4);
  for (std::size_t i = 1; i < spans.size(); ++i) {
    CHECK(spans[i].first >= spans[i - 1].first + spans[i - 1].second);
    CHECK(spans[i].second >= 1.0);
  }
}

TEST_CASE("an event traced by two containers counts once, most complete copy kept",
          "[trace_analysis]") {
  temp_dir dir;
  auto seen_by_portfolio = one_trade();
  auto seen_by_recorder = one_trade();
  // The fill: three timestamps in the first file, four (and a later one) in the second.
  seen_by_portfolio[3].times.processed = 0;
  seen_by_portfolio[3].observed_at = portfolio;
  seen_by_recorder[3].times.processed += 1;
  write_trace(dir.file("pf.pb"), seen_by_portfolio);
  write_trace(dir.file("recorder.pb"), seen_by_recorder, true);

  const auto data = load_traces({dir.file("pf.pb"), dir.file("recorder.pb")});
  CHECK(data.files == 2);
  CHECK(data.records_read == 8);
  REQUIRE(data.records.size() == 4);
  CHECK(data.warnings.empty());
  const auto& fill = data.records.back();
  CHECK(fill.ev.header.type == event_type::fill);
  CHECK(fill.times.processed == one_trade()[3].times.processed + 1);
  CHECK(fill.observed_at == 0);
  CHECK(count_events(data).by_type[static_cast<std::size_t>(event_type::fill)] == 1);
}

TEST_CASE("trace command: report, damage warning, bad input errors", "[trace_analysis]") {
  temp_dir dir;
  write_trace(dir.file("events.pb"), one_trade());

  SECTION("report on a good file") {
    const auto r = run_command({{dir.file("events.pb")}, 20, std::nullopt, ""});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("by type:") != std::string::npos);
    CHECK(r.out.find("causal chains: 1; complete 1") != std::string::npos);
    CHECK(r.out.find("latency (wall clock") != std::string::npos);
  }
  SECTION("a cut file reports what came before the cut") {
    // The end record takes the last 5 bytes (see test_trace_file.cpp): 10 fewer cut the
    // last record too.
    const auto full = fs::file_size(dir.file("events.pb"));
    fs::resize_file(dir.file("events.pb"), full - 10);
    const auto r = run_command({{dir.file("events.pb")}, 20, std::nullopt, ""});
    CHECK(r.code == 0);
    CHECK(r.err == "warning: " + dir.file("events.pb") +
                     ": cut after 3 records (no end record; truncated at byte " +
                     std::to_string(full - 10) + ")\n");
    CHECK(r.out.find("3 events from 1 file(s)") != std::string::npos);
  }
  SECTION("an interrupted run's file says so, and counts") {
    trace_writer writer(dir.file("stopped.pb"), sample_header(), false);
    for (const auto& r : one_trade())
      writer.write(r);
    writer.close("SIGINT");
    const auto r = run_command({{dir.file("stopped.pb")}, 20, std::nullopt, ""});
    CHECK(r.code == 0);
    CHECK(r.err == "warning: " + dir.file("stopped.pb") +
                     ": interrupted by SIGINT after 4 records (the run was stopped early)\n");
    CHECK(r.out.find("4 events from 1 file(s)") != std::string::npos);
  }
  SECTION("an empty file among others is reported, the rest analysed") {
    std::ofstream(dir.file("empty.pb"));
    const auto r = run_command({{dir.file("empty.pb"), dir.file("events.pb")}, 20,
                                std::nullopt, ""});
    CHECK(r.code == 0);
    CHECK(r.err == "warning: " + dir.file("empty.pb") +
                     ": empty (0 bytes): cut before its header, no records\n");
    CHECK(r.out.find("4 events from 1 file(s)") != std::string::npos);
  }
  SECTION("only empty files: nothing to analyse") {
    std::ofstream(dir.file("empty.pb"));
    auto r = run_command({{dir.file("empty.pb")}, 20, std::nullopt, ""});
    CHECK(r.code == 2);
    CHECK(r.err == "error: " + dir.file("empty.pb") + ": empty (0 bytes): no trace to read\n");
    std::ofstream(dir.file("empty2.pb"));
    r = run_command({{dir.file("empty.pb"), dir.file("empty2.pb")}, 20, std::nullopt, ""});
    CHECK(r.code == 2);
    CHECK(r.err.find("error: every trace file is empty (0 bytes): no trace to read\n")
          != std::string::npos);
  }
  SECTION("a missing file") {
    const auto r = run_command({{dir.file("nope.pb")}, 20, std::nullopt, ""});
    CHECK(r.code == 2);
    CHECK(r.err.rfind("error: " + dir.file("nope.pb") + ": ", 0) == 0);
    CHECK(r.out.empty());
  }
  SECTION("a file that is not a trace") {
    std::ofstream(dir.file("notes.txt")) << "hello, this is not a trace\n";
    const auto r = run_command({{dir.file("events.pb"), dir.file("notes.txt")}, 20,
                                std::nullopt, ""});
    CHECK(r.code == 2);
    CHECK(r.err.rfind("error: " + dir.file("notes.txt") + ": ", 0) == 0);
  }
  SECTION("correlation: listed, unmatched, malformed") {
    const auto hex = format_event_id(trade);
    const auto listed = run_command({{dir.file("events.pb")}, 20, hex, ""});
    CHECK(listed.code == 0);
    CHECK(listed.out.find("ORDER") != std::string::npos);
    CHECK(listed.out.find("BAR") == std::string::npos);
    const auto decimal = run_command({{dir.file("events.pb")}, 20, std::to_string(trade), ""});
    CHECK(decimal.out == listed.out);

    const auto none = run_command({{dir.file("events.pb")}, 20, std::string("0x99"), ""});
    CHECK(none.code == 2);
    CHECK(none.err == "error: no events with correlation 0x99\n");
    const auto bad = run_command({{dir.file("events.pb")}, 20, std::string("trade-7"), ""});
    CHECK(bad.code == 2);
    CHECK(bad.err.rfind("error: --correlation trade-7", 0) == 0);
  }
  SECTION("--chrome writes valid JSON, atomically") {
    const auto out = dir.file("trace.json");
    const auto r = run_command({{dir.file("events.pb")}, 20, std::nullopt, out});
    CHECK(r.code == 0);
    CHECK_FALSE(fs::exists(out + ".tmp"));
    CHECK_FALSE(fs::exists(out + ".partial"));
    std::ifstream in(out);
    const auto doc = nlohmann::json::parse(in);
    CHECK(doc["traceEvents"].size() > 4);
  }
  SECTION("--chrome onto a directory is an I/O error naming it, not a crash") {
    const auto out = dir.file("taken");
    fs::create_directory(out);
    CHECK_THROWS_MATCHES(run_command({{dir.file("events.pb")}, 20, std::nullopt, out}), io_error,
                         Catch::Message(out + ": rename into place failed: Is a directory"));
    CHECK(fs::is_directory(out));
    CHECK_FALSE(fs::exists(out + ".partial"));
  }
  SECTION("--chrome into a missing directory is an I/O error naming the file") {
    const auto out = dir.file("missing/trace.json");
    CHECK_THROWS_MATCHES(run_command({{dir.file("events.pb")}, 20, std::nullopt, out}), io_error,
                         Catch::Message(out + ": cannot create: No such file or directory"));
  }
}
