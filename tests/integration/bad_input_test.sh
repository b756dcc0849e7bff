#!/usr/bin/env bash
# Bad input must be refused before anything runs: exit 2, exactly one line on stderr
# naming the file and the line (and key) at fault, no results written. The same
# config must fail `admf validate` with the very same line.
# Usage: bad_input_test.sh CASE   (run from the repo root, with $ADMF set)
set -euo pipefail
case_name=${1:?usage: bad_input_test.sh CASE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }

cfg=$tmp/config.yaml
csv=$tmp/data.csv

# A small valid CSV: 8 rows of data, line 1 is the header, data on lines 2..9.
write_good_csv() {
  cat > "$csv" <<'CSV'
date,open,high,low,close,volume
2000-01-03,100,101,99,100.5,1000
2000-01-04,100.5,102,100,101.5,1100
2000-01-05,101.5,103,101,102.5,1200
2000-01-06,102.5,104,102,103.5,1300
2000-01-07,103.5,105,103,104.5,1400
2000-01-10,104.5,106,104,105.5,1500
2000-01-11,105.5,107,105,106.5,1600
2000-01-12,106.5,108,106,107.5,1700
CSV
}

# Replaces line N (1-based) of the CSV with the given text.
set_csv_line() {
  local n=$1 text=$2
  awk -v n="$n" -v t="$text" 'NR == n { print t; next } { print }' "$csv" > "$csv.new"
  mv "$csv.new" "$csv"
}

# A valid config, one key per line so that line numbers are easy to state:
#  1 name: it_bad_input
#  2 data:
#  3   csv: <csv>
#  4   symbol: SPX
#  5 portfolios:
#  6   - id: p1
#  7     initial_capital: 100000
#  8     strategies:
#  9       - id: s1
# 10         type: sma_crossover
# 11         params:
# 12           fast: 2
# 13           slow: 4
write_good_config() {
  cat > "$cfg" <<YAML
name: it_bad_input
data:
  csv: $csv
  symbol: SPX
portfolios:
  - id: p1
    initial_capital: 100000
    strategies:
      - id: s1
        type: sma_crossover
        params:
          fast: 2
          slow: 4
YAML
}

set_cfg_line() {
  local n=$1 text=$2
  awk -v n="$n" -v t="$text" 'NR == n { print t; next } { print }' "$cfg" > "$cfg.new"
  mv "$cfg.new" "$cfg"
}

insert_cfg_line_after() {
  local n=$1 text=$2
  awk -v n="$n" -v t="$text" '{ print } NR == n { print t }' "$cfg" > "$cfg.new"
  mv "$cfg.new" "$cfg"
}

delete_cfg_line() {
  local n=$1
  awk -v n="$n" 'NR != n' "$cfg" > "$cfg.new"
  mv "$cfg.new" "$cfg"
}

write_good_csv
write_good_config

# Every case sets: where (the "file:line:" prefix the error must start with after
# "error: "), and optionally key (text the message must also contain).
key=""
case $case_name in
  validate_default_ok)
    out=$("$ADMF" validate configs/default.yaml 2>"$tmp/err") || fail "validate exited $?"
    [[ $out == "configs/default.yaml: ok" ]] || fail "unexpected stdout: $out"
    [[ ! -s $tmp/err ]] || fail "unexpected stderr: $(cat "$tmp/err")"
    # and the fixtures used by the other tests are valid too
    write_good_config
    "$ADMF" validate "$cfg" >/dev/null || fail "the base config of this script does not validate"
    exit 0
    ;;
  malformed_yaml)
    set_cfg_line 7 "    initial_capital: 100000: 3"
    where="$cfg:7:"; key="malformed YAML"
    ;;
  malformed_yaml_tab)
    set_cfg_line 8 $'\tstrategies:'
    where="$cfg:8:"; key="malformed YAML"
    ;;
  unknown_top_level_key)
    insert_cfg_line_after 4 "leverage: 2"
    where="$cfg:5: leverage: unknown key"
    ;;
  unknown_portfolio_key)
    insert_cfg_line_after 7 "    leverage: 2"
    where="$cfg:8: portfolios[0].leverage: unknown key"
    ;;
  unknown_strategy_key)
    insert_cfg_line_after 10 "        weight: 2"
    where="$cfg:11: portfolios[0].strategies[0].weight: unknown key"
    ;;
  account_leverage_on_cash)
    insert_cfg_line_after 4 "account: {type: cash, leverage: 2}"
    where="$cfg:5: account.leverage:"; key="only for 'type: margin'"
    ;;
  account_unknown_type)
    insert_cfg_line_after 7 "    account: {type: credit}"
    where="$cfg:8: portfolios[0].account.type:"; key="expected one of: cash, margin"
    ;;
  instrument_tiny_lot)
    insert_cfg_line_after 4 "instruments: {SPX: {lot_size: 1e-15}}"
    where="$cfg:5: instruments.SPX.lot_size:"; key="must be >= 1e-9"
    ;;
  instrument_unknown_symbol)
    insert_cfg_line_after 4 "instruments: {BTC: {lot_size: 0.0001}}"
    where="$cfg:5: instruments.BTC:"; key="unknown symbol 'BTC'"
    ;;
  missing_initial_capital)
    delete_cfg_line 7
    # the portfolio map that lacks the key starts on line 6
    where="$cfg:6: portfolios[0]:"; key="initial_capital"
    ;;
  missing_data_file)
    set_cfg_line 3 "  csv: $tmp/no_such_file.csv"
    where="$cfg:3: data.csv:"; key="no_such_file.csv"
    ;;
  csv_non_numeric)
    set_csv_line 5 "2000-01-06,102.5,104,102,abc,1300"
    where="$csv:5:"; key="'abc'"
    ;;
  csv_high_below_low)
    set_csv_line 6 "2000-01-07,103.5,102,104,103.5,1400"
    where="$csv:6: column 'high': 102 is below low 104"
    ;;
  csv_close_below_low)
    set_csv_line 9 "2018-02-01,21.70,21.75,21.20,21.10,5000"
    where="$csv:9: column 'close': 21.10 is below low 21.20"
    ;;
  csv_open_above_high)
    set_csv_line 2 "2000-01-03,101.5,101,99,100.5,1000"
    where="$csv:2: column 'open': 101.5 is above high 101"
    ;;
  csv_not_finite)
    set_csv_line 4 "2000-01-05,101.5,inf,101,102.5,1200"
    where="$csv:4: column 'high': price must be finite, got inf"
    ;;
  repair_cannot_fix)
    # repair clips open and close; a bar with high below low has no right price to clip to
    insert_cfg_line_after 4 "  on_bad_bar: repair"
    set_csv_line 6 "2000-01-07,103.5,102,104,103.5,1400"
    where="$csv:6: column 'high': 102 is below low 104"
    ;;
  bad_on_bad_bar_value)
    insert_cfg_line_after 4 "  on_bad_bar: clip"
    where="$cfg:5: data.on_bad_bar:"; key="'clip'"
    ;;
  repaired_bar_reported|skipped_bar_reported)
    # The example row on line 9, and a market buy that slippage would push above its
    # bar's high. buy_and_hold signals at the first close and buys at line 3's open:
    # 100.5 + slippage 2 = 102.5 is above the high 102, so the fill is at 102 and
    # buys floor(100000 / 102) = 980 units, leaving 100000 - 99960 = 40 in cash.
    set_csv_line 9 "2018-02-01,21.70,21.75,21.20,21.10,5000"
    if [[ $case_name == repaired_bar_reported ]]; then
      # the close 21.10 is clipped up to the low 21.20: 40 + 980 * 21.20
      policy=repair; bars=8; equity=20816.00
      warning="warning: $csv: 1 bar repaired (on_bad_bar: repair), the first at $csv:9:"
    else
      # the bar is dropped: the last close is line 8's 106.5, so 40 + 980 * 106.5
      policy=skip; bars=7; equity=104410.00
      warning="warning: $csv: 1 bar skipped (on_bad_bar: skip), the first at $csv:9:"
    fi
    cat > "$cfg" <<YAML
data:
  csv: $csv
  symbol: SPX
  on_bad_bar: $policy
execution:
  slippage: {fixed: 2}
portfolios:
  - {id: p1, initial_capital: 100000, strategies: [{id: s1, type: buy_and_hold}]}
YAML
    warning+=" column 'close': 21.10 is below low 21.20"
    "$ADMF" run "$cfg" --out "$tmp/out" >"$tmp/run.out" 2>"$tmp/run.err" \
      || fail "run exited $?: $(cat "$tmp/run.err")"
    [[ $(cat "$tmp/run.err") == "$warning" ]] || fail "run stderr: $(cat "$tmp/run.err")"
    grep -q "), $bars bars\$" "$tmp/run.out" || fail "not $bars bars: $(cat "$tmp/run.out")"
    grep -Eq "^p1 +$equity " "$tmp/run.out" || fail "final equity not $equity: $(cat "$tmp/run.out")"
    "$ADMF" validate "$cfg" >"$tmp/validate.out" 2>"$tmp/validate.err" \
      || fail "validate exited $?: $(cat "$tmp/validate.err")"
    [[ $(cat "$tmp/validate.out") == "$cfg: ok" ]] || fail "validate: $(cat "$tmp/validate.out")"
    [[ $(cat "$tmp/validate.err") == "$warning" ]] \
      || fail "validate stderr: $(cat "$tmp/validate.err")"
    exit 0
    ;;
  csv_zero_price)
    set_csv_line 4 "2000-01-05,101.5,103,0,102.5,1200"
    where="$csv:4:"; key="'low'"
    ;;
  csv_negative_price)
    set_csv_line 9 "2000-01-12,-106.5,108,106,107.5,1700"
    where="$csv:9:"; key="'open'"
    ;;
  csv_unsorted)
    set_csv_line 7 "2000-01-04,104.5,106,104,105.5,1500"
    where="$csv:7:"; key="2000-01-04"
    ;;
  csv_duplicate_timestamp)
    set_csv_line 8 "2000-01-10,105.5,107,105,106.5,1600"
    where="$csv:8:"; key="2000-01-10"
    ;;
  unknown_strategy_type)
    set_cfg_line 10 "        type: no_such_strategy"
    where="$cfg:10: portfolios[0].strategies[0].type:"; key="no_such_strategy"
    ;;
  sma_fast_above_slow)
    set_cfg_line 12 "          fast: 5"
    where="$cfg:12: portfolios[0].strategies[0].params.fast:"
    ;;
  sma_fast_equals_slow)
    set_cfg_line 12 "          fast: 4"
    where="$cfg:12: portfolios[0].strategies[0].params.fast:"
    ;;
  unknown_strategy_symbol)
    insert_cfg_line_after 10 "        symbols: [SPX, NOPE]"
    where="$cfg:11: portfolios[0].strategies[0].symbols[1]: unknown symbol 'NOPE'"; key="SPX"
    ;;
  empty_strategy_symbols)
    insert_cfg_line_after 10 "        symbols: []"
    where="$cfg:11: portfolios[0].strategies[0].symbols:"; key="non-empty list"
    ;;
  bad_capital_value)
    set_cfg_line 7 "    initial_capital: lots"
    where="$cfg:7: portfolios[0].initial_capital:"; key="lots"
    ;;
  csv_error_in_second_source)
    # the bad row is in the second of two sources: the message must name that file
    csv2=$tmp/second.csv
    printf 'date,close\n2000-01-03,10\n2000-01-04,x11\n' > "$csv2"
    cat > "$cfg" <<YAML
data:
  sources:
    - {csv: $csv, symbol: SPX}
    - {csv: $csv2, symbol: OTHER}
portfolios:
  - {id: p1, initial_capital: 1000, strategies: [{id: s1, type: buy_and_hold}]}
YAML
    where="$csv2:3:"; key="'x11'"
    ;;
  csv_wrong_field_count)
    set_csv_line 3 "2000-01-04,100.5,102,100,101.5"
    where="$csv:3:"; key="expected 6 fields, found 5"
    ;;
  *)
    fail "unknown case"
    ;;
esac

# Checks one failed command: $1 = label, files $tmp/$1.{rc,out,err}.
check_failure() {
  local label=$1 rc err lines
  rc=$(cat "$tmp/$label.rc")
  [[ $rc -eq 2 ]] || fail "$label: exit code $rc, expected 2; stderr: $(cat "$tmp/$label.err")"
  lines=$(wc -l < "$tmp/$label.err")
  [[ $lines -eq 1 ]] || fail "$label: stderr has $lines lines, expected exactly 1:
$(cat "$tmp/$label.err")"
  # wc -l counts newlines: also reject text after the last one
  [[ $(tail -c 1 "$tmp/$label.err" | od -An -c | tr -d ' ') == '\n' ]] \
    || fail "$label: stderr does not end with a newline"
  err=$(cat "$tmp/$label.err")
  [[ $err == "error: $where"* ]] \
    || fail "$label: stderr does not start with 'error: $where': $err"
  [[ -z $key || $err == *"$key"* ]] || fail "$label: stderr does not mention '$key': $err"
  [[ ! -s $tmp/$label.out ]] || fail "$label: unexpected stdout: $(cat "$tmp/$label.out")"
}

set +e
"$ADMF" run "$cfg" --out "$tmp/out" >"$tmp/run.out" 2>"$tmp/run.err"
echo $? > "$tmp/run.rc"
"$ADMF" validate "$cfg" >"$tmp/validate.out" 2>"$tmp/validate.err"
echo $? > "$tmp/validate.rc"
set -e

check_failure run
check_failure validate
cmp -s "$tmp/run.err" "$tmp/validate.err" \
  || fail "run and validate report differently: '$(cat "$tmp/run.err")' vs '$(cat "$tmp/validate.err")'"

# No results of any kind: the output directory is absent or empty.
if [[ -e $tmp/out ]]; then
  found=$(find "$tmp/out" -name metrics.json)
  [[ -z $found ]] || fail "results were written: $found"
  [[ -z $(ls -A "$tmp/out") ]] || fail "output directory is not empty: $(ls -A "$tmp/out")"
fi
