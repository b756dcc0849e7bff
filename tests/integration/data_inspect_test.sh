#!/usr/bin/env bash
# `admf data inspect`: what the loader sees in a file, read as a config's source says;
# exit 2 with one error line when a run could not load the file.
# Usage: data_inspect_test.sh   (run from the repo root, with $ADMF set)
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Yahoo-style, ';' and decimal comma, CRLF, newest first, one null row and a 3-day gap.
csv=$tmp/yahoo.csv
printf '"Date";"Open";"High";"Low";"Close";"Adj Close";"Volume"\r\n' > "$csv"
printf '2020-01-08;12;12;12;12;6;100\r\n' >> "$csv"
printf '2020-01-07;null;null;null;null;null;null\r\n' >> "$csv"
printf '2020-01-06;11;11;11;11;5,5;100\r\n' >> "$csv"
printf '2020-01-03;10,5;10,5;10,5;10,5;5,25;100\r\n' >> "$csv"
printf '2020-01-02;10;10;10;10;5;100\r\n' >> "$csv"
cat > "$tmp/config.yaml" <<YAML
data:
  decimal: ','
  sources:
    - {csv: $csv, symbol: X, order: descending, on_missing: skip, adjust: adj_close}
portfolios:
  - id: p
    initial_capital: 1000
    strategies:
      - {id: s, type: buy_and_hold}
YAML
out=$("$ADMF" data inspect "$csv" --config "$tmp/config.yaml") || fail "inspect exited $?"
expect() { grep -qxF -- "$1" <<<"$out" || fail "no line '$1' in:"$'\n'"$out"; }
expect "dialect:     delimiter ';' (detected), decimal ',', byte order mark no, line ends CRLF"
expect "time format: ISO 8601 (naive times in UTC)"
expect "columns:     time <- 'Date', open <- 'Open', high <- 'High', low <- 'Low', close <- 'Close', volume <- 'Volume', adj_close <- 'Adj Close'"
expect "rows:        5 (bars loaded: 4)"
expect "range:       2020-01-02 to 2020-01-08"
# Spacings 1d, 3d, 2d: median 2d, largest first.
expect "spacing:     median 2d"
expect "  3d from 2020-01-03 to 2020-01-06"
expect "missing rows skipped: 1 (on_missing: skip)"
expect "  $csv:3: column 'Open': missing price 'null'"

# Spacings 1d 2d 1d 2d 1d 2d 1d 3d: median 2d (the 5th of 8 sorted); the five largest
# longest first, equal lengths in time order (the later 1d gaps are not shown).
ties=$tmp/ties.csv
printf 'date,close\n' > "$ties"
for d in 01 02 04 05 07 08 10 11 14; do printf '2020-01-%s,1\n' "$d" >> "$ties"; done
out=$("$ADMF" data inspect "$ties") || fail "ties: inspect exited $?"
want='spacing:     median 2d
largest gaps:
  3d from 2020-01-11 to 2020-01-14
  2d from 2020-01-02 to 2020-01-04
  2d from 2020-01-05 to 2020-01-07
  2d from 2020-01-08 to 2020-01-10
  1d from 2020-01-01 to 2020-01-02'
[[ "$out" == *"$want"* ]] || fail "ties: spacing lines not as expected in:"$'\n'"$out"

# A repeated timestamp: reported with its line, and the exit says a run cannot load it.
dup=$tmp/dup.csv
printf 'date,close\n2020-01-02,1\n2020-01-03,2\n2020-01-03,3\n' > "$dup"
set +e
out=$("$ADMF" data inspect "$dup" 2>"$tmp/err"); rc=$?
set -e
[ "$rc" = 2 ] || fail "duplicate: exit $rc, expected 2"
expect "duplicate or unsorted timestamps: 1 (1 duplicate, 0 unsorted: their rows are left out here, a run stops at the first)"
grep -qxF "  $dup:4: duplicate timestamp 2020-01-03, same as line 3" <<<"$out" || fail "no duplicate line in: $out"
[ "$(cat "$tmp/err")" = "error: $dup:4: duplicate timestamp 2020-01-03, same as line 3" ] \
  || fail "duplicate: stderr $(cat "$tmp/err")"

# A file that cannot be read at all: one line, exit 2.
set +e
"$ADMF" data inspect "$tmp/none.csv" > /dev/null 2>"$tmp/err"; rc=$?
set -e
[ "$rc" = 2 ] || fail "missing file: exit $rc"
[ "$(cat "$tmp/err")" = "error: $tmp/none.csv: cannot open file" ] || fail "missing file: $(cat "$tmp/err")"
echo "data_inspect: ok"
