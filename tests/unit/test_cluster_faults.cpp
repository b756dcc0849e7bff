// The coordinator's retry rule (job_ledger) and the BASP payload cap's framing
// (basp_framing), without a network.
#include <catch2/catch.hpp>

#include <string>

#include "apps/cluster/basp_guard.hpp"
#include "apps/cluster/job_ledger.hpp"

using namespace admf;

TEST_CASE("job ledger: jobs in order, a failed job to another worker, given up after two",
          "[cluster]") {
  job_ledger ledger{3};
  const std::set<std::string> live{"a", "b", "c"};
  CHECK(ledger.take("a", live) == 0u);
  CHECK(ledger.take("b", live) == 1u);
  // Job 0 crashed worker a: back in front, but not for a while b and c have not tried it.
  CHECK_FALSE(ledger.fail(0, "a", "crashed (signal 11, SIGSEGV)", 11));
  CHECK(ledger.take("a", live) == 2u);
  CHECK(ledger.take("a", live) == std::nullopt);
  CHECK(ledger.take("c", live) == 0u);
  // Failed on a second worker: given up, never queued again.
  CHECK(ledger.fail(0, "c", "went down during the job", 0));
  CHECK(ledger.failure(0)
        == "failed on 2 workers: a: crashed (signal 11, SIGSEGV); c: went down during the job");
  CHECK(ledger.signal(0) == 11);
  CHECK(ledger.take("b", live) == std::nullopt);
  CHECK(ledger.failure(1).empty());
  CHECK(ledger.signal(1) == 0);
}

TEST_CASE("job ledger: with no other worker alive, a job goes back where it failed",
          "[cluster]") {
  job_ledger ledger{1};
  CHECK(ledger.take("a", {"a"}) == 0u);
  CHECK_FALSE(ledger.fail(0, "a", "ran over job_timeout (1 s)", 0));
  CHECK(ledger.take("a", {"a", "b"}) == std::nullopt);  // b has not tried it: b gets it
  CHECK(ledger.take("a", {"a"}) == 0u);                 // b is gone: a tries again
  ledger.requeue(0);
  CHECK(ledger.take("b", {"a", "b"}) == 0u);
}

namespace {

/// A BASP header as CAF 0.17 writes it: operation, 2 padding bytes, flags, then the
/// payload length big-endian, then operation data and two actor ids (24 bytes).
std::string header(std::uint32_t payload) {
  std::string h(32, '\0');
  h[0] = 1;
  h[4] = static_cast<char>(payload >> 24);
  h[5] = static_cast<char>(payload >> 16);
  h[6] = static_cast<char>(payload >> 8);
  h[7] = static_cast<char>(payload);
  return h;
}

} // namespace

TEST_CASE("BASP framing: payloads up to the cap pass, a header over it is caught", "[cluster]") {
  const std::string stream =
    header(5) + "hello" + header(0) + header(1000) + std::string(1000, 'x') + header(1001);
  // Fed whole, then byte by byte (headers and payloads split anywhere).
  basp_framing whole{1000};
  CHECK_FALSE(whole.feed(stream.data(), stream.size()));
  CHECK(whole.announced() == 1001);
  basp_framing bytes{1000};
  std::size_t fed = 0;
  while (fed < stream.size() && bytes.feed(stream.data() + fed, 1))
    ++fed;
  CHECK(fed == stream.size() - 1);  // caught at the last byte of the last header
  CHECK(bytes.announced() == 1001);
  basp_framing four_gb{4u << 20};
  const std::string hostile = header(0xfffffff0u);
  CHECK_FALSE(four_gb.feed(hostile.data(), hostile.size()));
  CHECK(four_gb.announced() == 0xfffffff0u);
  basp_framing fine{1000};
  const std::string ok = header(5) + "hello" + header(3);
  CHECK(fine.feed(ok.data(), ok.size()));
}
