// A fresh directory per test, removed afterwards (shared by the unit tests).
#pragma once
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <system_error>

namespace admf::testing {

class temp_dir {
public:
  temp_dir()
    : path_(std::filesystem::temp_directory_path()
            / ("admf_test_" + std::to_string(std::random_device{}()))) {
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  /// Writes `text` (bytes as given) to `name` in the directory; returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return file(name);
  }

private:
  std::filesystem::path path_;
};

} // namespace admf::testing
