#!/usr/bin/env bash
# SIGINT / SIGTERM mid-run stop admf cleanly: exit 130 / 143, one line "admf: interrupted
# by SIG... at bar N of M (TIME); ...", nothing published, no staging directory left, the
# trace files ended by an "interrupted" end record (checked by a decoder written here,
# not admf's) that `admf trace` reports. A local sweep keeps the rows written so far, and
# a rerun resumes to the table of an undisturbed sweep.
# Usage: interrupt_test.sh CASE   (run from the repo root, with $ADMF and $PYTHON set)
set -euo pipefail
case_name=${1:?usage: interrupt_test.sh CASE}
tmp=$(mktemp -d)
pid=
cleanup() {
  [[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
PYTHON=${PYTHON:-python3}

# bars_csv N FILE: N one-minute bars of one symbol from 2020-01-01, prices repeating
# every 3700 bars (built once: the file is written in about a second per million bars).
bars_csv() {
  "$PYTHON" - "$1" "$2" <<'PY'
import datetime, math, sys
n, path = int(sys.argv[1]), sys.argv[2]
period = 3700
prices = []
for i in range(period):
    c = 100 + 10 * math.sin(2 * math.pi * i / period) + 3 * math.sin(2 * math.pi * i / 37)
    prices.append(f",{c:.2f},{c + 0.5:.2f},{c - 0.5:.2f},{c:.2f},1000\n")
minutes = [f" {h:02d}:{m:02d}:00" for h in range(24) for m in range(60)]
day = datetime.date(2020, 1, 1)
with open(path, "w") as f:
    f.write("date,open,high,low,close,volume\n")
    for start in range(0, n, 1440):
        d = day.isoformat()
        f.writelines(d + minutes[j] + prices[(start + j) % period]
                     for j in range(min(1440, n - start)))
        day += datetime.timedelta(days=1)
PY
}

# start CMD...: runs CMD in the background with SIGINT and SIGTERM at their defaults
# (job control: a plain `&` in a script starts it with SIGINT ignored).
start() {
  set -m
  "$@" >"$tmp/stdout" 2>"$tmp/stderr" &
  pid=$!
  set +m
}

# wait_for WHAT CONDITION...: polls CONDITION every 20 ms for up to 30 s.
wait_for() {
  local what=$1; shift
  for _ in $(seq 1 1500); do
    "$@" && return 0
    kill -0 "$pid" 2>/dev/null || fail "admf ended before $what: $(cat "$tmp/stderr")"
    sleep 0.02
  done
  fail "timed out waiting for $what"
}

# stop SIGNAL: sends it and returns admf's exit status in $status.
stop() {
  kill -"$1" "$pid"
  status=0
  wait "$pid" || status=$?
  pid=
}

# end_record FILE: "interrupted reason records" from the end record of a plain trace
# file, after checking it is format 2 and that the end record counts the records before it.
end_record() {
  "$PYTHON" - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()

def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]; i += 1
        v |= (c & 0x7F) << shift; shift += 7
        if c < 0x80:
            return v, i

def fields(b):
    i, out = 0, {}
    while i < len(b):
        key, i = varint(b, i)
        number, kind = key >> 3, key & 7
        if kind == 0:
            v, i = varint(b, i)
        elif kind == 2:
            n, i = varint(b, i); v = b[i:i + n]; i += n
        elif kind == 1:
            v = b[i:i + 8]; i += 8
        elif kind == 5:
            v = b[i:i + 4]; i += 4
        else:
            sys.exit(f"wire type {kind}")
        out.setdefault(number, v)
    return out

messages, i = [], 0
while i < len(data):
    n, i = varint(data, i)
    if i + n > len(data):
        sys.exit("cut inside a message")
    messages.append(data[i:i + n]); i += n
header, records, last = messages[0], messages[1:-1], fields(messages[-1])
if fields(header).get(1) != 2:
    sys.exit("not format 2")
if set(last) != {8}:
    sys.exit("the last message is not an end record: fields %s" % sorted(last))
if any(1 not in fields(r) for r in records):
    sys.exit("a record without an event before the end record")
end = fields(last[8])
if end.get(3, 0) != len(records):
    sys.exit(f"the end record counts {end.get(3, 0)} records, the file has {len(records)}")
print(end.get(1, 0), end.get(2, b"").decode(), len(records))
PY
}

staged_trace() {
  local f
  f=$(ls "$out"/.staging-*/data/events.pb 2>/dev/null | head -1)
  [[ -n $f && -s $f ]]
}

case $case_name in
  run_sigint | run_sigterm)
    if [[ $case_name == run_sigint ]]; then sig=INT; code=130; else sig=TERM; code=143; fi
    bars_csv 1000000 "$tmp/bars.csv"
    cat >"$tmp/c.yaml" <<'EOF'
name: interrupted
data: {csv: bars.csv, symbol: X}
engine: {batch_size: 64, max_batches_in_flight: 2}
trace_settings:
  default: {enabled: false}
  container_settings:
    data: {enabled: true, storage_backend: disk, retention_policy: full}
portfolios:
  - id: p
    initial_capital: 100000
    strategies:
      - {id: s, type: sma_crossover, params: {fast: 10, slow: 30}}
EOF
    out=$tmp/out
    # What an earlier run published must stay as it was.
    mkdir -p "$out/p"
    echo '{"entries": ["p"]}' >"$out/run.json"
    echo earlier >"$out/p/metrics.json"
    start "$ADMF" run "$tmp/c.yaml" --out "$out"
    wait_for "the run to trace its first bars" staged_trace
    stop "$sig"
    [[ $status -eq $code ]] || fail "exit $status, expected $code; stderr: $(cat "$tmp/stderr")"
    want="^admf: interrupted by SIG$sig at bar ([0-9]+) of 1000000 \(2020-[0-9-]+ [0-9:]+\); results not published, staging removed; traces so far in $out/interrupted.traces/\$"
    line=$(cat "$tmp/stderr")
    [[ $(wc -l <"$tmp/stderr") -eq 1 && $line =~ $want ]] \
      || fail "stderr [$line], expected one line matching [$want]"
    bars=${BASH_REMATCH[1]}
    (( bars > 0 && bars < 1000000 )) || fail "stopped at bar $bars"
    [[ -z $(cat "$tmp/stdout") ]] || fail "a summary was printed: $(cat "$tmp/stdout")"
    [[ $(ls -A "$out" | tr '\n' ' ') == "interrupted.traces p run.json " ]] \
      || fail "published or left: $(ls -A "$out")"
    [[ $(cat "$out/run.json") == '{"entries": ["p"]}' && $(ls "$out/p") == metrics.json \
       && $(cat "$out/p/metrics.json") == earlier ]] || fail "the earlier results were touched"
    trace=$out/interrupted.traces/data/events.pb
    end=$(end_record "$trace") || fail "end record of $trace: $end"
    [[ $end == "1 SIG$sig $bars" ]] \
      || fail "end record [$end], expected [1 SIG$sig $bars]: interrupted, by what, every bar sent"
    "$ADMF" trace "$trace" >"$tmp/report" 2>"$tmp/warnings" || fail "admf trace exited $?"
    [[ $(cat "$tmp/warnings") == "warning: $trace: interrupted by SIG$sig after $bars records (the run was stopped early)" ]] \
      || fail "admf trace said [$(cat "$tmp/warnings")]"
    grep -qE "^ +BAR +$bars\$" "$tmp/report" || fail "report: $(head -5 "$tmp/report")"
    ;;
  optimize_sigint)
    bars_csv 200000 "$tmp/bars.csv"
    cat >"$tmp/o.yaml" <<'EOF'
name: interrupted_sweep
data: {csv: bars.csv, symbol: X}
portfolios:
  - id: p
    initial_capital: 100000
    strategies:
      - {id: s, type: sma_crossover, params: {fast: 10, slow: 30}}
optimization:
  metric: sharpe
  parameters:
    s: {fast: [5, 10], slow: [20, 30, 40, 50]}
EOF
    out=$tmp/sweep
    start "$ADMF" optimize "$tmp/o.yaml" --out "$out" --jobs 2
    rows_written() { [[ -f $out/optimize.csv.partial && $(wc -l <"$out/optimize.csv.partial") -ge 2 ]]; }
    wait_for "the first row" rows_written
    stop INT
    [[ $status -eq 130 ]] || fail "exit $status, expected 130; stderr: $(cat "$tmp/stderr")"
    errors=$(tr '\r' '\n' <"$tmp/stderr" | grep -E '^(admf|error):' || true)
    want="^admf: optimize interrupted by SIGINT: ([0-9]+) of 8 jobs done, ([0-9]+) left \(the jobs in flight were stopped\); $out/optimize.csv.partial keeps the rows, run it again to resume\$"
    [[ $errors =~ $want ]] || fail "stderr [$(cat "$tmp/stderr")], expected [$want]"
    done_jobs=${BASH_REMATCH[1]}
    (( done_jobs >= 1 && done_jobs < 8 && BASH_REMATCH[2] == 8 - done_jobs )) \
      || fail "$done_jobs done, ${BASH_REMATCH[2]} left"
    [[ ! -e $out/optimize.csv ]] || fail "optimize.csv published by an interrupted sweep"
    [[ $(wc -l <"$out/optimize.csv.partial") -eq $((done_jobs + 1)) ]] \
      || fail "optimize.csv.partial has $(wc -l <"$out/optimize.csv.partial") lines for $done_jobs rows"
    # The lock is released and the rerun resumes to an undisturbed sweep's table.
    "$ADMF" optimize "$tmp/o.yaml" --out "$out" --jobs 2 >"$tmp/stdout" 2>&1 \
      || fail "rerun exited $?: $(cat "$tmp/stdout")"
    grep -q "^resuming: $done_jobs of 8 jobs already done" "$tmp/stdout" \
      || fail "the rerun did not resume: $(cat "$tmp/stdout")"
    "$ADMF" optimize "$tmp/o.yaml" --out "$tmp/clean" --jobs 2 >/dev/null 2>&1 \
      || fail "clean sweep exited $?"
    cmp -s "$out/optimize.csv" "$tmp/clean/optimize.csv" \
      || fail "the resumed optimize.csv differs from an undisturbed sweep's"
    ;;
  *)
    fail "unknown case"
    ;;
esac
echo "PASS [$case_name]"
