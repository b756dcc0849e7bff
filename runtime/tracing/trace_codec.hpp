// Conversions between in-process trace records and their protobuf form (events.proto).
// Every field round-trips; decoding refuses what this build cannot represent (an
// unknown event type or enum value, a missing payload) rather than guess.
#pragma once
#include <optional>
#include <string>

#include "runtime/tracing/trace_record.hpp"

namespace admf::proto {
class TraceHeader;
class TraceRecord;
}  // namespace admf::proto

namespace admf {

/// Overwrites every field of `out`, so one message can be reused record after record.
void to_proto(const trace_record& record, proto::TraceRecord& out);
/// False when `m` holds no event, or a type or enum value out of range.
bool from_proto(const proto::TraceRecord& m, trace_record& out);

/// The end record: a TraceRecord holding only `end` (no event).
void to_proto(const trace_end& end, proto::TraceRecord& out);
/// What an end record says; nullopt when `m` holds no `end`. Call before the record
/// overload: an end record holds no event.
std::optional<trace_end> end_of(const proto::TraceRecord& m);

void to_proto(const trace_header& header, proto::TraceHeader& out);
trace_header from_proto(const proto::TraceHeader& m);

/// A TraceRecord's serialized bytes, and back (false: not a valid record).
std::string encode_record(const trace_record& record);
bool decode_record(const std::string& bytes, trace_record& out);

}  // namespace admf
