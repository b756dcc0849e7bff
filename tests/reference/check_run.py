#!/usr/bin/env python3
"""Checks one admf portfolio's results against the independent reference backtest.

Runs reference_backtest on the same CSV and strategy, then compares with
RESULTS/metrics.json, RESULTS/equity.csv and RESULTS/trades.csv: values, columns,
time texts, and that every number is written as reference_backtest.number_text writes
it. Exit 0 when they agree, 1 with a one-line description of the first difference
otherwise.

  check_run.py --csv data/sp500_2000_daily_ohlcv.csv --strategy sma_crossover \
      --fast 10 --slow 30 --capital 100000 --results out/run/portfolio_id
"""
import argparse
import csv
import json
import math
import os
import sys

# Importing the sibling module must not leave a __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_backtest  # noqa: E402  (needs the path above)

REL_TOL = 1e-9
# Quantities that are mathematically 0 (e.g. a flat total return) come out as a few
# ulps of noise whose relative difference means nothing.
ABS_TOL = 1e-12


class Mismatch(Exception):
    pass


def same_number(a, b):
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def expect_equal(what, ref, got):
    if ref != got:
        raise Mismatch(f"{what}: reference {ref!r} != admf {got!r}")


def expect_close(what, ref, got):
    if not same_number(ref, got):
        raise Mismatch(f"{what}: reference {ref!r} != admf {got!r}")


def number(what, text):
    """The value of a number's text, which must be the one way admf writes that value."""
    value = float(text)
    expect_equal(f"{what} text", reference_backtest.number_text(value), text)
    return value


def read_csv(path, header):
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in header if c not in (reader.fieldnames or [])]
        if missing:
            raise Mismatch(f"{path}: header lacks {', '.join(missing)}")
        return list(reader)


class Raw(str):
    """A JSON number kept as the text admf wrote."""


def compare_metrics(ref, path):
    with open(path) as f:
        got = json.load(f, parse_float=Raw, parse_int=Raw)
    for key in reference_backtest.METRIC_KEYS:
        if key not in got:
            raise Mismatch(f"metrics.{key}: missing from {path}")
        r, g = ref[key], got[key]
        if isinstance(g, Raw):
            g = number(f"metrics.{key}", g)
        if r is None or g is None or key in ("trades", "bars", "ruined", "ruined_at"):
            expect_equal(f"metrics.{key}", r, g)
        else:
            expect_close(f"metrics.{key}", r, g)


def compare_equity(ref, path):
    rows = read_csv(path, reference_backtest.EQUITY_COLUMNS)
    expect_equal("equity rows", len(ref), len(rows))
    for i, (ref_row, row) in enumerate(zip(ref, rows)):
        expect_equal(f"equity row {i + 1} columns", reference_backtest.EQUITY_COLUMNS,
                     list(row))
        expect_equal(f"equity row {i + 1} time", ref_row[0], row["time"])
        for column, value in zip(reference_backtest.EQUITY_COLUMNS[1:], ref_row[1:]):
            what = f"equity row {i + 1} ({ref_row[0]}) {column}"
            expect_close(what, value, number(what, row[column]))


def compare_trades(ref, path):
    rows = read_csv(path, ["side", "quantity", "entry_time", "entry_price", "exit_time",
                           "exit_price", "commission", "pnl"])
    expect_equal("trade count", len(ref), len(rows))
    for i, (trade, row) in enumerate(zip(ref, rows)):
        what = f"trade {i + 1} (entry {trade['entry_time']})"
        expect_equal(f"{what} side", "long", row["side"])
        expect_equal(f"{what} entry_time", trade["entry_time"], row["entry_time"])
        expect_equal(f"{what} exit_time", trade["exit_time"], row["exit_time"])
        for column in ("quantity", "entry_price", "exit_price", "pnl"):
            expect_close(f"{what} {column}", trade[column],
                         number(f"{what} {column}", row[column]))
        expect_equal(f"{what} commission", 0.0, number(f"{what} commission", row["commission"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    reference_backtest.add_arguments(parser)
    parser.add_argument("--results", required=True,
                        help="admf results directory of one portfolio (RUN_DIR/<portfolio_id>)")
    args = parser.parse_args()

    try:
        ref = reference_backtest.reference(args.csv, args.strategy, args.fast, args.slow,
                                           args.capital, args.periods_per_year,
                                           args.risk_free_rate)
        compare_metrics(ref["metrics"], os.path.join(args.results, "metrics.json"))
        compare_equity(ref["equity"], os.path.join(args.results, "equity.csv"))
        compare_trades(ref["trades"], os.path.join(args.results, "trades.csv"))
    except Mismatch as diff:
        print(f"MISMATCH {diff}")
        return 1
    except (OSError, ValueError) as err:
        print(f"MISMATCH cannot compare: {err}")
        return 1
    print(f"OK {args.results}: metrics, {len(ref['equity'])} equity rows and "
          f"{len(ref['trades'])} trades match the reference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
