"""Shared helpers of the plugin test scripts (plugins/*/test/*_test.py), standard library only.

Each script puts this directory on sys.path and imports what it needs; the
plugin-specific rules (signals, expected round trips, configs) stay in the scripts.
ADMF must name the admf executable.
"""
import csv
import os
import re
import subprocess
import sys
import tempfile

ADMF = os.environ["ADMF"]


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def load_closes(path):
    """(dates, closes) of a daily OHLCV file; float() rounds as admf's parser does."""
    with open(path, newline="") as f:
        pairs = [(r["date"], float(r["close"])) for r in csv.DictReader(f)]
    return [d for d, _ in pairs], [c for _, c in pairs]


def expected_trades(signals, dates):
    """Round trips (side, entry, exit) of one symbol: a signal acts at the next bar's open,
    one on the last bar never; a flip closes and reopens at the same open; a position
    still open at the end is not a round trip."""
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
    """Write config_text to tmp/config.yaml and run `admf COMMAND` on it (`run` writes
    its results to tmp/out): (config path, completed process)."""
    cfg = os.path.join(tmp, "config.yaml")
    with open(cfg, "w") as f:
        f.write(config_text)
    args = [ADMF, command, cfg] + (["--out", os.path.join(tmp, "out")] if command == "run" else [])
    return cfg, subprocess.run(args, capture_output=True, text=True)


def printed_signals(stderr, container, with_symbol=False):
    """The console's SIGNAL lines of one strategy container: [(date, target)], or
    [(date, symbol, target)] with with_symbol."""
    pattern = re.compile(r"^(\S+) +SIGNAL +" + re.escape(container) + r" +(\S+) (LONG|SHORT|FLAT)$")
    matches = [m for m in map(pattern.match, stderr.splitlines()) if m]
    if with_symbol:
        return [m.groups() for m in matches]
    return [(m.group(1), m.group(3)) for m in matches]


def read_trades(path):
    """trades.csv's round trips: [(side, entry_time, exit_time)]."""
    with open(path, newline="") as f:
        return [(r["side"], r["entry_time"], r["exit_time"]) for r in csv.DictReader(f)]


def first_difference(want, got):
    """Index of the first element where want and got differ (or the shorter length)."""
    return next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))


def compare(what, want, got, unit=""):
    """fail() naming the first difference unless got == want; unit follows the counts."""
    if got != want:
        i = first_difference(want, got)
        fail(f"{what} {i + 1}: reference {want[i:i + 1]} admf {got[i:i + 1]} "
             f"({len(want)} vs {len(got)}{unit})")


def bad_params_case(tmp, case, config_text, line, key, words):
    """Both `admf validate` and `admf run` on config_text must exit 2 with one line
    naming the config line and params key at fault and holding words, and write no
    results."""
    for command in ("validate", "run"):
        cfg, p = run(config_text, tmp, command)
        lines = p.stderr.strip().splitlines()
        where = f"error: {cfg}:{line}: portfolios[0].strategies[0].params.{key}: "
        if p.returncode != 2 or len(lines) != 1 or not lines[0].startswith(where) or words not in lines[0]:
            fail(f"{command}: want exit 2 and one line '{where}...{words}...', got exit "
                 f"{p.returncode}: {p.stderr.strip()!r}")
        if os.path.exists(os.path.join(tmp, "out")):
            fail(f"{command}: results written despite bad params")
    print(f"OK {case}: {lines[0]}")


def bad_params_config(name, data_lines, plugin, params):
    """A config of one portfolio p1 with one strategy s1 of plugin, params the block under
    `params:` (its first key on line 12 when data_lines is two lines)."""
    return (f"name: {name}\ndata:\n" + "".join(f"  {d}\n" for d in data_lines) + "portfolios:\n"
            "  - id: p1\n    initial_capital: 100000\n    strategies:\n      - id: s1\n"
            f"        plugin: {plugin}\n        params:\n          " + params + "\n")


def main(default, cases, bad, bad_config):
    """Run the case argv[1] names (default: default) in a fresh temporary directory: one of
    cases {name: function(tmp)}, or one of bad {name: (params block, line, key, words)},
    checked by bad_params_case on bad_config(params block)."""
    case = sys.argv[1] if len(sys.argv) > 1 else default
    with tempfile.TemporaryDirectory() as tmp:
        if case in cases:
            cases[case](tmp)
        elif case in bad:
            params, line, key, words = bad[case]
            bad_params_case(tmp, case, bad_config(params), line, key, words)
        else:
            fail(f"unknown case {case}")
