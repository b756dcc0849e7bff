#!/usr/bin/env bash
# Signal replay: `admf run --signals` writes each portfolio's signals.csv, and the
# signal_file plugin replays it to the same results byte for byte; a hand-written file
# gives the trades worked out by hand; bad rows stop the run (exit 2) or fail the
# strategy (exit 3), naming the file and line.
# Usage: signal_replay_test.sh CASE   (repo root; $ADMF set)
set -euo pipefail
case_name=${1:?usage: signal_replay_test.sh CASE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }

fx=tests/integration/fixtures
source tests/integration/compare_runs.sh

# expect_file PATH: PATH must hold exactly the text on standard input.
expect_file() {
  diff <(cat) "$1" >&2 || fail "$1 differs from the hand-worked file (diff above: expected < > got)"
}

# hand_config SIGNALS: signal_hand.yaml replaying the file SIGNALS instead.
hand_config() {
  sed -e "s#file: tests/integration/fixtures/signal_hand.csv#file: $1#" \
    -e "s#csv: signal_hand_bars.csv#csv: $PWD/$fx/signal_hand_bars.csv#" \
    "$fx/signal_hand.yaml" > "$tmp/hand.yaml"
  grep -q "file: $1" "$tmp/hand.yaml" || fail "could not write the config"
}

header=$(head -1 "$fx/signal_hand.csv")

case $case_name in
  replay_identical)
    "$ADMF" run "$fx/signal_replay.yaml" --out "$tmp/plain" >/dev/null || fail "plain run exited $?"
    "$ADMF" run "$fx/signal_replay.yaml" --out "$tmp/first" --signals >/dev/null \
      || fail "run with --signals exited $?"
    sed "s#SIGNALS_DIR#$tmp/first#" "$fx/signal_replay_replayed.yaml" > "$tmp/replayed.yaml"
    "$ADMF" run "$tmp/replayed.yaml" --out "$tmp/replay" --signals >/dev/null \
      || fail "replay exited $?"
    for p in portfolio_two portfolio_mom; do
      [[ ! -e $tmp/plain/$p/signals.csv ]] || fail "$p: signals.csv written without --signals"
      # The flag adds a file and changes none.
      same_files "$tmp/plain/$p" "$tmp/first/$p" "$p: with --signals vs without"
      [[ $(wc -l < "$tmp/first/$p/trades.csv") -gt 100 ]] || fail "$p: too few trades to prove much"
      same_files "$tmp/first/$p" "$tmp/replay/$p" "$p: replay vs original"
      # Same ids, so the replay's own signals are the file it replayed.
      cmp -s "$tmp/first/$p/signals.csv" "$tmp/replay/$p/signals.csv" \
        || fail "$p: the replay's signals.csv differs from the original's"
    done
    # Both strategies of portfolio_two and both sides of the momentum one are in it.
    for want in ",sma_msft,MSFT,order,side,long," ",mr_spx,SPX,order,side,short," \
                ",mom_all,MSFT,order,side,short,"; do
      grep -q -- "$want" "$tmp/first/"*/signals.csv || fail "no row with $want"
    done
    ;;
  hand_written)
    # 10,000 of capital, 0.5 per share commission, 0.25 fixed slippage. Long at half
    # the allocation on 01-05: a budget of 5,000 buys 48 at the 01-06 open 102 + 0.25
    # (48 x 102.75 = 4,932 with commission; 49 would be 5,034.75), commission 24, cash
    # 5,068. Flat on 01-07: 48 sold at the 01-08 open 106 - 0.25 = 105.75, commission 24:
    # pnl 48 x 3.5 - 48 = 120, cash 10,120. Long 30 units on 01-08: bought at the 01-11
    # open 104.25, commission 15, cash 6,977.5; held at the last close, 102:
    # unrealized 30 x (102 - 104.25) - 15 = -82.5, equity 6,977.5 + 3,060 = 10,037.5.
    "$ADMF" run "$fx/signal_hand.yaml" --out "$tmp/out" >/dev/null || fail "run exited $?"
    expect_file "$tmp/out/hand/trades.csv" <<'EOF'
trade_id,strategy,symbol,side,quantity,entry_time,entry_price,exit_time,exit_price,commission,borrow_fee,dividends,pnl
1,by_hand,XYZ,long,48,2021-01-06,102.25,2021-01-08,105.75,48,0,0,120
EOF
    expect_file "$tmp/out/hand/positions.csv" <<'EOF'
strategy,symbol,side,quantity,entry_time,entry_price,last_price,unrealized_pnl
by_hand,XYZ,long,30,2021-01-11,104.25,102,-82.5
EOF
    expect_file "$tmp/out/hand/equity.csv" <<'EOF'
time,equity,cash,gross_exposure,net_exposure
2021-01-04,10000,10000,0,0
2021-01-05,10000,10000,0,0
2021-01-06,10012,5068,4944,4944
2021-01-07,10108,5068,5040,5040
2021-01-08,10120,10120,0,0
2021-01-11,10007.5,6977.5,3030,3030
2021-01-12,10037.5,6977.5,3060,3060
EOF
    ;;
  hand_orders)
    # The order model through a replay, on the same bars and costs (per share 0.5, fixed
    # slippage 0.25 on market and stop fills, none on limits):
    # 01-04: long 20, limit 99.5, DAY: 01-05 dips to 99: 20 @ 99.5, commission 10, cash 8,000.
    # 01-05: target 30 units, limit 100, DAY: 10 more; 01-06's low is 101: expired at 01-07.
    # 01-07: flat with a stop 104.5: 01-08 opens 106 and falls to 104: 104.5 - 0.25 = 104.25,
    #        commission 10, cash 10,075; pnl 20 x 4.75 - 20 = 75.
    # 01-08: long 10 with a bracket (stop-loss 101, take-profit 106): 01-11 opens 104 ->
    #        104.25, commission 5, cash 9,027.5; the legs work from 01-12.
    # 01-11: replace the stop: 100.5 (the old leg cancelled, replaced). 01-12 (101..100..103):
    #        the stop sells at 100.5 - 0.25 = 100.25, commission 5, cash 10,025; the
    #        take-profit is cancelled (oco); pnl 10 x -4 - 10 = -50.
    cat > "$tmp/orders.csv" <<EOF
$header
2021-01-04,by_hand,XYZ,order,side,long,,20,limit,99.5,,,,day,,,
2021-01-05,by_hand,XYZ,order,quantity,,,30,limit,100,,,,day,,,
2021-01-07,by_hand,XYZ,order,side,flat,,,stop,,104.5,,,,,,
2021-01-08,by_hand,XYZ,order,side,long,,10,market,,,,,,,101,106
2021-01-11,by_hand,XYZ,replace,,,,,,,100.5,,,,,,
EOF
    hand_config "$tmp/orders.csv"
    "$ADMF" run "$tmp/hand.yaml" --out "$tmp/out" >/dev/null || fail "run exited $?"
    expect_file "$tmp/out/hand/trades.csv" <<'EOF'
trade_id,strategy,symbol,side,quantity,entry_time,entry_price,exit_time,exit_price,commission,borrow_fee,dividends,pnl
1,by_hand,XYZ,long,20,2021-01-05,99.5,2021-01-08,104.25,20,0,0,75
2,by_hand,XYZ,long,10,2021-01-11,104.25,2021-01-12,100.25,10,0,0,-50
EOF
    expect_file "$tmp/out/hand/equity.csv" <<'EOF'
time,equity,cash,gross_exposure,net_exposure
2021-01-04,10000,10000,0,0
2021-01-05,10020,8000,2020,2020
2021-01-06,10060,8000,2060,2060
2021-01-07,10100,8000,2100,2100
2021-01-08,10075,10075,0,0
2021-01-11,10037.5,9027.5,1010,1010
2021-01-12,10025,10025,0,0
EOF
    python3 - "$tmp/out/hand/metrics.json" <<'EOF' || fail "cancellations in metrics.json"
import json, sys
cancelled = json.load(open(sys.argv[1]))["cancelled"]
assert cancelled == {"expired": 1, "replaced": 1, "oco": 1}, cancelled
EOF
    ;;
  bad_row)
    printf '%s\n%s\n%s\n' "$header" "2021-01-05,by_hand,XYZ,order,side,long,,,,,,,,,,," \
      "2021-01-07,by_hand,XYZ,order,side,flat,,,mkt,,,,,,,," > "$tmp/bad.csv"
    hand_config "$tmp/bad.csv"
    set +e
    "$ADMF" run "$tmp/hand.yaml" --out "$tmp/out" >/dev/null 2>"$tmp/stderr"
    rc=$?
    set -e
    [[ $rc -eq 2 ]] || fail "exit $rc, expected 2: $(cat "$tmp/stderr")"
    expect_file "$tmp/stderr" <<EOF
error: $tmp/bad.csv:3: type: unknown value 'mkt' (one of: market, limit, stop, stop_limit, trailing_stop, market_on_close) (plugin 'signal_file')
EOF
    [[ ! -e $tmp/out ]] || fail "something was written"
    ;;
  no_bar)
    # 2021-01-09 is a Saturday: XYZ has no bar then, so the row can never be replayed.
    printf '%s\n%s\n%s\n' "$header" "2021-01-05,by_hand,XYZ,order,side,long,,,,,,,,,,," \
      "2021-01-09,by_hand,XYZ,order,side,flat,,,,,,,,,,," > "$tmp/weekend.csv"
    hand_config "$tmp/weekend.csv"
    set +e
    "$ADMF" run "$tmp/hand.yaml" --out "$tmp/out" --signals >/dev/null 2>&1
    rc=$?
    set -e
    [[ $rc -eq 3 ]] || fail "exit $rc, expected 3 (the portfolio stopped)"
    [[ $(ls "$tmp/out/hand") == error.txt ]] || fail "hand/ holds $(ls "$tmp/out/hand" | tr '\n' ' ')"
    grep -qF "$tmp/weekend.csv:3: no bar at 2021-01-09 for this strategy: the row cannot be replayed" \
      "$tmp/out/hand/error.txt" || fail "error.txt: $(cat "$tmp/out/hand/error.txt")"
    ;;
  *)
    fail "unknown case"
    ;;
esac
