#!/usr/bin/env bash
# Jobs in processes of their own: in `admf optimize` a job whose plugin segfaults, loops
# past job_timeout or allocates past job_memory is one failed row (no metrics) named on
# stdout, and the other rows are whole; an `admf worker` whose job crashes lives on and
# serves the next sweep.
# Usage: job_isolation_test.sh CASE   (repo root; $ADMF and $TEST_PLUGINS set)
set -euo pipefail
case_name=${1:?usage: job_isolation_test.sh CASE}
tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
# shellcheck source=cluster_helpers.sh
source "$(dirname "$0")/cluster_helpers.sh"

# config PLUGIN [LIMIT_LINE]: job 2 (at: 100) dies at bar 100; jobs 1 and 3 never reach
# their bar (the data has 5,000 or so), so they are the same buy-and-hold.
config() {
  cat > "$tmp/c.yaml" <<EOF2
name: it_isolation
data: {csv: data/sp500_2000_daily_ohlcv.csv, symbol: SPX}
plugin_path: [$TEST_PLUGINS]
portfolios:
  - id: p
    initial_capital: 100000
    strategies:
      - {id: boom, plugin: $1, params: {at: 1000000}}
optimization:
  metric: total_return
  parameters: {boom: {at: [1000000, 100, 2000000]}}
${2:-}
EOF2
}

# sweep_with_failed_job2 WHY: the sweep exits 0, rows 1 and 3 have the same non-empty
# metrics, row 2 only its job and value, and stdout names job 2 and WHY.
sweep_with_failed_job2() {
  set +e
  timeout 120 "$ADMF" optimize "$tmp/c.yaml" --out "$tmp/o" --jobs 2 >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
  set -e
  [[ $rc -eq 0 ]] || fail "exit $rc: $(cat "$tmp/stderr")"
  [[ $(wc -l < "$tmp/o/optimize.csv") -eq 4 ]] || fail "expected 3 rows: $(cat "$tmp/o/optimize.csv")"
  row1=$(sed -n 2p "$tmp/o/optimize.csv" | cut -d, -f3-)
  row2=$(sed -n 3p "$tmp/o/optimize.csv")
  row3=$(sed -n 4p "$tmp/o/optimize.csv" | cut -d, -f3-)
  [[ -n ${row1//,/} && $row1 == "$row3" ]] || fail "rows 1 and 3 differ or are empty: '$row1' '$row3'"
  [[ $row2 =~ ^2,100,+$ ]] || fail "row 2 has metrics: '$row2'"
  grep -qxF "failed: 1 job (crashed or over a limit), not ranked:" "$tmp/stdout" \
    || fail "no failed line: $(cat "$tmp/stdout")"
  grep -qxF "  job 2: $1" "$tmp/stdout" || fail "stdout does not say '  job 2: $1': $(cat "$tmp/stdout")"
  grep -qxF "admf: job 2: $1" "$tmp/stderr" || fail "stderr does not say 'admf: job 2: $1'"
}

case $case_name in
  sweep_crash)
    config segfaults_at_bar
    bar=$(sed -n 101p data/sp500_2000_daily_ohlcv.csv | cut -d, -f1)  # bar 100
    sweep_with_failed_job2 "plugin 'segfaults_at_bar' (segfaults_at_bar.so) crashed with SIGSEGV in container p/boom at bar $bar (SPX)"
    ;;
  sweep_timeout)
    config loops_forever "  job_timeout: 1s"
    start=$(date +%s)
    sweep_with_failed_job2 "exceeded job_timeout 1 s"
    (( $(date +%s) - start < 60 )) || fail "the looping job was not stopped in time"
    ;;
  sweep_memory)
    config allocates_forever "  job_memory: 256MiB"
    sweep_with_failed_job2 "exceeded job_memory 256 MiB"
    ;;
  worker_survives_crash)
    config segfaults_at_bar
    start_worker w --plugin-path "$TEST_PLUGINS"
    worker=$w_pid
    set +e
    timeout 120 "$ADMF" optimize "$tmp/c.yaml" --out "$tmp/o" --workers "127.0.0.1:$port" \
      >"$tmp/stdout" 2>"$tmp/stderr"
    set -e
    grep -q "job 2: plugin 'segfaults_at_bar' (segfaults_at_bar.so) crashed with SIGSEGV in container p/boom" \
      "$tmp/stdout" "$tmp/stderr" || fail "the crash was not reported: $(cat "$tmp/stderr")"
    kill -0 "$worker" 2>/dev/null || fail "the worker died with its job"
    # The same worker runs a sweep without the crashing value to the end.
    sed -i 's/at: \[1000000, 100, 2000000\]/at: [1000000, 2000000]/' "$tmp/c.yaml"
    timeout 120 "$ADMF" optimize "$tmp/c.yaml" --out "$tmp/o2" --workers "127.0.0.1:$port" \
      >"$tmp/stdout2" 2>"$tmp/stderr2" || fail "the next sweep failed: $(cat "$tmp/stderr2")"
    [[ $(wc -l < "$tmp/o2/optimize.csv") -eq 3 ]] || fail "the next sweep's rows"
    ;;
  *) fail "unknown case" ;;
esac
