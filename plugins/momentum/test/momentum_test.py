#!/usr/bin/env python3
"""momentum plugin through the real admf CLI on the S&P 500 data.

An independent restatement of the rule (plugins/momentum/README.md), standard library
only, must produce exactly the SIGNAL events admf prints and the round trips admf
writes to trades.csv. Bad params must stop the run with one line naming the key.

  ADMF=build/admf momentum_test.py CASE     (from the repo root)
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from plugin_test_support import (  # noqa: E402  (plugins/plugin_test_support.py)
    bad_params_config, compare, expected_trades, fail, load_closes, main, printed_signals,
    read_trades, run)

DATA = "data/sp500_2000_daily_ohlcv.csv"


def momentum_signals(dates, closes, lookback, threshold, allow_short):
    """[(date, target)]: the README's rule, written from the text, not from momentum.cpp."""
    out, target = [], "FLAT"
    for t in range(lookback, len(closes)):
        roc = closes[t] / closes[t - lookback] - 1.0
        want = target
        if roc > threshold:
            want = "LONG"
        elif roc < -threshold:
            want = "SHORT" if allow_short else "FLAT"
        if want != target:
            out.append((dates[t], want))
            target = want
    return out


# Two portfolios: the long / flat rule, and the long / short rule with a threshold.
SETUPS = {
    "p_flat": dict(lookback=20, threshold=0.0, allow_short=False),
    "p_short": dict(lookback=5, threshold=0.01, allow_short=True),
}


def signals_and_trades_case(tmp):
    portfolios = "".join(
        f"  - id: {pid}\n    initial_capital: 100000\n    strategies:\n"
        f"      - {{id: {pid}_mom, plugin: momentum, params: {{lookback: {s['lookback']}, "
        f"threshold: {s['threshold']}, allow_short: {int(s['allow_short'])}}}}}\n"
        for pid, s in SETUPS.items())
    _, p = run(f"name: momentum_test\ndata: {{csv: {DATA}, symbol: SPX}}\n"
               f"trace_settings: {{console: [SIGNAL]}}\nportfolios:\n{portfolios}", tmp)
    if p.returncode != 0:
        fail(f"admf exited {p.returncode}: {p.stderr.strip()}")
    dates, closes = load_closes(DATA)
    for pid, s in SETUPS.items():
        want = momentum_signals(dates, closes, **s)
        got = printed_signals(p.stderr, f"{pid}/{pid}_mom")
        # Guard against a vacuous pass: the data must exercise every target.
        kinds = {t for _, t in want}
        if len(want) < 100 or kinds != ({"LONG", "SHORT"} if s["allow_short"] else {"LONG", "FLAT"}):
            fail(f"{pid}: the reference rule gives too few or one-sided signals: {len(want)}")
        compare(f"{pid}: signal", want, got, " signals")
        print(f"OK {pid}: {len(got)} signals equal the reference")
    # Long / flat: every round trip follows from the signals alone.
    want = expected_trades(momentum_signals(dates, closes, **SETUPS["p_flat"]), dates)
    got = read_trades(os.path.join(tmp, "out", "p_flat", "trades.csv"))
    compare("p_flat: trade", want, got, " trades")
    print(f"OK p_flat: {len(got)} round trips equal the reference")


# Bad params: (params block, line of the key at fault — a missing key: the params map —,
# key, words the message must hold)
BAD = {
    "lookback_zero": ("lookback: 0", 12, "lookback", "whole number"),
    "lookback_fraction": ("lookback: 2.5", 12, "lookback", "whole number"),
    "lookback_missing": ("threshold: 0.1", 12, "lookback", "missing"),
    "threshold_negative": ("lookback: 5\n          threshold: -0.01", 13, "threshold", ">= 0"),
    "allow_short_two": ("lookback: 5\n          allow_short: 2", 13, "allow_short", "0 or 1"),
    "unknown_param": ("lookback: 5\n          lookbak: 6", 13, "lookbak", "unknown"),
}


def bad_config(params):
    return bad_params_config("momentum_bad", [f"csv: {DATA}", "symbol: SPX"], "momentum", params)


if __name__ == "__main__":
    main("signals_and_trades", {"signals_and_trades": signals_and_trades_case},
         BAD, bad_config)
