#!/usr/bin/env bash
# Where and how results land: results/<config name>/ by default, one directory per
# portfolio, a rerun replaces what was there, nothing temporary is left behind, and
# the summary on stdout has one row per portfolio.
# Usage: output_layout_test.sh CASE   (run from the repo root, with $ADMF and $PYTHON set)
set -euo pipefail
case_name=${1:?usage: output_layout_test.sh CASE}
repo=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }

files=(metrics.json trades.csv equity.csv positions.csv)

# expect_layout DIR PORTFOLIO...: DIR holds exactly these portfolio directories (and
# the run's manifest run.json), each with exactly the three result files, and nothing
# temporary.
expect_layout() {
  local dir=$1; shift
  local want got p
  want=$(printf '%s\n' "$@" run.json | LC_ALL=C sort)
  got=$(ls -A "$dir" | LC_ALL=C sort)
  [[ $got == "$want" ]] || fail "$dir holds [$(echo $got)], expected [$(echo $want)]"
  for p in "$@"; do
    got=$(ls -A "$dir/$p" | LC_ALL=C sort)
    [[ $got == "$(printf '%s\n' "${files[@]}" | LC_ALL=C sort)" ]] \
      || fail "$dir/$p holds [$(echo $got)]"
    for f in "${files[@]}"; do
      [[ -s $dir/$p/$f ]] || fail "$dir/$p/$f is empty"
    done
  done
  no_leftovers "$dir"
}

no_leftovers() {
  local left
  left=$(find "$1" \( -name '.staging-*' -o -name '*.partial' \) -print)
  [[ -z $left ]] || fail "temporary files left behind: $left"
}

# Absolute-path copy of a config (so it can be run from any directory), with its
# name line replaced or removed (NAME empty).
config_copy() { # SRC DEST NAME
  sed -e "s|data/|$repo/data/|g" -e '/^name:/d' "$1" > "$2.body"
  { [[ -z $3 ]] || echo "name: $3"; cat "$2.body"; } > "$2"
  rm "$2.body"
}

case $case_name in
  default_out)
    # Run from an empty working directory: the default goes to ./results/<name>/.
    config_copy configs/default.yaml "$tmp/config.yaml" it_default_out
    mkdir "$tmp/cwd"
    (cd "$tmp/cwd" && "$ADMF" run "$tmp/config.yaml" > "$tmp/stdout") || fail "run exited $?"
    [[ $(ls -A "$tmp/cwd") == results ]] || fail "cwd holds: $(ls -A "$tmp/cwd")"
    [[ $(ls -A "$tmp/cwd/results") == it_default_out ]] \
      || fail "results/ holds: $(ls -A "$tmp/cwd/results")"
    expect_layout "$tmp/cwd/results/it_default_out" portfolio_sma portfolio_hold
    [[ $(tail -1 "$tmp/stdout") == "results: results/it_default_out/" ]] \
      || fail "summary names the wrong directory: $(tail -1 "$tmp/stdout")"
    # Without a name: key the name is the config file's stem.
    config_copy configs/default.yaml "$tmp/it_stem_name.yaml" ""
    (cd "$tmp/cwd" && "$ADMF" run "$tmp/it_stem_name.yaml" >/dev/null) || fail "run exited $?"
    expect_layout "$tmp/cwd/results/it_stem_name" portfolio_sma portfolio_hold
    # The same results as with --out.
    "$ADMF" run configs/default.yaml --out "$tmp/explicit" >/dev/null
    for p in portfolio_sma portfolio_hold; do
      for f in "${files[@]}"; do
        cmp -s "$tmp/explicit/$p/$f" "$tmp/cwd/results/it_default_out/$p/$f" \
          || fail "default output differs from --out output: $p/$f"
      done
    done
    # From the repo root, results/<name> is relative to the working directory.
    [[ ! -e $repo/results/it_default_out && ! -e $repo/results/it_stem_name ]] \
      || fail "results were written into the repo"
    ;;

  rerun_replaces)
    out=$tmp/out
    "$ADMF" run configs/default.yaml --out "$out" >/dev/null
    cp -r "$out" "$tmp/fresh"
    # Spoil the first results: stray files and changed content must all go.
    echo junk > "$out/portfolio_sma/stale.txt"
    mkdir "$out/portfolio_sma/stale_dir"
    echo '{"final_equity": 1}' > "$out/portfolio_sma/metrics.json"
    echo 'time,equity' > "$out/portfolio_hold/equity.csv"
    rm "$out/portfolio_hold/trades.csv"
    "$ADMF" run configs/default.yaml --out "$out" >/dev/null || fail "rerun exited $?"
    expect_layout "$out" portfolio_sma portfolio_hold
    diff -r "$tmp/fresh" "$out" >/dev/null || fail "rerun results differ from a fresh run"
    # A rerun with another config into the same directory replaces the shared portfolio.
    sed -e 's/fast: 10, slow: 30/fast: 5, slow: 20/' configs/default.yaml > "$tmp/other.yaml"
    grep -q 'fast: 5, slow: 20' "$tmp/other.yaml" || fail "could not write the second config"
    "$ADMF" run "$tmp/other.yaml" --out "$out" >/dev/null || fail "second config exited $?"
    "$ADMF" run "$tmp/other.yaml" --out "$tmp/other_fresh" >/dev/null
    diff -r "$tmp/other_fresh" "$out" >/dev/null || fail "results of the second config were not replaced"
    if cmp -s "$out/portfolio_sma/trades.csv" "$tmp/fresh/portfolio_sma/trades.csv"; then
      fail "second config traded identically: this case tests nothing"
    fi
    ;;

  rerun_drops_stale_portfolios)
    # A rerun of a config that lost a portfolio must not leave the old portfolio's
    # results looking like part of the new run. Unrelated files may stay.
    out=$tmp/out
    "$ADMF" run configs/default.yaml --out "$out" >/dev/null
    echo keep > "$out/notes.txt"
    sed '/- id: portfolio_hold/,$d' configs/default.yaml > "$tmp/one.yaml"
    grep -q portfolio_sma "$tmp/one.yaml" && ! grep -q portfolio_hold "$tmp/one.yaml" \
      || fail "could not write the one-portfolio config"
    "$ADMF" run "$tmp/one.yaml" --out "$out" >/dev/null || fail "rerun exited $?"
    stale=$(find "$out" -mindepth 2 -name metrics.json ! -path "$out/portfolio_sma/*")
    [[ -z $stale ]] || fail "results of a portfolio no longer in the config survived the rerun: $stale"
    no_leftovers "$out"
    ;;

  no_leftovers)
    # After successful runs (several thread counts, a small batch size) and after
    # a run refused for bad data, nothing temporary is left.
    out=$tmp/out
    for threads in 1 2 4; do
      "$ADMF" run tests/integration/fixtures/multi_symbol_batch7.yaml --out "$out" \
        --threads "$threads" >/dev/null || fail "run exited $?"
      expect_layout "$out" portfolio_sma portfolio_hold
    done
    head -50 data/sp500_2000_daily_ohlcv.csv > "$tmp/bad.csv"
    echo "2000-01-01,1,1,1,1,1,1" >> "$tmp/bad.csv"  # unsorted: rejected on line 51
    sed -e "s|data/sp500_2000_daily_ohlcv.csv|$tmp/bad.csv|" configs/default.yaml > "$tmp/bad.yaml"
    if "$ADMF" run "$tmp/bad.yaml" --out "$out" >/dev/null 2>&1; then
      fail "bad data was accepted"
    fi
    # The earlier results are untouched by the refused run.
    expect_layout "$out" portfolio_sma portfolio_hold
    ;;

  stale_staging)
    # held FILE: returns once another process holds FILE's lock (polled, at most 10 s).
    held() {
      for _ in $(seq 1000); do
        flock -n "$1" true || return 0
        sleep 0.01
      done
      fail "nobody took the lock $1"
    }
    # A run killed before publishing leaves .staging-ID (and its lock file); the next run
    # into that directory removes them. A live run's staging, whose lock is held (here
    # by flock(1) standing in for the other run), stays; the same run started twice at
    # once is refused instead of sharing one staging directory.
    out=$tmp/out
    mkdir -p "$out/.staging-deadbeef/portfolio_x" "$out/.staging-cafe"
    echo junk > "$out/.staging-deadbeef/portfolio_x/equity.csv"
    : > "$out/.staging-deadbeef.lock"
    : > "$out/.staging-0badf00d.lock"  # a lock file whose directory is gone
    flock "$out/.staging-cafe.lock" sleep 30 &
    holder=$!
    held "$out/.staging-cafe.lock"
    "$ADMF" run configs/default.yaml --out "$out" >/dev/null || fail "run exited $?"
    [[ ! -e $out/.staging-deadbeef && ! -e $out/.staging-deadbeef.lock ]] \
      || fail "the killed run's staging was left: $(ls -A "$out")"
    [[ ! -e $out/.staging-0badf00d.lock ]] || fail "an orphan lock file was left"
    [[ -d $out/.staging-cafe && -e $out/.staging-cafe.lock ]] \
      || fail "a live run's staging was removed"
    id=$("$ADMF" run configs/default.yaml --out "$tmp/probe" | sed -n 's/^run default (\([0-9a-f]*\)).*/\1/p')
    [[ -n $id ]] || fail "no run id in the summary"
    flock "$out/.staging-$id.lock" sleep 30 &
    twin=$!
    held "$out/.staging-$id.lock"
    status=0
    "$ADMF" run configs/default.yaml --out "$out" >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
    pkill -P "$holder" 2>/dev/null || true  # flock(1)'s sleep holds the lock too
    pkill -P "$twin" 2>/dev/null || true
    kill "$holder" "$twin" 2>/dev/null || true
    wait "$holder" "$twin" 2>/dev/null || true
    [[ $status -eq 2 ]] || fail "the twin run exited $status, expected 2"
    grep -q "^error: $out/.staging-$id: in use by another admf run (pid ?; lock $out/.staging-$id.lock)\$" "$tmp/stderr" \
      || fail "stderr [$(cat "$tmp/stderr")]"
    # The twin left nothing; the lock files are the stand-ins' own.
    got=$(ls -A "$out" | LC_ALL=C sort | tr '\n' ' ')
    want=$(printf '%s\n' .staging-cafe .staging-cafe.lock ".staging-$id.lock" portfolio_hold \
      portfolio_sma run.json | LC_ALL=C sort | tr '\n' ' ')
    [[ $got == "$want" ]] || fail "$out holds [$got], expected [$want]"
    ;;

  summary_rows)
    # Three portfolios, in a non-alphabetical order: one row each, in config order,
    # agreeing with metrics.json.
    cat > "$tmp/three.yaml" <<YAML
name: it_summary
data:
  sources:
    - {csv: data/sp500_2000_daily_ohlcv.csv, symbol: SPX}
    - {csv: data/msft_2000_2001_daily_ohlcv.csv, symbol: MSFT}
portfolios:
  - {id: zeta, initial_capital: 100000, strategies: [{id: z1, type: sma_crossover, params: {fast: 10, slow: 30}}]}
  - {id: alpha, initial_capital: 20000, strategies: [{id: a1, type: buy_and_hold}]}
  - {id: mid, initial_capital: 70000, strategies: [{id: m1, type: sma_crossover, params: {fast: 5, slow: 20}}]}
YAML
    "$ADMF" run "$tmp/three.yaml" --out "$tmp/out" > "$tmp/stdout" 2> "$tmp/stderr" \
      || fail "run exited $?"
    [[ ! -s $tmp/stderr ]] || fail "unexpected stderr: $(cat "$tmp/stderr")"
    expect_layout "$tmp/out" zeta alpha mid
    bars=$(( $(wc -l < data/sp500_2000_daily_ohlcv.csv) - 1 + $(wc -l < data/msft_2000_2001_daily_ohlcv.csv) - 1 ))
    "$PYTHON" - "$tmp/stdout" "$tmp/out" "$bars" zeta alpha mid <<'PY'
import json, re, sys
stdout, out, bars, ids = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
text = open(stdout).read().splitlines()
def fail(msg):
    sys.exit("FAIL [summary_rows]: " + msg + "\n" + "\n".join(text))
# Indented lines are notes below the table (open positions, cancels, ...).
lines = [l for l in text if not l.startswith("  ")]
notes = [l.split(": ", 1) for l in text if l.startswith("  ")]
if len(lines) != len(ids) + 3:
    fail(f"expected {len(ids) + 3} lines (title, header, one row per portfolio, results)")
m = re.fullmatch(r"run it_summary \([0-9a-f]+\), (\d+) bars", lines[0])
if not m or int(m.group(1)) != bars:
    fail(f"title line should name the run and its {bars} bars")
if not lines[1].split()[:1] == ["portfolio"]:
    fail("second line is not the column header")
for pid, row in zip(ids, lines[2:-1]):
    cells = row.split()
    if cells[0] != pid:
        fail(f"row for {pid!r} expected, got {row!r}")
    metrics = json.load(open(f"{out}/{pid}/metrics.json"))
    if cells[1] != f"{metrics['final_equity']:.2f}":
        fail(f"{pid}: final equity {cells[1]} but metrics.json says {metrics['final_equity']}")
    if int(cells[6]) != metrics["trades"]:
        fail(f"{pid}: {cells[6]} trades but metrics.json says {metrics['trades']}")
    held = [n for n in notes if n[0].strip() == pid and n[1].startswith("open at end")]
    if len(held) != metrics["open_positions"]:
        fail(f"{pid}: {len(held)} open-position notes but metrics.json says {metrics['open_positions']}")
if lines[-1] != f"results: {out}/":
    fail("last line should name the results directory")
PY
    ;;

  *)
    fail "unknown case"
    ;;
esac
