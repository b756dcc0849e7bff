#!/usr/bin/env bash
# Tracing through the real CLI: attaching tracers changes no result, trace files can
# be read back and analysed by `admf trace`, and bad trace settings are refused.
# Usage: tracing_test.sh CASE   (run from the repo root, with $ADMF and $PYTHON set)
set -euo pipefail
case_name=${1:?usage: tracing_test.sh CASE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }

results() {  # the result files of a run, with their hashes
  (cd "$1" && find . \( -name metrics.json -o -name trades.csv -o -name equity.csv \) \
     | LC_ALL=C sort | xargs sha256sum)
}

# A config with trace settings appended, so errors have known line numbers (7..).
traced_config() {
  cat > "$tmp/c.yaml" <<EOF2
name: it_tracing
data: {csv: data/sp500_2000_daily_ohlcv.csv, symbol: SPX}
portfolios:
  - id: portfolio_sma
    initial_capital: 100000
    strategies: [{id: sma_1, type: sma_crossover, params: {fast: 10, slow: 30}}]
trace_settings:
EOF2
  cat >> "$tmp/c.yaml"
}

expect_error() {  # expect_error PATTERN: run and validate fail with one line matching it
  for cmd in run validate; do
    set +e
    if [[ $cmd == validate ]]; then "$ADMF" validate "$tmp/c.yaml" >"$tmp/stdout" 2>"$tmp/stderr"
    else "$ADMF" run "$tmp/c.yaml" --out "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"; fi
    rc=$?
    set -e
    [[ $rc -eq 2 ]] || fail "$cmd: exit $rc, expected 2 ($(cat "$tmp/stderr"))"
    [[ $(wc -l < "$tmp/stderr") -eq 1 ]] || fail "$cmd: stderr is not one line: $(cat "$tmp/stderr")"
    grep -qE "$1" "$tmp/stderr" || fail "$cmd: '$(cat "$tmp/stderr")' does not match '$1'"
  done
  [[ ! -e $tmp/out/portfolio_sma/metrics.json ]] || fail "results were written"
}

case $case_name in
  levels_change_nothing)
    "$ADMF" run configs/default.yaml --out "$tmp/plain" >/dev/null
    results "$tmp/plain" > "$tmp/plain.sums"
    [[ $(wc -l < "$tmp/plain.sums") -eq 6 ]] || fail "expected 6 result files"
    for level in none minimal metrics normal debug; do
      "$ADMF" run configs/default.yaml --trace $level --out "$tmp/$level" >/dev/null
      results "$tmp/$level" > "$tmp/$level.sums"
      cmp -s "$tmp/plain.sums" "$tmp/$level.sums" || fail "--trace $level changed the results"
    done
    [[ -z $(find "$tmp/none" -name 'trace_stats.json') ]] || fail "--trace none traced"
    [[ -n $(find "$tmp/minimal" -name 'trace_stats.json') ]] || fail "--trace minimal: no stats"
    [[ -z $(find "$tmp/minimal" -name 'events.pb*') ]] || fail "minimal (memory) wrote a trace"
    ;;
  trace_command)
    "$ADMF" run configs/default.yaml --trace debug --out "$tmp/run" >/dev/null
    files=$(find "$tmp/run" -name events.pb | LC_ALL=C sort)
    [[ $(wc -w <<<"$files") -ge 9 ]] || fail "expected a trace per container, got: $files"
    "$ADMF" trace $files > "$tmp/report"
    grep -qE '^ +BAR +5105$' "$tmp/report" || fail "BAR count is not 5105: $(head -12 "$tmp/report")"
    # 87 closed trades plus the open one, in two portfolios' worth of chains.
    grep -qE 'causal chains: [0-9]+; complete [0-9]+' "$tmp/report" || fail "no chain summary"
    grep -q 'incomplete 0' "$tmp/report" || fail "incomplete chains: $(grep 'causal' "$tmp/report")"
    grep -q 'p99' "$tmp/report" || fail "no latency percentiles"
    # One trade, by the correlation id of its POSITION_OPEN, in causal order.
    trade=$("$ADMF" trace $files --correlation 0x30000000001 | head -3)
    [[ $(grep -c . <<<"$trade") -eq 3 ]] || fail "correlation listing: $trade"
    grep -q 'ORDER' <<<"$(sed -n 1p <<<"$trade")" || fail "trade does not start with its ORDER: $trade"
    grep -q 'FILL' <<<"$trade" || fail "trade has no FILL: $trade"
    "$ADMF" trace $files --chrome "$tmp/chrome.json" >/dev/null
    "$PYTHON" - "$tmp/chrome.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
ev = t["traceEvents"]
slices = [e for e in ev if e["ph"] == "X"]
flows = [e for e in ev if e["ph"] in ("s", "f")]
names = [e for e in ev if e["ph"] == "M"]
assert len(slices) > 5105, len(slices)
assert flows and len([e for e in flows if e["ph"] == "s"]) == len([e for e in flows if e["ph"] == "f"])
assert any(e["args"]["name"] == "data" for e in names)
PY
    ;;
  truncated_trace)
    "$ADMF" run configs/default.yaml --trace debug --out "$tmp/run" >/dev/null
    f=$tmp/run/data/events.pb
    head -c $(( $(stat -c %s "$f") / 2 )) "$f" > "$tmp/cut.pb"
    "$ADMF" trace "$tmp/cut.pb" > "$tmp/report" 2> "$tmp/stderr" || fail "exit $? on a truncated file"
    grep -qE "^warning: $tmp/cut.pb: cut after [0-9]+ records \(no end record; truncated at byte [0-9]+\)\$" "$tmp/stderr" \
      || fail "no warning: $(cat "$tmp/stderr")"
    n=$(grep -oE '^ +BAR +[0-9]+' "$tmp/report" | grep -oE '[0-9]+$')
    (( n > 1000 && n < 5105 )) || fail "expected the bars before the damage, got $n"
    set +e; "$ADMF" trace "$tmp/nope.pb" 2> "$tmp/stderr"; rc=$?; set -e
    [[ $rc -eq 2 ]] && grep -q "nope.pb" "$tmp/stderr" || fail "missing file: rc $rc"
    ;;
  bad_retention_policy)
    traced_config <<'EOF2'
  default: {retention_policy: forever}
EOF2
    expect_error "c.yaml:8: trace_settings.default.retention_policy: expected one of: trade_complete, sliding_window, minimal, full, got 'forever'"
    ;;
  bad_event_type)
    traced_config <<'EOF2'
  default:
    events_to_trace: [FILL, TICK]
EOF2
    expect_error "c.yaml:9: trace_settings.default.events_to_trace\[1\]: unknown event type 'TICK'"
    ;;
  pattern_matches_nothing)
    traced_config <<'EOF2'
  container_settings:
    "portfolio_*": {retention_policy: full}
    "strategy_*": {enabled: false}
EOF2
    expect_error "c.yaml:10: trace_settings.container_settings.strategy_\*: pattern 'strategy_\*' matches no container"
    ;;
  bad_level)
    traced_config <<'EOF2'
  level: everything
EOF2
    expect_error "c.yaml:8: trace_settings.level: unknown trace level 'everything'"
    ;;
  *) fail "unknown case" ;;
esac
