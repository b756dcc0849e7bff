#!/usr/bin/env python3
"""momentum plugin through the real admf CLI on the S&P 500 data.

An independent restatement of the rule (plugins/momentum/README.md), standard library
only, must produce exactly the SIGNAL events admf prints and the round trips admf
writes to trades.csv. Bad params must stop the run with one line naming the key.

  ADMF=build/admf momentum_test.py CASE     (from the repo root)
"""
import csv
import os
import re
import subprocess
import sys
import tempfile

ADMF = os.environ["ADMF"]
DATA = "data/sp500_2000_daily_ohlcv.csv"


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def load_closes(path):
    """(dates, closes) of a daily OHLCV file; float() rounds as admf's parser does."""
    with open(path, newline="") as f:
        rows = csv.DictReader(f)
        pairs = [(r["date"], float(r["close"])) for r in rows]
    return [d for d, _ in pairs], [c for _, c in pairs]


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


def expected_trades(signals, dates):
    """Round trips (side, entry, exit): a signal acts at the next bar's open; one on the
    last bar is never filled; a position still open at the end is not a round trip."""
    following = dict(zip(dates, dates[1:]))
    trades, held = [], None
    for date, target in signals:
        fill = following.get(date)
        if fill is None:
            continue
        if held and held[0] != target.lower():
            trades.append((held[0], held[1], fill))
            held = None
        if target != "FLAT" and held is None:
            held = (target.lower(), fill)
    return trades


def run(config_text, tmp, command="run"):
    cfg = os.path.join(tmp, "config.yaml")
    with open(cfg, "w") as f:
        f.write(config_text)
    args = [ADMF, command, cfg] + (["--out", os.path.join(tmp, "out")] if command == "run" else [])
    p = subprocess.run(args, capture_output=True, text=True)
    return cfg, p


def printed_signals(stderr, container):
    """The console's SIGNAL lines of one strategy container: [(date, target)]."""
    pattern = re.compile(r"^(\S+) +SIGNAL +" + re.escape(container) + r" +(\S+) (LONG|SHORT|FLAT)$")
    return [(m.group(1), m.group(3)) for m in map(pattern.match, stderr.splitlines()) if m]


def read_trades(path):
    with open(path, newline="") as f:
        return [(r["side"], r["entry_time"], r["exit_time"]) for r in csv.DictReader(f)]


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
        if got != want:
            first = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
            fail(f"{pid}: signal {first + 1}: reference {want[first:first + 1]} admf {got[first:first + 1]} "
                 f"({len(want)} vs {len(got)} signals)")
        print(f"OK {pid}: {len(got)} signals equal the reference")
    # Long / flat: every round trip follows from the signals alone.
    want = expected_trades(momentum_signals(dates, closes, **SETUPS["p_flat"]), dates)
    got = read_trades(os.path.join(tmp, "out", "p_flat", "trades.csv"))
    if got != want:
        first = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
        fail(f"p_flat: trade {first + 1}: reference {want[first:first + 1]} admf {got[first:first + 1]} "
             f"({len(want)} vs {len(got)} trades)")
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


def bad_params_case(tmp, case):
    params, line, key, words = BAD[case]
    text = ("name: momentum_bad\ndata:\n  csv: " + DATA + "\n  symbol: SPX\nportfolios:\n"
            "  - id: p1\n    initial_capital: 100000\n    strategies:\n      - id: s1\n"
            "        plugin: momentum\n        params:\n          " + params + "\n")
    for command in ("validate", "run"):
        cfg, p = run(text, tmp, command)
        lines = p.stderr.strip().splitlines()
        where = f"error: {cfg}:{line}: portfolios[0].strategies[0].params.{key}: "
        if p.returncode != 2 or len(lines) != 1 or not lines[0].startswith(where) or words not in lines[0]:
            fail(f"{command}: want exit 2 and one line '{where}...{words}...', got exit "
                 f"{p.returncode}: {p.stderr.strip()!r}")
        if os.path.exists(os.path.join(tmp, "out")):
            fail(f"{command}: results written despite bad params")
    print(f"OK {case}: {lines[0]}")


def main():
    case = sys.argv[1] if len(sys.argv) > 1 else "signals_and_trades"
    with tempfile.TemporaryDirectory() as tmp:
        if case == "signals_and_trades":
            signals_and_trades_case(tmp)
        elif case in BAD:
            bad_params_case(tmp, case)
        else:
            fail(f"unknown case {case}")


if __name__ == "__main__":
    main()
