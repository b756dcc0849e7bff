#!/usr/bin/env bash
# Bad plugins get one clear line naming the plugin and the cause (exit 2, nothing
# written); a plugin strategy that throws is handled by supervision per config,
# and the other portfolio's results are written; a plugin that crashes (a signal) ends
# the run with exit 5 and one line naming plugin, container and bar, nothing published.
# Usage: plugin_failures_test.sh CASE   (repo root; $ADMF and $TEST_PLUGINS set)
set -euo pipefail
case_name=${1:?usage: plugin_failures_test.sh CASE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }

config() {  # config STRATEGY_LINE [POLICY]: portfolio "bad" runs it, "good" runs sma
  cat > "$tmp/c.yaml" <<EOF2
name: it_plugins
data: {csv: data/sp500_2000_daily_ohlcv.csv, symbol: SPX}
plugin_path: [$TEST_PLUGINS]
supervision: {on_failure: ${2:-stop_portfolio}, max_restarts: 2}
portfolios:
  - id: bad
    initial_capital: 100000
    strategies:
      - $1
  - id: good
    initial_capital: 100000
    strategies:
      - {id: sma_1, type: sma_crossover, params: {fast: 10, slow: 30}}
EOF2
}

expect_input_error() {  # the line must match $1; run exits 2 and writes nothing
  set +e
  "$ADMF" run "$tmp/c.yaml" --out "$tmp/out" >/dev/null 2>"$tmp/stderr"
  rc=$?
  set -e
  [[ $rc -eq 2 ]] || fail "exit $rc, expected 2: $(cat "$tmp/stderr")"
  [[ $(wc -l < "$tmp/stderr") -eq 1 ]] || fail "not one line: $(cat "$tmp/stderr")"
  grep -qE "$1" "$tmp/stderr" || fail "'$(cat "$tmp/stderr")' does not match '$1'"
  [[ ! -e $tmp/out ]] || fail "something was written"
}

case $case_name in
  missing_file)
    config "{id: s, plugin: ./no/such/plugin.so}"
    expect_input_error "c.yaml:9: portfolios\[0\]\.strategies\[0\]\.plugin: plugin './no/such/plugin.so': no such file"
    ;;
  not_found_by_name)
    config "{id: s, plugin: nowhere_to_be_found}"
    expect_input_error "plugin 'nowhere_to_be_found': not found \(searched: .*$TEST_PLUGINS"
    ;;
  no_entry_points)
    config "{id: s, plugin: not_a_plugin}"
    expect_input_error "plugin 'not_a_plugin': .*not_a_plugin.so is not an admf plugin \(missing entry points"
    ;;
  version_mismatch)
    config "{id: s, plugin: old_api}"
    expect_input_error "plugin 'old_api': .*old_api.so was built for plugin API version 0, this admf loads versions 1 to 2"
    ;;
  version_too_new)
    config "{id: s, plugin: future_api}"
    expect_input_error "plugin 'future_api': .*future_api.so was built for plugin API version 3, this admf loads versions 1 to 2"
    ;;
  bad_params)
    config "{id: s, plugin: sma_crossover, params: {fast: ten, slow: 30}}"
    expect_input_error "c.yaml:9: portfolios\[0\]\.strategies\[0\]\.params\.fast: expected a number, got 'ten' \(plugin 'sma_crossover'\)"
    ;;
  throws_stop_portfolio|throws_restart)
    policy=stop_portfolio; [[ $case_name == throws_restart ]] && policy=restart
    config "{id: boom, plugin: throws_at_bar, params: {at: 100}}" $policy
    set +e
    "$ADMF" run "$tmp/c.yaml" --out "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    set -e
    [[ $rc -eq 3 ]] || fail "exit $rc, expected 3 (a portfolio stopped)"
    grep -q "STOPPED: strategy 'boom' failed: deliberate failure at bar 100" "$tmp/stdout" \
      || fail "summary: $(cat "$tmp/stdout")"
    [[ -f $tmp/out/bad/error.txt && ! -e $tmp/out/bad/metrics.json ]] || fail "bad portfolio files"
    grep -q "deliberate failure at bar 100" "$tmp/out/bad/error.txt" || fail "error.txt"
    # The other portfolio finished with exactly its usual numbers.
    "$ADMF" run configs/default.yaml --out "$tmp/ref" >/dev/null
    cmp -s "$tmp/out/good/metrics.json" "$tmp/ref/portfolio_sma/metrics.json" \
      || fail "the good portfolio's metrics changed"
    restarts=$(grep -c "restarting strategy 'boom'" "$tmp/stderr" || true)
    if [[ $policy == restart ]]; then
      [[ $restarts -eq 2 ]] || fail "expected 2 restarts, saw $restarts"
    else
      [[ $restarts -eq 0 ]] || fail "restarted under stop_portfolio"
    fi
    ;;
  segfault|abort)
    plugin=segfaults_at_bar signal=SIGSEGV
    [[ $case_name == abort ]] && plugin=aborts_at_bar signal=SIGABRT
    config "{id: boom, plugin: $plugin, params: {at: 100}}"
    set +e
    "$ADMF" run "$tmp/c.yaml" --out "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    set -e
    [[ $rc -eq 5 ]] || fail "exit $rc, expected 5 (a plugin crashed): $(cat "$tmp/stderr")"
    # Bar 100 is the data file's line 101 (after the header), a daily bar at midnight.
    bar=$(sed -n 101p data/sp500_2000_daily_ohlcv.csv | cut -d, -f1)
    want="admf: plugin '$plugin' ($plugin.so) crashed with $signal in container bad/boom at bar $bar (SPX)"
    [[ $(cat "$tmp/stderr") == "$want" ]] || fail "stderr '$(cat "$tmp/stderr")', expected '$want'"
    [[ ! -s $tmp/stdout ]] || fail "a summary was printed: $(cat "$tmp/stdout")"
    # Only the staging directory the next run into out/ removes.
    [[ -z $(ls "$tmp/out" 2>/dev/null) ]] || fail "results were published: $(ls "$tmp/out")"
    ;;
  *) fail "unknown case" ;;
esac
