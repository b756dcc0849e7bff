// Bar files: POSIX I/O on both sides, because writing needs a unique temporary name
// (mkstemp) and reading a memory map; the layout is documented in the header.
#include "runtime/data/bar_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <limits>
#include <type_traits>

#include "runtime/core/error.hpp"
#include "runtime/data/mapped_file.hpp"

namespace admf {
namespace {

constexpr char magic[8] = {'A', 'D', 'M', 'F', 'B', 'A', 'R', 'S'};
constexpr std::uint32_t byte_order_mark = 0x01020304;
constexpr std::uint64_t alignment = 64;
constexpr int column_count = 8;
/// Bytes per bar over all columns: time, symbol, six doubles.
constexpr std::uint64_t bytes_per_bar = 8 + 4 + 6 * 8;

struct file_header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t byte_order;
  std::uint64_t bar_count;
  std::uint64_t file_size;
  std::uint64_t meta_offset;
  std::uint64_t meta_size;
  std::uint64_t columns[column_count];
  bar_file_key key;
};
static_assert(sizeof(file_header) == 128 && std::is_trivially_copyable_v<file_header>);

constexpr std::uint64_t column_width[column_count] = {8, 4, 8, 8, 8, 8, 8, 8};

std::uint64_t aligned(std::uint64_t offset) {
  return (offset + alignment - 1) / alignment * alignment;
}

// ------------------------------------------------------------------ writing

void put_u32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<char*>(&v), 4); }
void put_u64(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<char*>(&v), 8); }
void put_string(std::string& out, const std::string& s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out += s;
}

std::string encode_metadata(const bar_file_contents& c) {
  std::string out;
  put_string(out, c.source);
  put_string(out, c.timezone);
  put_u32(out, static_cast<std::uint32_t>(c.bars.symbols.size()));
  for (const auto& name : c.bars.symbols)
    put_string(out, name);
  put_u32(out, static_cast<std::uint32_t>(c.bars.bad_bars.size()));
  for (const auto& r : c.bars.bad_bars) {
    put_string(out, r.path);
    put_u32(out, static_cast<std::uint32_t>(r.action));
    put_u64(out, r.count);
    put_string(out, r.first);
  }
  put_u32(out, static_cast<std::uint32_t>(c.bars.missing_rows.size()));
  for (const auto& r : c.bars.missing_rows) {
    put_string(out, r.path);
    put_u64(out, r.count);
    put_string(out, r.first);
  }
  return out;
}

/// A file written under a unique name beside `path` and renamed to it on commit();
/// every failure throws io_error "PATH: what failed: OS error" and removes the
/// temporary file.
class atomic_writer {
public:
  explicit atomic_writer(std::string path) : path_(std::move(path)), temp_(path_ + ".XXXXXX") {
    fd_ = ::mkstemp(temp_.data());
    if (fd_ < 0)
      fail("cannot create a temporary file", errno);
    // mkstemp makes the file private (0600); a bar file is data like the CSV it holds.
    if (::fchmod(fd_, 0644) != 0)
      fail("cannot set permissions", errno);
  }
  ~atomic_writer() { discard(); }
  atomic_writer(const atomic_writer&) = delete;
  atomic_writer& operator=(const atomic_writer&) = delete;

  void write(const void* data, std::size_t size) {
    auto* p = static_cast<const char*>(data);
    while (size > 0) {
      const ssize_t n = ::write(fd_, p, size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        fail("write failed", n < 0 ? errno : EIO);
      p += n;
      size -= static_cast<std::size_t>(n);
      written_ += static_cast<std::uint64_t>(n);
    }
  }

  /// Zero bytes up to `offset`.
  void pad_to(std::uint64_t offset) {
    static const char zeros[alignment] = {};
    write(zeros, offset - written_);
  }

  std::uint64_t written() const { return written_; }

  void commit() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0)
      fail("close failed", errno);
    if (::rename(temp_.c_str(), path_.c_str()) != 0)
      fail("rename into place failed", errno);
    temp_.clear();
  }

private:
  [[noreturn]] void fail(const char* what, int error) {
    discard();
    throw io_error(path_ + ": " + what + ": " + std::strerror(error));
  }

  void discard() {
    if (fd_ >= 0)
      ::close(fd_);  // its error does not matter: the file goes
    fd_ = -1;
    if (!temp_.empty() && temp_.back() != 'X')
      ::unlink(temp_.c_str());
    temp_.clear();
  }

  std::string path_, temp_;
  int fd_ = -1;
  std::uint64_t written_ = 0;
};

/// Writes one column, gathered from the bars a block at a time.
template <class T, class Field>
void write_column(atomic_writer& out, const std::vector<timed_bar>& bars, Field field) {
  constexpr std::size_t block = 8192;
  T buffer[block];
  for (std::size_t start = 0; start < bars.size(); start += block) {
    const std::size_t n = std::min(block, bars.size() - start);
    for (std::size_t i = 0; i < n; ++i)
      buffer[i] = field(bars[start + i]);
    out.write(buffer, n * sizeof(T));
  }
}

// ------------------------------------------------------------------ reading

/// Reads the metadata block, refusing to step outside it.
class metadata_reader {
public:
  metadata_reader(const mapped_file& file, std::uint64_t offset, std::uint64_t size)
    : file_(file), pos_(file.data() + offset), end_(pos_ + size) {}

  std::uint32_t u32() { return take<std::uint32_t>(); }
  /// A count of items of at least `min_bytes` each, checked to fit before anything is
  /// allocated for them.
  std::uint32_t count(std::uint64_t min_bytes) {
    const std::uint32_t n = u32();
    need(n * min_bytes);
    return n;
  }
  std::uint64_t u64() { return take<std::uint64_t>(); }
  std::string string() {
    const std::uint32_t n = u32();
    need(n);
    std::string s(pos_, n);
    pos_ += n;
    return s;
  }

private:
  template <class T>
  T take() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  void need(std::uint64_t n) const {
    if (n > static_cast<std::uint64_t>(end_ - pos_))
      file_.fail("damaged bar file: its metadata runs past its end");
  }

  const mapped_file& file_;
  const char* pos_;
  const char* end_;
};

file_header read_header(const mapped_file& file) {
  file_header h;
  if (file.size() < sizeof h) {
    if (file.size() >= sizeof magic && std::memcmp(file.data(), magic, sizeof magic) == 0)
      file.fail("truncated bar file: " + std::to_string(file.size()) + " bytes, less than its "
                + std::to_string(sizeof h) + "-byte header");
    file.fail("not an admf bar file (no ADMFBARS header)");
  }
  std::memcpy(&h, file.data(), sizeof h);
  if (std::memcmp(h.magic, magic, sizeof magic) != 0)
    file.fail("not an admf bar file (no ADMFBARS header)");
  if (h.byte_order != byte_order_mark)
    file.fail("bar file written on a machine of another byte order: import the CSV again here");
  if (h.version != bar_file_version)
    file.fail("bar file format version " + std::to_string(h.version) + ", this admf reads version "
              + std::to_string(bar_file_version) + ": import the CSV again");
  if (h.file_size != file.size())
    file.fail("truncated or damaged bar file: its header says " + std::to_string(h.file_size)
              + " bytes, the file has " + std::to_string(file.size()));
  const auto damaged = [&](const std::string& what) { file.fail("damaged bar file: " + what); };
  if (h.bar_count > h.file_size / bytes_per_bar)
    damaged(std::to_string(h.bar_count) + " bars cannot fit in " + std::to_string(h.file_size)
            + " bytes");
  if (h.meta_offset < sizeof h || h.meta_offset > h.file_size
      || h.meta_size > h.file_size - h.meta_offset)
    damaged("its metadata lies outside the file");
  std::uint64_t end = h.meta_offset + h.meta_size;
  for (int c = 0; c < column_count; ++c) {
    const std::uint64_t bytes = h.bar_count * column_width[c];
    if (h.columns[c] % alignment != 0 || h.columns[c] < end || h.columns[c] > h.file_size
        || bytes > h.file_size - h.columns[c])
      damaged("column " + std::to_string(c + 1) + " lies outside the file or overlaps another");
    end = h.columns[c] + bytes;
  }
  return h;
}

/// "open 1.5, high 2.25, ...": a bar's values for the message that refuses it.
/// Numbers in their shortest exact digits ("nan" and "inf" as they are).
std::string values_of(const bar_data& b) {
  std::string out;
  const auto put = [&](const char* name, double v) {
    char digits[32];
    out += (out.empty() ? "" : ", ") + std::string(name) + " ";
    out.append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr);
  };
  put("open", b.open);
  put("high", b.high);
  put("low", b.low);
  put("close", b.close);
  put("volume", b.volume);
  put("dividend", b.dividend);
  return out;
}

template <class T>
const T* column(const mapped_file& file, const file_header& h, int c) {
  return reinterpret_cast<const T*>(file.data() + h.columns[c]);
}

/// Bars gathered from the columns into the layout the runtime consumes, each checked as
/// the CSV loader checks a bar (finite positive prices, low <= open, close <= high,
/// finite volume and dividend >= 0) in the same pass. The columns are read a block of
/// rows at a time and each block's pages are released once gathered, so the mapped file
/// shrinks as the bars grow and the peak is the bars, not bars + file. The vector's
/// memory is fresh from the kernel; faulting it in 2 MB pages instead of 4 kB ones is
/// most of what makes this fast (the copy itself runs at memory bandwidth).
std::vector<timed_bar> gather_bars(const mapped_file& file, const file_header& h,
                                   std::size_t symbol_count) {
  const std::size_t n = h.bar_count;
  const auto* time = column<std::int64_t>(file, h, 0);
  const auto* symbol = column<std::uint32_t>(file, h, 1);
  const auto* open = column<double>(file, h, 2);
  const auto* high = column<double>(file, h, 3);
  const auto* low = column<double>(file, h, 4);
  const auto* close = column<double>(file, h, 5);
  const auto* volume = column<double>(file, h, 6);
  const auto* dividend = column<double>(file, h, 7);
  std::vector<timed_bar> bars;
  bars.reserve(n);
#ifdef MADV_HUGEPAGE
  if (n > 0) {
    // Only whole huge pages inside the allocation; advice is a hint, its failure harmless.
    constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
    const auto begin = (reinterpret_cast<std::uintptr_t>(bars.data()) + huge - 1) & ~(huge - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(bars.data() + n)) & ~(huge - 1);
    if (end > begin)
      ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
#endif
  // Blocks of 2^14 rows: 1 MB of bars, under 1 MB of columns held beside them.
  constexpr std::size_t block = std::size_t{1} << 14;
  for (std::size_t start = 0; start < n; start += block) {
    const std::size_t end = std::min(n, start + block);
    for (std::size_t i = start; i < end; ++i) {
      if (symbol[i] >= symbol_count)
        file.fail("damaged bar file: bar " + std::to_string(i + 1) + " has symbol index "
                  + std::to_string(symbol[i]) + ", the file names " + std::to_string(symbol_count)
                  + " symbols");
      if (i > 0
          && (time[i] < time[i - 1] || (time[i] == time[i - 1] && symbol[i] <= symbol[i - 1])))
        file.fail("damaged bar file: bar " + std::to_string(i + 1)
                  + " is out of (time, symbol) order");
      const bar_data b{symbol[i], open[i], high[i], low[i], close[i], volume[i], dividend[i]};
      // Comparisons with NaN are false, so NaN fails too; `&` keeps it one branch.
      constexpr double max = std::numeric_limits<double>::max();
      const bool sane = (b.low > 0) & (b.low <= b.open) & (b.open <= b.high) & (b.low <= b.close)
                        & (b.close <= b.high) & (b.high <= max) & (b.volume >= 0)
                        & (b.volume <= max) & (b.dividend >= 0) & (b.dividend <= max);
      if (!sane)
        file.fail("damaged bar file: bar " + std::to_string(i + 1) + " cannot be a bar ("
                  + values_of(b) + ")");
      bars.push_back({time[i], b});
    }
    for (int c = 0; c < column_count; ++c)
      file.release(h.columns[c] + start * column_width[c], (end - start) * column_width[c]);
  }
  return bars;
}

}  // namespace

bool is_bar_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  char start[sizeof magic];
  const bool yes = ::read(fd, start, sizeof start) == sizeof start
                   && std::memcmp(start, magic, sizeof magic) == 0;
  ::close(fd);
  return yes;
}

void write_bar_file(const std::string& path, const bar_file_contents& contents) {
  const auto& bars = contents.bars.bars;
  const std::string meta = encode_metadata(contents);
  file_header h{};
  std::memcpy(h.magic, magic, sizeof magic);
  h.version = bar_file_version;
  h.byte_order = byte_order_mark;
  h.bar_count = bars.size();
  h.meta_offset = sizeof h;
  h.meta_size = meta.size();
  std::uint64_t offset = h.meta_offset + h.meta_size;
  for (int c = 0; c < column_count; ++c) {
    h.columns[c] = aligned(offset);
    offset = h.columns[c] + h.bar_count * column_width[c];
  }
  h.file_size = offset;
  h.key = contents.key;

  atomic_writer out(path);
  out.write(&h, sizeof h);
  out.write(meta.data(), meta.size());
  const auto pad = [&](int c) { out.pad_to(h.columns[c]); };
  pad(0);
  write_column<std::int64_t>(out, bars, [](const timed_bar& b) { return b.time; });
  pad(1);
  write_column<std::uint32_t>(out, bars, [](const timed_bar& b) { return b.bar.symbol; });
  pad(2);
  write_column<double>(out, bars, [](const timed_bar& b) { return b.bar.open; });
  pad(3);
  write_column<double>(out, bars, [](const timed_bar& b) { return b.bar.high; });
  pad(4);
  write_column<double>(out, bars, [](const timed_bar& b) { return b.bar.low; });
  pad(5);
  write_column<double>(out, bars, [](const timed_bar& b) { return b.bar.close; });
  pad(6);
  write_column<double>(out, bars, [](const timed_bar& b) { return b.bar.volume; });
  pad(7);
  write_column<double>(out, bars, [](const timed_bar& b) { return b.bar.dividend; });
  out.commit();
}

bar_file_contents read_bar_file(const std::string& path) {
  const mapped_file file(path);
  const file_header h = read_header(file);
  bar_file_contents c;
  c.key = h.key;
  metadata_reader meta(file, h.meta_offset, h.meta_size);
  c.source = meta.string();
  c.timezone = meta.string();
  c.bars.symbols.resize(meta.count(4));
  for (auto& name : c.bars.symbols)
    name = meta.string();
  c.bars.bad_bars.resize(meta.count(4 + 4 + 8 + 4));
  for (auto& r : c.bars.bad_bars) {
    r.path = meta.string();
    const std::uint32_t action = meta.u32();
    if (action != static_cast<std::uint32_t>(bad_bar_policy::repair)
        && action != static_cast<std::uint32_t>(bad_bar_policy::skip))
      file.fail("damaged bar file: a bad-bar report has action " + std::to_string(action));
    r.action = static_cast<bad_bar_policy>(action);
    r.count = meta.u64();
    r.first = meta.string();
  }
  c.bars.missing_rows.resize(meta.count(4 + 8 + 4));
  for (auto& r : c.bars.missing_rows) {
    r.path = meta.string();
    r.count = meta.u64();
    r.first = meta.string();
  }
  c.bars.bars = gather_bars(file, h, c.bars.symbols.size());
  return c;
}

}  // namespace admf
