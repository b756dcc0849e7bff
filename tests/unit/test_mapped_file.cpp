#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "runtime/data/mapped_file.hpp"
#include "temp_dir.hpp"

using namespace admf;
using admf::testing::temp_dir;

namespace {

/// This process's resident pages of mapped files, in kB (RssFile in /proc/self/status).
long rss_file_kb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long kb = -1;
  while (status >> key)
    if (key == "RssFile:" && status >> kb)
      return kb;
    else
      status.ignore(1 << 20, '\n');
  return kb;
}

/// 16 MiB of bytes that differ from page to page.
std::string sixteen_mib() {
  std::string bytes(std::size_t{16} << 20, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<char>(i * 2654435761u >> 13);
  return bytes;
}

}  // namespace

TEST_CASE("mapped_file: released pages leave memory and read back as the file's bytes",
          "[mapped_file]") {
  const temp_dir dir;
  const std::string bytes = sixteen_mib();
  const std::string path = dir.write("data.bin", bytes);
  const mapped_file file(path);  // populated: all 16 MiB resident
  const long mapped = rss_file_kb();
  REQUIRE(mapped >= 0);
  // The first 12 MiB and a bit: the page holding the end stays.
  file.release(0, (std::size_t{12} << 20) + 100);
  const long released = rss_file_kb();
  CHECK(mapped - released >= 12 * 1024 - 64);
  CHECK(mapped - released <= 12 * 1024 + 64);
  CHECK(std::string(file.data(), file.size()) == bytes);
}

TEST_CASE("mapped_file: without populate, pages come in as read or populated", "[mapped_file]") {
  const temp_dir dir;
  const std::string bytes = sixteen_mib();
  const std::string path = dir.write("data.bin", bytes);
  const long before = rss_file_kb();
  const mapped_file file(path, false);
  CHECK(rss_file_kb() - before < 1024);
  file.populate(std::size_t{4} << 20, std::size_t{8} << 20);
  CHECK(rss_file_kb() - before >= 8 * 1024 - 64);
  CHECK(std::string(file.data() + (std::size_t{4} << 20), std::size_t{8} << 20)
        == bytes.substr(std::size_t{4} << 20, std::size_t{8} << 20));
}
