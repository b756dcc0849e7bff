#include <stdexcept>

#include "events.pb.h"
#include "runtime/tracing/record_stream.hpp"
#include "runtime/tracing/trace_codec.hpp"
#include "runtime/tracing/trace_file.hpp"

namespace admf {

struct trace_writer::impl {
  impl(const std::string& path, bool compress) : sink(path, compress) {}

  message_sink sink;
  proto::TraceRecord message;  // reused: saves allocations per record
  std::uint64_t records = 0;
  bool closed = false;
};

trace_writer::trace_writer(const std::string& path, const trace_header& header, bool compress)
  : impl_(std::make_unique<impl>(path, compress)) {
  proto::TraceHeader m;
  to_proto(header, m);
  impl_->sink.append(m);
}

trace_writer::~trace_writer() {
  // Not closed: a failure elsewhere ended the run. The records so far are flushed, but
  // without the end record, so the file reads as cut. A destructor cannot report a
  // failed flush: callers that care call close().
  if (impl_->closed)
    return;
  impl_->closed = true;
  try {
    impl_->sink.close();
  } catch (const std::exception&) {
  }
}

void trace_writer::write(const trace_record& record) {
  if (impl_->closed)
    throw std::logic_error(impl_->sink.path() + ": trace write after close");
  to_proto(record, impl_->message);
  impl_->sink.append(impl_->message);
  ++impl_->records;
}

void trace_writer::close(const std::string& interrupted_by) {
  if (impl_->closed)
    return;
  impl_->closed = true;  // set first: a close that failed is not retried by the destructor
  to_proto(trace_end{!interrupted_by.empty(), interrupted_by, impl_->records}, impl_->message);
  impl_->sink.append(impl_->message);
  impl_->sink.close();
}

std::uint64_t trace_writer::bytes_written() const { return impl_->sink.bytes_written(); }
std::uint64_t trace_writer::records_written() const { return impl_->records; }

}  // namespace admf
