#!/usr/bin/env bash
# The data cache from the command line: `admf data import` writes bar files a config's
# csv: names, and a run with the cache cold, warm, on bar files or off writes the same
# result files byte for byte. An unwritable cache is one warning, and the run goes on.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
source tests/integration/compare_runs.sh

csv=data/sp500_2000_daily_ohlcv.csv
out=$("$ADMF" data import "$csv" --out "$tmp/bars") || fail "data import exited $?"
[[ $out == "$csv -> $tmp/bars/sp500_2000_daily_ohlcv.admfbars: "*" bars, symbols sp500_2000_daily_ohlcv" ]] \
  || fail "data import said: $out"
"$ADMF" data import "$csv" --out "$tmp/bars2" --config configs/default.yaml >/dev/null \
  || fail "data import --config exited $?"
"$ADMF" data import data/msft_2000_2001_daily_ohlcv.csv --out "$tmp/x" --config configs/default.yaml \
  2>"$tmp/err" && fail "import of a file the config does not read succeeded"
grep -q "data/msft_2000_2001_daily_ohlcv.csv: no source of configs/default.yaml reads this file" "$tmp/err" \
  || fail "wrong error: $(cat "$tmp/err")"

config() { # config NAME DATA_LINES
  sed "/^data:/,/^execution:/{/^data:/!{/^execution:/!d}}" configs/default.yaml \
    | sed "s|^data:|data:\n$2|" > "$tmp/$1.yaml"
}
config cached "  csv: $csv\n  symbol: SPX\n  cache: $tmp/cache"
config bars "  csv: $tmp/bars2/sp500_2000_daily_ohlcv.admfbars\n  symbol: SPX"
config unwritable "  csv: $csv\n  symbol: SPX\n  cache: $tmp/cached.yaml/sub"

run configs/default.yaml "$tmp/off" 2
run "$tmp/cached.yaml" "$tmp/cold" 2
ls "$tmp/cache"/*.admfbars >/dev/null || fail "the cold run left no cache entry"
run "$tmp/cached.yaml" "$tmp/warm" 2
run "$tmp/bars.yaml" "$tmp/bars_run" 2
"$ADMF" run "$tmp/unwritable.yaml" --out "$tmp/unwritable" --threads 2 >/dev/null 2>"$tmp/warn" \
  || fail "run with an unwritable cache exited $?"
grep -q "data cache: $tmp/cached.yaml/sub: cannot create the directory: Not a directory; not cached" "$tmp/warn" \
  || fail "no cache warning: $(cat "$tmp/warn")"
for p in portfolio_sma portfolio_hold; do
  for r in cold warm bars_run unwritable; do
    same_files "$tmp/off/$p" "$tmp/$r/$p" "$p: $r vs cache off"
  done
done
echo "data cache: ok"
