#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz (clang, ASan + UBSan, in build-fuzz:
# the normal build is not touched) and runs each in turn:
#   1. every input under tests/fuzz/regressions/<target>/ once (each once crashed it);
#   2. fuzzing for SECONDS (default 60) from a copy of tests/fuzz/corpus/<target>/, so
#      the inputs it adds stay out of the repository.
# Any crash, sanitizer report, leak, hang (-timeout), allocation over -malloc_limit_mb
# or exception other than admf's input errors is a finding: its input is kept as
# build-fuzz/findings/<target>/crash-* (or leak-, timeout-, oom-), the log as
# build-fuzz/findings/<target>.log, and the script exits 1 after the other targets ran.
# Fix it, then add the input to tests/fuzz/regressions/<target>/.
# FUZZ_SEED=N fixes libFuzzer's seed (default: a new one each run): CI sets it, so a run
# explores the same inputs in the same order each time, and a slower machine only stops
# sooner on that path. CI then fails only on a fault it can find again with that seed.
#   scripts/fuzz.sh [SECONDS] [TARGET...]   targets: csv config trace cluster
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift $(($# > 0 ? 1 : 0))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv config trace cluster)

./scripts/install-deps.sh
# -O1 without -DNDEBUG: fast to build and to run, asserts kept.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE=-O1 -DBUILD_TESTING=OFF -DADMF_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work  # the harnesses' scratch files
export UBSAN_OPTIONS=print_stacktrace=1
findings=build-fuzz/findings
rm -rf "$findings"
mkdir -p "$findings"
# Run from the repository root: the config seeds name data/... relative to it.
options=(-rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 -print_final_stats=1)
[ -z "${FUZZ_SEED:-}" ] || options+=(-seed="$FUZZ_SEED")
passed=0 failed=0
for t in "${targets[@]}"; do
  fuzzer=build-fuzz/tests/fuzz/fuzz_$t
  log=$findings/$t.log
  regressions=(tests/fuzz/regressions/$t/*)
  status=0
  if [ -e "${regressions[0]}" ]; then
    "$fuzzer" "${options[@]}" "${regressions[@]}" >"$log" 2>&1 || status=$?
  fi
  if [ $status -eq 0 ]; then
    mkdir -p "$work/corpus/$t" "$findings/$t"
    cp tests/fuzz/corpus/$t/* "$work/corpus/$t/"
    "$fuzzer" "${options[@]}" -max_total_time="$seconds" -artifact_prefix="$findings/$t/" \
      "$work/corpus/$t" >>"$log" 2>&1 || status=$?
  fi
  if [ $status -eq 0 ]; then
    passed=$((passed + 1))
    # The last stats are the fuzzing run's (replaying regressions prints its own first).
    echo "fuzz $t: ok, $(grep 'stat::number_of_executed_units' "$log" | tail -n1 | awk '{print $2}')" \
      "runs in ${seconds}s, $(grep 'stat::average_exec_per_sec' "$log" | tail -n1 | awk '{print $2}')/s," \
      "corpus $(ls tests/fuzz/corpus/$t | wc -l) -> $(ls "$work/corpus/$t" | wc -l)"
  else
    failed=$((failed + 1))
    echo "fuzz $t: FINDING (exit $status); input in $findings/$t/, log $log:"
    grep -E -A12 '^==[0-9]+==ERROR|runtime error|broken|terminate called|deadly signal|ALARM|out-of-memory|malloc\(' "$log" | head -40 || tail -n 30 "$log"
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
