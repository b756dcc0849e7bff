#!/usr/bin/env python3
"""mean_reversion plugin through the real admf CLI.

An independent restatement of the rule (plugins/mean_reversion/README.md), standard
library only, must produce exactly the SIGNAL events admf prints on the S&P 500 data
and the round trips admf writes to trades.csv; a 12-bar series checks the rule itself
against signals worked out by hand. Bad params stop the run with one line naming the key.

  ADMF=build/admf mean_reversion_test.py CASE     (from the repo root)
"""
import math
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from plugin_test_support import (  # noqa: E402  (plugins/plugin_test_support.py)
    bad_params_config, compare, expected_trades, fail, load_closes, main, printed_signals,
    read_trades, run)

DATA = "data/sp500_2000_daily_ohlcv.csv"


def micro(price):
    """Nearest integer micro-unit, halves away from zero (C's llround, not Python's round)."""
    v = price * 1e6
    whole = math.floor(v)
    return whole + 1 if v - whole >= 0.5 else whole


def mean_reversion_signals(dates, closes, window, entry_z, exit_z):
    """[(date, target)] from the README's rule, with exact integer window statistics."""
    p = [micro(c) for c in closes]
    out, target = [], "FLAT"
    for t in range(window - 1, len(p)):
        w = p[t - window + 1:t + 1]
        s, q = sum(w), sum(x * x for x in w)  # Python ints: exact
        spread_sq = window * q - s * s        # window² × variance
        if spread_sq == 0:
            continue
        z = float(window * p[t] - s) / math.sqrt(float(spread_sq))
        if z < -entry_z:
            want = "LONG"
        elif z > entry_z:
            want = "SHORT"
        elif target == "LONG" and z >= -exit_z:
            want = "FLAT"
        elif target == "SHORT" and z <= exit_z:
            want = "FLAT"
        else:
            want = target
        if want != target:
            out.append((dates[t], want))
            target = want
    return out


def config(data_line, setups):
    portfolios = "".join(
        f"  - id: {pid}\n    initial_capital: 100000\n    strategies:\n"
        f"      - {{id: {pid}_mr, plugin: mean_reversion, params: {{window: {s['window']}, "
        f"entry_z: {s['entry_z']}, exit_z: {s['exit_z']}}}}}\n"
        for pid, s in setups.items())
    return (f"name: mean_reversion_test\n{data_line}\n"
            # It sells short: a margin account (a cash account refuses short sales).
            f"account: {{type: margin, leverage: 1}}\n"
            f"trace_settings: {{console: [SIGNAL]}}\nportfolios:\n{portfolios}")


# p_slow never goes from one side straight to the other on this data, so its round
# trips follow from its signals alone; p_fast flips 41 times (signals checked only:
# how a flip is sized is the portfolio's business).
SETUPS = {
    "p_slow": dict(window=20, entry_z=2.0, exit_z=0.5),
    "p_fast": dict(window=10, entry_z=1.5, exit_z=0.0),
}


def signals_and_trades_case(tmp):
    _, p = run(config(f"data: {{csv: {DATA}, symbol: SPX}}", SETUPS), tmp)
    if p.returncode != 0:
        fail(f"admf exited {p.returncode}: {p.stderr.strip()}")
    dates, closes = load_closes(DATA)
    for pid, s in SETUPS.items():
        want = mean_reversion_signals(dates, closes, **s)
        if len(want) < 100 or {t for _, t in want} != {"LONG", "SHORT", "FLAT"}:
            fail(f"{pid}: the reference rule gives too few or one-sided signals: {len(want)}")
        compare(f"{pid}: signal", want, printed_signals(p.stderr, f"{pid}/{pid}_mr"))
        print(f"OK {pid}: {len(want)} signals equal the reference")
    want = expected_trades(mean_reversion_signals(dates, closes, **SETUPS["p_slow"]), dates)
    if {side for side, _, _ in want} != {"long", "short"}:
        fail("p_slow: the reference has no long or no short round trip")
    compare("p_slow: trade", want, read_trades(os.path.join(tmp, "out", "p_slow", "trades.csv")))
    print(f"OK p_slow: {len(want)} round trips equal the reference")


def hand_worked_case(tmp):
    """window 3, entry 1.2, exit 0.2 (z = (close − mean) / population std):
    bars 0-3 all 10: std 0, no decision; bar 4 [10,10,7]: z = −2/√2 = −1.414 → LONG;
    bar 5 [10,7,8]: z = −0.267, still below −0.2 → hold; bar 6 [7,8,9]: z = 1/√(2/3) =
    1.225 > 1.2 → SHORT straight from long; bar 7 [8,9,12]: 1.373 → hold; bar 8 [9,12,14]:
    1.136 → hold (above 0.2); bar 9 [12,14,11]: −1.069 ≤ 0.2 → FLAT; bar 10 [14,11,10]:
    −0.981 → nothing; bar 11 [11,10,9]: −1.225 < −1.2 → LONG."""
    closes = [10, 10, 10, 10, 7, 8, 9, 12, 14, 11, 10, 9]
    dates = [f"2001-01-{d:02d}" for d in range(1, len(closes) + 1)]
    path = os.path.join(tmp, "series.csv")
    with open(path, "w") as f:
        f.write("date,open,high,low,close,volume\n")
        f.writelines(f"{d},{c},{c},{c},{c},0\n" for d, c in zip(dates, closes))
    by_hand = [(dates[4], "LONG"), (dates[6], "SHORT"), (dates[9], "FLAT"), (dates[11], "LONG")]
    setup = dict(window=3, entry_z=1.2, exit_z=0.2)
    compare("reference signal", by_hand, mean_reversion_signals(dates, [float(c) for c in closes], **setup))
    _, p = run(config(f"data: {{csv: {path}, symbol: X}}", {"p_hand": setup}), tmp)
    if p.returncode != 0:
        fail(f"admf exited {p.returncode}: {p.stderr.strip()}")
    compare("admf signal", by_hand, printed_signals(p.stderr, "p_hand/p_hand_mr"))
    print(f"OK hand_worked: {len(by_hand)} signals as worked out by hand")


# Bad params: (params block, config line at fault — for a missing key the params map —,
# key, words the message must hold)
BAD = {
    "window_one": ("window: 1", 12, "window", "whole number"),
    "window_fraction": ("window: 7.5", 12, "window", "whole number"),
    "window_missing": ("entry_z: 2", 12, "window", "missing"),
    "entry_z_zero": ("window: 5\n          entry_z: 0", 13, "entry_z", "> 0"),
    "exit_z_negative": ("window: 5\n          exit_z: -0.5", 13, "exit_z", ">= 0"),
    "exit_z_not_below_entry": ("window: 5\n          entry_z: 1.5\n          exit_z: 1.5", 14,
                               "exit_z", "less than entry_z"),
    "unknown_param": ("window: 5\n          entry: 2", 13, "entry", "unknown"),
}


def bad_config(params):
    return bad_params_config("mean_reversion_bad", [f"csv: {DATA}", "symbol: SPX"],
                             "mean_reversion", params)


if __name__ == "__main__":
    main("signals_and_trades",
         {"signals_and_trades": signals_and_trades_case, "hand_worked": hand_worked_case},
         BAD, bad_config)
