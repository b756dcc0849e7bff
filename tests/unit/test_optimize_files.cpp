// admf optimize's result files on their own: resuming a previous run's optimize.csv,
// claiming a results directory by the plan's hash, the ordered writer, and the local
// runner. Expected values are worked out by hand from the layouts below.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/core/error.hpp"
#include "apps/optimize/local_runner.hpp"
#include "runtime/results/dir_lock.hpp"
#include "apps/optimize/ordered_writer.hpp"
#include "apps/optimize/progress.hpp"
#include "apps/optimize/resume.hpp"
#include "temp_dir.hpp"

using namespace admf;
using admf::testing::temp_dir;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& file) {
  std::ifstream in{file, std::ios::binary};
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A grid of one axis "s.a" with values "5", "6", "7": row i (0-based) starts
/// "<i+1>,<5+i>,". Its metric cells are all empty but sharpe and trades.
csv_layout layout() {
  return {"job,s.a,metrics...\n", 3,
          [](std::size_t i) { return std::to_string(i + 1) + "," + std::to_string(5 + i) + ","; },
          columns_for("sharpe")};
}

/// Metric cells as optimize.csv holds them: `sharpe` and `trades` set, the rest empty.
std::string cells(const std::string& sharpe, const std::string& trades) {
  std::vector<std::string> out(metric_keys().size());
  const auto c = columns_for("sharpe");
  out[c.sharpe] = sharpe;
  out[c.trades] = trades;
  return joined_cells(out);
}

std::string row(std::size_t job, const std::string& sharpe, const std::string& trades) {
  return layout().row_prefix(job) + cells(sharpe, trades) + "\n";
}

} // namespace

TEST_CASE("resume: a run keeps the rows for jobs 1, 2, ... and drops a torn last line",
          "[optimize][resume]") {
  temp_dir dir;
  const std::string kept = layout().header + row(0, "1.5", "12") + row(1, "", "3");
  const auto file = dir.write("optimize.csv.partial", kept + "3,7,0.2");  // no newline
  std::vector<job_result> results(3);
  const kept_rows k = read_kept_rows(file, layout(), results);
  CHECK(k.rows == 2);
  CHECK(k.bytes == kept.size());
  CHECK(results[0].metric == 1.5);  // the ranked metric is sharpe
  CHECK(results[0].sharpe == 1.5);
  CHECK(results[0].trades == 12);
  CHECK_FALSE(results[1].metric);  // an empty cell is no value
  CHECK(results[1].trades == 3);
  CHECK_FALSE(results[2].metric);
}

TEST_CASE("resume: rows stop counting at the first that this plan would not write",
          "[optimize][resume]") {
  temp_dir dir;
  std::vector<job_result> results(3);
  const std::string head = layout().header + row(0, "1", "1");
  SECTION("another grid value") {
    const auto file = dir.write("f", head + "2,9," + cells("2", "2") + "\n" + row(2, "3", "3"));
    const kept_rows k = read_kept_rows(file, layout(), results);
    CHECK(k.rows == 1);
    CHECK(k.bytes == head.size());
  }
  SECTION("too few metric cells") {
    const auto file = dir.write("f", head + "2,6,1,2\n");
    CHECK(read_kept_rows(file, layout(), results).rows == 1);
  }
  SECTION("another header: nothing is kept") {
    const auto file = dir.write("f", "job,s.b,metrics...\n" + row(0, "1", "1"));
    const kept_rows k = read_kept_rows(file, layout(), results);
    CHECK(k.rows == 0);
    CHECK(k.bytes == 0);
  }
  SECTION("no file") {
    CHECK(read_kept_rows(dir.file("missing"), layout(), results).bytes == 0);
  }
}

TEST_CASE("resume: a finished optimize.csv goes back to .partial, cut to what is kept",
          "[optimize][resume]") {
  temp_dir dir;
  const std::string kept = layout().header + row(0, "1", "1");
  dir.write("optimize.csv", kept + "2,9,torn");
  std::vector<job_result> results(3);
  const kept_rows k = resume_rows(dir.path() / "optimize.csv", layout(), results);
  CHECK(k.rows == 1);
  CHECK_FALSE(fs::exists(dir.path() / "optimize.csv"));
  CHECK(read(dir.path() / "optimize.csv.partial") == kept);
}

TEST_CASE("resume: a directory keeps its results for the same hash, loses them for another",
          "[optimize][resume]") {
  temp_dir dir;
  const auto results_dir = dir.path() / "out";
  make_output_dir(results_dir);  // creates it
  claim_dir(results_dir, "aaaa");
  CHECK(read(results_dir / "optimize.hash") == "aaaa\n");
  const char* results[] = {"optimize.csv", "optimize.csv.partial", "top_1.yaml", "top_12.yaml"};
  const char* others[] = {"notes.txt", "top_x.yaml", "top_.yaml", "top_1.yml"};
  for (const char* name : results)
    std::ofstream(results_dir / name) << "x";
  for (const char* name : others)
    std::ofstream(results_dir / name) << "x";

  claim_dir(results_dir, "aaaa");
  for (const char* name : results)
    CHECK(fs::exists(results_dir / name));

  claim_dir(results_dir, "bbbb");
  for (const char* name : results)
    CHECK_FALSE(fs::exists(results_dir / name));
  for (const char* name : others)
    CHECK(fs::exists(results_dir / name));
  CHECK(read(results_dir / "optimize.hash") == "bbbb\n");

  const auto file = dir.write("plain", "x");
  CHECK_THROWS_AS(make_output_dir(file), input_error);
}

TEST_CASE("dir lock: one coordinator per output directory, none left behind by a killed one",
          "[optimize][dir_lock]") {
  temp_dir dir;
  {
    const dir_lock held(dir.path(), dir.path() / "optimize.lock", "optimize");
    // A second coordinator (here a second lock of this process: flock locks belong to
    // the open file) is refused, naming the holder's pid.
    try {
      dir_lock second(dir.path(), dir.path() / "optimize.lock", "optimize");
      FAIL("a second lock was taken");
    } catch (const input_error& e) {
      CHECK(std::string(e.what())
            == dir.path().string() + ": in use by another admf optimize (pid "
                 + std::to_string(::getpid()) + "; lock " + (dir.path() / "optimize.lock").string()
                 + ")");
    }
  }
  // Released with its holder.
  { const dir_lock again(dir.path(), dir.path() / "optimize.lock", "optimize"); }

  // A holder killed with SIGKILL leaves the file and its pid but no lock.
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const dir_lock in_child(dir.path(), dir.path() / "optimize.lock", "optimize");
    const char one = 1;
    if (::write(ready[1], &one, 1) != 1)
      ::_exit(1);
    ::pause();  // until killed
    ::_exit(0);
  }
  char byte = 0;
  REQUIRE(::read(ready[0], &byte, 1) == 1);
  ::close(ready[0]);
  ::close(ready[1]);
  CHECK_THROWS_AS(dir_lock(dir.path(), dir.path() / "optimize.lock", "optimize"), input_error);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(read(dir.path() / "optimize.lock") == std::to_string(child) + "\n");
  const dir_lock after(dir.path(), dir.path() / "optimize.lock", "optimize");
  CHECK(read(dir.path() / "optimize.lock") == std::to_string(::getpid()) + "\n");
}

TEST_CASE("ordered writer: rows arriving out of order are written in job order",
          "[optimize][ordered_writer]") {
  temp_dir dir;
  const auto csv = dir.path() / "optimize.csv";
  const auto partial = dir.path() / "optimize.csv.partial";
  ordered_writer writer{csv, "h\n", false, 0, 4};
  writer.add(2, "r3\n");
  writer.add(1, "r2\n");
  CHECK(read(partial).find('r') == std::string::npos);  // both wait for row 0
  writer.add(0, "r1\n");
  CHECK(read(partial) == "h\nr1\nr2\nr3\n");
  CHECK_FALSE(fs::exists(csv));
  writer.add(3, "r4\n");
  writer.finish();
  CHECK(read(csv) == "h\nr1\nr2\nr3\nr4\n");
  CHECK_FALSE(fs::exists(partial));
}

TEST_CASE("ordered writer: .partial is renamed only when every row is in",
          "[optimize][ordered_writer]") {
  temp_dir dir;
  const auto csv = dir.path() / "optimize.csv";
  ordered_writer writer{csv, "h\n", false, 0, 3};
  writer.add(0, "r1\n");
  writer.add(2, "r3\n");
  CHECK_THROWS_WITH(writer.finish(), Catch::Contains("1 of 3 rows written"));
  CHECK_FALSE(fs::exists(csv));
  CHECK(read(dir.path() / "optimize.csv.partial") == "h\nr1\n");
}

TEST_CASE("ordered writer: a resumed file is appended to after its kept rows",
          "[optimize][ordered_writer]") {
  temp_dir dir;
  dir.write("optimize.csv.partial", "h\nr1\nr2\n");
  const auto csv = dir.path() / "optimize.csv";
  ordered_writer writer{csv, "h\n", true, 2, 3};
  writer.add(2, "r3\n");
  writer.finish();
  CHECK(read(csv) == "h\nr1\nr2\nr3\n");
}

TEST_CASE("ordered writer: nothing left to run still completes the file",
          "[optimize][ordered_writer]") {
  temp_dir dir;
  dir.write("optimize.csv.partial", "h\nr1\n");
  ordered_writer writer{dir.path() / "optimize.csv", "h\n", true, 1, 1};
  writer.finish();
  CHECK(read(dir.path() / "optimize.csv") == "h\nr1\n");
}

TEST_CASE("local runner: one process per job, no more than the jobs", "[optimize][local]") {
  CHECK(local_threads(4, 10) == 4);
  CHECK(local_threads(4, 2) == 2);
  CHECK(local_threads(4, 0) == 1);
  CHECK(local_threads(0, 1) == 1);
}

TEST_CASE("progress: durations read in seconds, minutes or hours", "[optimize]") {
  CHECK(duration_text(0) == "0s");
  CHECK(duration_text(59.4) == "59s");
  CHECK(duration_text(59.5) == "1m00s");
  CHECK(duration_text(187) == "3m07s");
  CHECK(duration_text(7500) == "2h05m");
}
