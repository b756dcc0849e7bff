// What a coordinator and a worker read from each other: the protobuf payloads of
// job_spec_msg and job_result_msg (apps/cluster/protocol.hpp), and on the coordinator
// what becomes of a decoded JobResult: job_row turns its metrics_json into an
// optimize.csv row and the summary ranking reads (a hostile or mismatched worker must
// not crash it nor write a malformed row). Byte 0: bit 0 spec (worker side) or result
// (coordinator side), the other bits the ranked metric; the rest is the payload.
// Expected outcome for bad input: decode refuses it, or admf::input_error; nothing a peer
// sends may break the row's shape.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "apps/cluster/protocol.hpp"
#include "apps/optimize/study.hpp"
#include "runtime/config/load_config.hpp"
#include "runtime/core/error.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

using namespace admf;

/// A sweep of 2 x 3 jobs as the coordinator holds it; only what job_row reads.
study sweep_of(const std::string& metric) {
  study s;
  s.spec.metric = metric;
  s.spec.grid.axes = {{"sma", "fast", {"5", "10"}}, {"sma", "slow", {"20", "30", "40"}}};
  s.plan.combinations = {0, 1, 2, 3, 4, 5};
  s.columns = columns_for(metric);
  return s;
}

void require(bool ok, const char* what, const std::string& row) {
  if (ok)
    return;
  std::fprintf(stderr, "broken row (%s): %s\n", what, row.c_str());
  std::abort();
}

void worker_side(const std::string& bytes) {
  proto::JobSpec spec;
  if (!decode(job_spec_msg{bytes}, spec)
      || !check_protocol_version(cluster_protocol_version(), spec.protocol_version()).empty())
    return;
  try {
    (void)load_config_text(spec.config_yaml(), "job.yaml", [](const strategy_config&) {});
  } catch (const input_error& e) {
    fuzz::refused(e);
  }
}

void coordinator_side(const std::string& bytes, const std::string& metric) {
  proto::JobResult r;
  if (!decode(job_result_msg{bytes}, r).empty() || !r.error().empty())  // refused, one line
    return;
  static const study s = sweep_of(metric);
  const study& sweep = metric == s.spec.metric ? s : sweep_of(metric);
  if (r.job_index() >= sweep.jobs())  // the coordinator takes only jobs in flight
    return;
  job_result summary;
  std::string row;
  try {
    row = job_row(sweep, r.job_index(), r.stopped(), r.metrics_json(), summary);
  } catch (const input_error& e) {
    fuzz::refused(e);
    return;
  }
  // "job,fast,slow,<one cell per metric key>\n": one line, as many cells as the header.
  require(!row.empty() && row.back() == '\n', "no newline at the end", row);
  require(row.find_first_of("\r\n") == row.size() - 1, "a line break inside", row);
  std::size_t commas = 0;
  for (const char c : row)
    commas += c == ',';
  require(commas == 2 + metric_keys().size(), "not one cell per column", row);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::string> keys = metric_keys();
  fuzz::input in(data, size);
  const std::uint8_t choice = in.byte();
  const std::string payload(in.rest());
  if (choice & 1)
    worker_side(payload);
  else
    coordinator_side(payload, keys[(choice >> 1) % keys.size()]);
  return 0;
}
