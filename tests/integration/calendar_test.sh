#!/usr/bin/env bash
# A portfolio's results must not depend on another portfolio's data: a stock portfolio
# on weekday bars and a crypto portfolio on a 7-day symbol each get, side by side, the
# files they get alone (each closes only at its own symbols' timestamps), whatever
# the thread count and batch size. A strategy without `symbols:` keeps today's
# calendar: every timestamp of the feed.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

fx=tests/integration/fixtures
source tests/integration/compare_runs.sh

# bars DIR: the "bars" value of DIR/metrics.json
bars() { sed -n 's/^ *"bars": \([0-9]*\).*/\1/p' "$1/metrics.json"; }

run "$fx/calendar_stock.yaml" "$tmp/stock" 2
run "$fx/calendar_crypto.yaml" "$tmp/crypto" 2

# Hand-checked: 40 weekday rows (2021-01-04 .. 2021-02-26), 59 daily rows
# (2021-01-01 .. 2021-02-28); the union of both calendars is the 59 days.
[[ $(bars "$tmp/stock/portfolio_stock") == 40 ]] || fail "stock solo: $(bars "$tmp/stock/portfolio_stock") bars, expected 40"
[[ $(bars "$tmp/crypto/portfolio_crypto") == 59 ]] || fail "crypto solo: $(bars "$tmp/crypto/portfolio_crypto") bars"
# The comparison proves something only if both trade.
for d in stock/portfolio_stock crypto/portfolio_crypto; do
  [[ $(wc -l < "$tmp/$d/trades.csv") -gt 1 ]] || fail "$d: no trades, the fixture proves nothing"
done

# 7 bars per batch: batches end mid-week, some hold only the other symbol's bars.
sed -e 's/^execution:/engine: {batch_size: 7}\nexecution:/' -e "s#csv: calendar#csv: $PWD/$fx/calendar#" \
  "$fx/calendar_joint.yaml" > "$tmp/joint_b7.yaml"
for variant in "$fx/calendar_joint.yaml 1" "$fx/calendar_joint.yaml 4" "$tmp/joint_b7.yaml 2"; do
  set -- $variant
  out=$tmp/joint_$(basename "$1" .yaml)_t$2
  run "$1" "$out" "$2"
  same_files "$out/portfolio_stock" "$tmp/stock/portfolio_stock" "stock beside crypto ($1, threads $2) vs alone"
  same_files "$out/portfolio_crypto" "$tmp/crypto/portfolio_crypto" "crypto beside stock ($1, threads $2) vs alone"
  [[ $(bars "$out/portfolio_all") == 59 ]] || fail "portfolio_all: $(bars "$out/portfolio_all") bars, expected 59"
done

# The stock portfolio's equity rows are exactly its own dates: no weekend.
tail -n +2 "$fx/calendar_weekdays.csv" | cut -d, -f1 > "$tmp/stock_dates"
tail -n +2 "$tmp/joint_calendar_joint_t4/portfolio_stock/equity.csv" | cut -d, -f1 \
  | cmp -s - "$tmp/stock_dates" || fail "stock equity.csv dates are not the weekday file's"

# Symbol ids are in name order, so a portfolio's view of its own symbols does not move
# when the data holds others: pairs on [MRK, JNJ] equals pairs with all 30 Dow symbols
# loaded (listed in the file's order, where JNJ comes before MRK) byte for byte.
run configs/pairs.yaml "$tmp/pairs_two" 2
sed '/^  symbols: \[MRK, JNJ\]$/d' configs/pairs.yaml > "$tmp/pairs_all.yaml"
grep -q "symbols: \[MRK, JNJ\]" "$tmp/pairs_all.yaml" || fail "pairs_all.yaml lost the strategy's symbols"
run "$tmp/pairs_all.yaml" "$tmp/pairs_all" 2
same_files "$tmp/pairs_all/portfolio_pairs" "$tmp/pairs_two/portfolio_pairs" "pairs with all 30 symbols vs two"
