#!/usr/bin/env bash
# The sanitizer jobs of CI (.ci/run runs them after scripts/test.sh), each in a build
# directory of its own, built from cold (no ccache: CI clones fresh, so a cache would
# start empty every time and only cost its bookkeeping):
#   address  ASan + UBSan (+ LSan) build, the whole ctest suite; any finding fails.
#   thread   TSan build, the actor tests, the determinism test and the unit tests of
#            admf's own threads (see thread() for which and why not all).
# Usage: scripts/sanitize.sh [address] [thread]    (no argument: both, in that order)
# Both use gcc, the compiler of the normal build: its ASan/UBSan/TSan runtimes come with
# build-essential, and a sanitizer build then differs from the tested one only in flags.
# -O1 -g1: quicker to build than -O2 -g (the sanitizers cost more than -O1 saves),
# and line tables are all the stack traces need.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
./scripts/install-deps.sh

jobs=$(nproc)
configure() { # configure BUILD_DIR SANITIZER
  cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" \
    -DBUILD_TESTING=ON -DADMF_SANITIZE="$2" >/dev/null
}
# Prints how long a job took (CI's log is where the added time is read).
timed() {
  local start=$SECONDS
  "$@"
  echo "sanitize: $1 took $((SECONDS - start)) s"
}

# halt_on_error everywhere: a finding stops the process with a report on stderr and a
# non-zero exit, so the test that ran it fails. Leak checking is on (LSan is ASan's
# default on Linux): a leak in admf's code fails the test like any other finding.
# Paths are absolute: the tests run admf from other directories.
# allocator_may_return_null: an allocation past a limit fails as it does without ASan
# (std::bad_alloc), which job_memory's test relies on, instead of ASan aborting.
export ASAN_OPTIONS=halt_on_error=1:allocator_may_return_null=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:print_summary=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/sanitizers/ubsan.supp
export LSAN_OPTIONS=suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/sanitizers/tsan.supp:print_suppressions=0

address() {
  configure build-asan address
  cmake --build build-asan -j"$jobs"
  # Left out, each because ASan itself changes what the test measures; the Release
  # suite (scripts/test.sh) runs all three:
  # - admf_data_load_memory: peak RSS against the bars' size; ASan's shadow memory,
  #   redzones and quarantine inflate every peak by design.
  # - job_memory (job_isolation_sweep_memory, the job pool's job_memory case): the
  #   limit is RLIMIT_DATA, which also caps ASan's own allocator, and ASan dies of
  #   "internal allocator is out of memory" instead of the job failing its allocation.
  # - admf_example_custom_strategy_sdk: builds a program out of tree against the
  #   installed static libraries, which then need ASan's runtime the program does
  #   not link.
  (cd build-asan && ctest --output-on-failure -j"$jobs" --timeout 900 \
    -E '^(admf_data_load_memory|job_isolation_sweep_memory|job pool: a job that takes more than job_memory is stopped|admf_example_custom_strategy_sdk)$')
}

thread() {
  configure build-tsan thread
  # Only what the suites run: the determinism test runs sma_crossover and buy_and_hold.
  cmake --build build-tsan -j"$jobs" --target admf admf_unit_tests admf_actor_tests \
    sma_crossover buy_and_hold
  (cd build-tsan && ctest --output-on-failure -j"$jobs" --timeout 900 -L '^(actors|determinism)$')
  # The unit tests of admf's own threads: optimize's runners and optimize.csv's writer,
  # the cluster's job slots, the record stream and trace files, the bar cache's
  # concurrent writers. Not the unit tests that run whole backtests: with Debian's CAF
  # uninstrumented, every message an actor receives is a race TSan must rule on before
  # tsan.supp drops it, and that costs minutes per test ("timing: trading hours ..."
  # took over 11 minutes, 10 s with race reporting off). The determinism test runs
  # backtests under TSan instead, at every thread count.
  (cd "$root" && build-tsan/tests/admf_unit_tests \
    "[optimize],[cluster],[record_stream],[trace_file],bar_cache: concurrent writers of one entry leave a whole file\, never a torn one")
}

jobs_to_run=("$@")
[ ${#jobs_to_run[@]} -gt 0 ] || jobs_to_run=(address thread)
for job in "${jobs_to_run[@]}"; do
  case $job in
    address|thread) timed "$job" ;;
    *) echo "sanitize: unknown job '$job' (address or thread)" >&2; exit 2 ;;
  esac
done
