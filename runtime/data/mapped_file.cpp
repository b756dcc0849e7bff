#include "runtime/data/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime/core/error.hpp"

namespace admf {
namespace {

std::uint64_t page_size() {
  static const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  return page;
}

}  // namespace

mapped_file::mapped_file(const std::string& path, bool populate) : path_(path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    fail(std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    fail("not a regular file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  if (size_ == 0) {  // mmap refuses a length of 0
    ::close(fd);
    return;
  }
  void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), fd, 0);
  const int error = errno;
  ::close(fd);
  if (p == MAP_FAILED)
    fail(std::string("cannot map into memory: ") + std::strerror(error));
  data_ = static_cast<const char*>(p);
}

mapped_file::~mapped_file() {
  if (data_)
    ::munmap(const_cast<char*>(data_), size_);
}

void mapped_file::populate(std::uint64_t offset, std::uint64_t size) const {
#ifdef MADV_POPULATE_READ
  const std::uint64_t begin = offset / page_size() * page_size();
  const std::uint64_t end = std::min(offset + size, size_);
  if (end > begin)
    ::madvise(const_cast<char*>(data_) + begin, end - begin, MADV_POPULATE_READ);
#else
  (void)offset, (void)size;  // pages are then faulted in as they are read
#endif
}

void mapped_file::release(std::uint64_t offset, std::uint64_t size) const {
  const std::uint64_t page = page_size();
  const std::uint64_t begin = offset / page * page;
  const std::uint64_t end = std::min(offset + size, size_) / page * page;
  // The mapping is read-only, so its pages are the file's: dropping them loses nothing.
  if (end > begin)
    ::madvise(const_cast<char*>(data_) + begin, end - begin, MADV_DONTNEED);
}

void mapped_file::fail(const std::string& what) const { throw input_error(path_ + ": " + what); }

}  // namespace admf
