// Result files: written under a temporary name and renamed into place, so a reader
// never sees half a file. What goes in them: runtime/results/format.hpp.
#pragma once
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace admf {

/// Writes `content` to `path` atomically (temp file in the same directory + rename).
/// Throws io_error "PATH: what failed: OS error"; `path` is then left as it was.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

/// A file written line by line through a large buffer, as "PATH.partial", renamed
/// to PATH only on commit(). Rows are formatted straight into buffer() (no string per
/// row), which goes out in blocks of about block_size bytes. Every operation that fails
/// throws io_error "PATH: what failed: OS error" and leaves no PATH.partial behind.
class streamed_file {
public:
  explicit streamed_file(std::filesystem::path path);
  ~streamed_file();
  streamed_file(const streamed_file&) = delete;
  streamed_file& operator=(const streamed_file&) = delete;

  /// Bytes the buffer gathers before they are written out.
  static constexpr std::size_t block_size = 1 << 16;

  /// The text not yet written: append rows to it, then call appended().
  std::string& buffer() { return buffer_; }
  /// Writes the buffer out once it holds block_size bytes or more.
  void appended();

  void write(std::string_view text);  ///< appends `text` to the buffer, then appended()
  void commit();   ///< write the buffer out, close, rename into place
  void discard();  ///< close and delete


private:
  void write_buffer();  ///< writes the whole buffer out and empties it
  void remove_temp();
  /// The io_error message "PATH: what: OS error" for errno `error`.
  std::string failure(const char* what, int error) const;

  std::filesystem::path path_, temp_;
  std::FILE* file_ = nullptr;  // unbuffered: buffer_ is the buffer
  std::string buffer_;
};

} // namespace admf
