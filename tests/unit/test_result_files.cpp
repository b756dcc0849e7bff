// Result files: a write that fails is an io_error naming the file and the OS error,
// and leaves neither the file nor its temporary behind.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "temp_dir.hpp"

#include "runtime/core/error.hpp"
#include "runtime/results/files.hpp"

using namespace admf;
using admf::testing::temp_dir;

namespace fs = std::filesystem;

namespace {

/// Files of this process may grow to `bytes` only while it lives; a write beyond
/// fails with EFBIG instead of killing the process with SIGXFSZ.
class file_size_limit {
public:
  explicit file_size_limit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~file_size_limit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_);
  }
  file_size_limit(const file_size_limit&) = delete;
  file_size_limit& operator=(const file_size_limit&) = delete;

private:
  rlimit saved_{};
  void (*previous_)(int) = nullptr;
};

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

TEST_CASE("result files: written whole, under their name only when complete", "[files]") {
  temp_dir dir;
  const fs::path path = dir.path() / "a.csv";
  streamed_file f{path};
  f.write("x,y\n");
  CHECK(fs::exists(path.string() + ".partial"));
  CHECK_FALSE(fs::exists(path));
  f.write("1,2\n");
  f.commit();
  CHECK(read(path) == "x,y\n1,2\n");
  CHECK_FALSE(fs::exists(path.string() + ".partial"));
}

TEST_CASE("result files: a file too large is an io_error, nothing is left", "[files][errors]") {
  temp_dir dir;
  const fs::path path = dir.path() / "big.csv";
  const std::string content(200000, 'x');  // beyond the 64 KiB buffer: fails in write()
  {
    file_size_limit limit{4096};
    CHECK_THROWS_MATCHES(write_file_atomically(path, content), io_error,
                         Catch::Message(path.string() + ": write failed: File too large"));
    // A small file's bytes leave the buffer only on commit.
    CHECK_THROWS_MATCHES(write_file_atomically(path, std::string(5000, 'x')), io_error,
                         Catch::Message(path.string() + ": write failed: File too large"));
  }
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("result files: a full disk is an io_error, the previous file stays", "[files][errors]") {
  temp_dir dir;
  const fs::path path = dir.path() / "run.json";
  write_file_atomically(path, "old\n");
  // The temporary name leads to /dev/full: every write there fails with ENOSPC.
  fs::create_symlink("/dev/full", path.string() + ".partial");
  CHECK_THROWS_MATCHES(write_file_atomically(path, "new\n"), io_error,
                       Catch::Message(path.string() + ": write failed: No space left on device"));
  CHECK(read(path) == "old\n");
  CHECK_FALSE(fs::exists(fs::symlink_status(path.string() + ".partial")));
}

TEST_CASE("result files: a missing directory is an io_error", "[files][errors]") {
  temp_dir dir;
  const fs::path path = dir.path() / "gone" / "equity.csv";
  CHECK_THROWS_MATCHES(streamed_file{path}, io_error,
                       Catch::Message(path.string() + ": cannot create: No such file or directory"));
}

TEST_CASE("result files: rows formatted into the buffer go out in blocks", "[files]") {
  temp_dir dir;
  const fs::path path = dir.path() / "equity.csv";
  const fs::path partial = path.string() + ".partial";
  streamed_file f{path};
  const std::string row = "2000-01-03 14:30:00,100000,0,0,0\n";  // 33 bytes
  std::string expected;
  // Under a block: nothing written yet.
  std::size_t rows = 0;
  while (f.buffer().size() + row.size() < streamed_file::block_size) {
    f.buffer() += row;
    f.appended();
    expected += row;
    ++rows;
  }
  CHECK(fs::file_size(partial) == 0);
  // The row that reaches the block size sends the whole buffer, that row included.
  f.buffer() += row;
  f.appended();
  expected += row;
  CHECK(fs::file_size(partial) == (rows + 1) * row.size());
  CHECK(f.buffer().empty());
  // A text of exactly a block goes out at once; write() appends like buffer().
  const std::string block(streamed_file::block_size, 'x');
  f.write(block);
  expected += block;
  CHECK(fs::file_size(partial) == expected.size());
  f.write("tail\n");
  expected += "tail\n";
  CHECK(fs::file_size(partial) == expected.size() - 5);
  f.commit();
  CHECK(read(path) == expected);
  CHECK_FALSE(fs::exists(partial));
}

TEST_CASE("result files: a block that cannot be written is an io_error at once", "[files][errors]") {
  temp_dir dir;
  const fs::path path = dir.path() / "equity.csv";
  fs::create_symlink("/dev/full", path.string() + ".partial");
  streamed_file f{path};
  f.buffer() += "small\n";
  f.appended();  // under a block: kept
  f.buffer().append(streamed_file::block_size, 'x');
  CHECK_THROWS_MATCHES(f.appended(), io_error,
                       Catch::Message(path.string() + ": write failed: No space left on device"));
  CHECK(f.buffer().empty());
  CHECK_FALSE(fs::exists(fs::symlink_status(path.string() + ".partial")));
  f.commit();  // the file is gone: nothing more to do, no second error
  CHECK_FALSE(fs::exists(path));
}

TEST_CASE("result files: a discarded file leaves nothing, its buffer unwritten", "[files]") {
  temp_dir dir;
  const fs::path path = dir.path() / "trades.csv";
  {
    streamed_file f{path};
    f.buffer() += "1,sma_1,SPX,long\n";
    f.appended();
    f.discard();
  }
  CHECK(fs::is_empty(dir.path()));
}
