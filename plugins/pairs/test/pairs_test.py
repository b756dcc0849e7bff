#!/usr/bin/env python3
"""pairs plugin through the real admf CLI on the Dow Jones closes (MRK against JNJ).

An independent restatement of the rule (plugins/pairs/README.md), standard library
only, must produce exactly the SIGNAL events admf prints, also where one leg has no
price, and both legs' round trips in trades.csv, each sized from half the allocation.
An unknown symbol stops the portfolio naming the param; bad params stop the run.

  ADMF=build/admf pairs_test.py CASE     (from the repo root)
"""
import csv
import math
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from plugin_test_support import (  # noqa: E402  (plugins/plugin_test_support.py)
    bad_params_config, compare, fail, main, printed_signals, run)

DATA = "data/dowjones30_1991_2001_daily_close.csv"
# MRK ≈ 1.6-1.8 × JNJ over the decade: the most correlated pair of the file's 30.
SETUP = dict(a="MRK", b="JNJ", hedge=1.7, window=60, entry_z=2.0, exit_z=0.5)
CAPITAL = 100000


def load_wide(path, symbols):
    """[(date, {symbol: close})], leaving out empty and NA cells as admf's loader does."""
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            rows.append((r["date"], {s: float(r[s]) for s in symbols if r[s] not in ("", "NA")}))
    return rows


def pairs_signals(rows, a, b, hedge, window, entry_z, exit_z):
    """[(date, symbol, target)] from the README's rule, both legs, A first."""
    legs = {"long": ("LONG", "SHORT"), "short": ("SHORT", "LONG"), "flat": ("FLAT", "FLAT")}
    out, side, spreads = [], "flat", []
    for date, px in rows:
        if a not in px or b not in px:
            continue  # no spread without both prices
        spread = px[a] - hedge * px[b]
        spreads = (spreads + [spread])[-window:]
        if len(spreads) < window or all(s == spreads[0] for s in spreads):
            continue
        total = 0.0
        for s in spreads:  # left to right: Python 3.12's sum() compensates, C++ does not
            total += s
        mean = total / window
        squares = 0.0
        for s in spreads:
            squares += (s - mean) * (s - mean)
        z = (spread - mean) / math.sqrt(squares / window)
        want = side
        if z > entry_z:
            want = "short"
        elif z < -entry_z:
            want = "long"
        elif abs(z) < exit_z:
            want = "flat"
        if want != side:
            out += [(date, a, legs[want][0]), (date, b, legs[want][1])]
            side = want
    return out


def expected_trades(signals, rows):
    """Round trips (symbol, side, entry, exit): a signal acts at the symbol's next bar,
    one on its last bar never; open positions at the end are not round trips."""
    following = {}
    for sym in {s for _, s, _ in signals}:
        dates = [d for d, px in rows if sym in px]
        following[sym] = dict(zip(dates, dates[1:]))
    trades, held = [], {}
    for date, sym, target in signals:
        fill = following[sym].get(date)
        if fill is None:
            continue
        if sym in held and held[sym][0] != target.lower():
            trades.append((sym, held[sym][0], held[sym][1], fill))
            del held[sym]
        if target != "FLAT" and sym not in held:
            held[sym] = (target.lower(), fill)
    return sorted(trades, key=lambda t: (t[2], t[3], t[0]))


def config(csv_path, symbols, setup, extra=""):
    s = setup
    return (f"name: pairs_test\n"
            f"data: {{csv: {csv_path}, format: wide, symbols: [{', '.join(symbols)}]}}\n"
            # Its short leg needs a margin account (a cash account refuses short sales).
            f"account: {{type: margin, leverage: 1}}\n"
            f"trace_settings: {{console: [SIGNAL]}}\n{extra}portfolios:\n"
            f"  - id: p_pairs\n    initial_capital: {CAPITAL}\n    strategies:\n"
            f"      - {{id: pairs_1, plugin: pairs, params: {{symbol_a: {s['a']}, symbol_b: {s['b']}, "
            f"hedge_ratio: {s['hedge']}, window: {s['window']}, entry_z: {s['entry_z']}, "
            f"exit_z: {s['exit_z']}}}}}\n")


def run_ok(tmp, csv_path, symbols, setup):
    _, p = run(config(csv_path, symbols, setup), tmp)
    if p.returncode != 0:
        fail(f"admf exited {p.returncode}: {p.stderr.strip()}")
    return p


def signals_case(tmp):
    # KO rides along: the strategy must find its two symbols, not assume indices 0 and 1.
    symbols = ["KO", "JNJ", "MRK"]
    p = run_ok(tmp, DATA, symbols, SETUP)
    want = pairs_signals(load_wide(DATA, symbols), **SETUP)
    if len(want) < 100 or {t for _, _, t in want} != {"LONG", "SHORT", "FLAT"}:
        fail(f"the reference rule gives too few or one-sided signals: {len(want)}")
    compare("signal", want, printed_signals(p.stderr, "p_pairs/pairs_1", with_symbol=True))
    print(f"OK signals: {len(want)} signals (both legs) equal the reference")


def gaps_case(tmp):
    """The same file with holes punched in each leg (and an NA): timestamps where either
    leg is missing must neither extend the window nor decide anything."""
    rows = load_wide(DATA, ["MRK", "JNJ"])
    path = os.path.join(tmp, "gaps.csv")
    with open(path, "w") as f:
        f.write("date,MRK,JNJ\n")
        for i, (date, px) in enumerate(rows):
            mrk = "" if i % 11 == 5 else "NA" if i % 97 == 3 else px["MRK"]
            jnj = "" if i % 7 == 2 else px["JNJ"]
            f.write(f"{date},{mrk},{jnj}\n")
    setup = dict(SETUP, window=20)
    p = run_ok(tmp, path, ["MRK", "JNJ"], setup)
    gappy = load_wide(path, ["MRK", "JNJ"])
    want = pairs_signals(gappy, **setup)
    # Not vacuous: the holes do change the decisions.
    if want == pairs_signals([r for r in rows], **setup) or len(want) < 100:
        fail("the holes change nothing: the case tests nothing")
    compare("signal", want, printed_signals(p.stderr, "p_pairs/pairs_1", with_symbol=True))
    print(f"OK gaps: {len(want)} signals equal the reference with "
          f"{sum(1 for _, px in gappy if len(px) < 2)} one-legged timestamps skipped")


def trades_case(tmp):
    """Both legs trade on every spread signal, each from half the allocation."""
    symbols = ["MRK", "JNJ"]
    run_ok(tmp, DATA, symbols, SETUP)
    rows = load_wide(DATA, symbols)
    want = expected_trades(pairs_signals(rows, **SETUP), rows)
    with open(os.path.join(tmp, "out", "p_pairs", "trades.csv"), newline="") as f:
        got_rows = list(csv.DictReader(f))
    got = sorted(((r["symbol"], r["side"], r["entry_time"], r["exit_time"]) for r in got_rows),
                 key=lambda t: (t[2], t[3], t[0]))
    compare("trade", want, got)
    # The first entry of each leg: cash = equity = CAPITAL, so strength 0.5 buys (or
    # sells) floor(CAPITAL × 0.5 / price) units at the next close (open = close here).
    first = {}
    for r in got_rows:
        if r["symbol"] not in first or r["entry_time"] < first[r["symbol"]]["entry_time"]:
            first[r["symbol"]] = r
    for sym, r in sorted(first.items()):
        units = math.floor(CAPITAL * 0.5 / float(r["entry_price"]))
        if float(r["quantity"]) != units:
            fail(f"{sym}: first entry {r['entry_time']} sized {r['quantity']}, "
                 f"half the allocation buys {units}")
    print(f"OK trades: {len(want)} round trips of both legs equal the reference, "
          f"first entries sized from half the allocation")


def unknown_symbol_case(tmp):
    setup = dict(SETUP, a="XOM")
    _, p = run(config(DATA, ["MRK", "JNJ"], setup, "supervision: {on_failure: stop_portfolio}\n"), tmp)
    error = os.path.join(tmp, "out", "p_pairs", "error.txt")
    if p.returncode != 3 or not os.path.exists(error):
        fail(f"want exit 3 and {error}, got exit {p.returncode}: {p.stderr.strip()}")
    with open(error) as f:
        text = f.read()
    if "symbol_a: no symbol 'XOM'" not in text:
        fail(f"error.txt does not name the param and symbol: {text!r}")
    print(f"OK unknown_symbol: {text.strip()}")


# Bad params: (params block, config line at fault — for a missing key the params map —,
# key, words the message must hold)
BAD = {
    "symbol_a_missing": ("symbol_b: JNJ\n          window: 5", 13, "symbol_a", "required"),
    "same_symbols": ("symbol_a: JNJ\n          symbol_b: JNJ\n          window: 5", 14, "symbol_b",
                     "differ"),
    "hedge_ratio_zero": ("symbol_a: MRK\n          symbol_b: JNJ\n          window: 5\n"
                         "          hedge_ratio: 0", 16, "hedge_ratio", "> 0"),
    "window_one": ("symbol_a: MRK\n          symbol_b: JNJ\n          window: 1", 15, "window",
                   "whole number"),
    "exit_z_not_below_entry": ("symbol_a: MRK\n          symbol_b: JNJ\n          window: 5\n"
                               "          entry_z: 1\n          exit_z: 1", 17, "exit_z",
                               "less than entry_z"),
    "unknown_param": ("symbol_a: MRK\n          symbol_b: JNJ\n          window: 5\n"
                      "          hedge: 2", 16, "hedge", "unknown"),
}


def bad_config(params):
    return bad_params_config("pairs_bad", [f"csv: {DATA}", "format: wide", "symbols: [MRK, JNJ]"],
                             "pairs", params)


if __name__ == "__main__":
    main("signals", {"signals": signals_case, "gaps": gaps_case, "trades": trades_case,
                     "unknown_symbol": unknown_symbol_case}, BAD, bad_config)
