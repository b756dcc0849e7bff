// optimize.csv's metric cells read from a job's metrics.json, which on a cluster comes
// from a worker: text from another build or a hostile peer must be refused, not turned
// into a row with cells missing, misplaced or split (tests/fuzz/fuzz_cluster.cpp found
// each of these).
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "apps/optimize/grid.hpp"
#include "apps/optimize/results_csv.hpp"
#include "runtime/core/error.hpp"

using namespace admf;

namespace {

/// A metrics.json with every key of this build, in order, each set to `value`; a
/// `cancelled` count by reason in the middle, as metrics.json has one.
nlohmann::ordered_json full_metrics(const nlohmann::ordered_json& value) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (const auto& key : metric_keys()) {
    json[key] = value;
    if (key == "trades")
      json["cancelled"] = {{"cash", 2}};
  }
  return json;
}

std::string refusal(const std::string& text) {
  try {
    metric_cells(text);
  } catch (const input_error& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("metric cells: one per key in order, numbers as written, null empty, counts left out",
          "[optimize]") {
  auto json = full_metrics(nullptr);
  json["sharpe"] = 1.25;
  json["trades"] = 7;
  json["ruined_at"] = "2020-03-16";
  const auto cells = metric_cells(json.dump());
  const auto keys = metric_keys();
  REQUIRE(cells.size() == keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string want = keys[i] == "sharpe"      ? "1.25"
                             : keys[i] == "trades"    ? "7"
                             : keys[i] == "ruined_at" ? "2020-03-16"
                                                      : "";
    CHECK(cells[i] == want);
  }
}

TEST_CASE("metric cells: metrics of another build or a hostile peer are refused", "[optimize]") {
  auto fewer = full_metrics(1);
  fewer.erase("sharpe");
  CHECK(refusal(fewer.dump()).find("'sharpe'") != std::string::npos);

  auto more = full_metrics(1);
  more["extra"] = 1;
  CHECK(refusal(more.dump()).find("'extra'") != std::string::npos);

  auto swapped = nlohmann::ordered_json::object();  // the first two keys swapped
  const auto keys = metric_keys();
  swapped[keys[1]] = 1;
  swapped[keys[0]] = 1;
  for (std::size_t i = 2; i < keys.size(); ++i)
    swapped[keys[i]] = 1;
  CHECK(refusal(swapped.dump()).find(keys[1]) != std::string::npos);

  auto comma = full_metrics(1);
  comma["ruined_at"] = "1,2";  // would be two cells of the row
  CHECK(refusal(comma.dump()).find("ruined_at") != std::string::npos);
  auto line = full_metrics(1);
  line["ruined_at"] = "1\n2";  // would be two rows
  CHECK(refusal(line.dump()).find("ruined_at") != std::string::npos);
  auto list = full_metrics(1);
  list["sharpe"] = {1, 2};
  CHECK(refusal(list.dump()).find("sharpe") != std::string::npos);

  CHECK(refusal("{\"final_equity\": 1") != "accepted");  // not JSON
  CHECK(refusal("[1, 2]") != "accepted");
  CHECK(refusal("") != "accepted");
}

TEST_CASE("summary: a trade count that is not a count reads as none", "[optimize]") {
  const metric_columns columns = columns_for("sharpe");
  std::vector<std::string> cells(metric_keys().size());
  for (const char* text : {"-1", "1e300", "nan", "inf", "18446744073709551616"}) {
    cells[columns.trades] = text;
    CHECK(summarize(cells, columns).trades == 0);
  }
  cells[columns.trades] = "12";
  CHECK(summarize(cells, columns).trades == 12);
}
