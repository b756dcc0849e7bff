#!/usr/bin/env python3
"""Independent reference backtest for admf: one symbol, long-only, daily OHLCV CSV.

Standard library only, written straight from the rules rather than from admf's code,
so agreement between the two is evidence that both are right.

Rules:
- signals on bar t's close, filled at the open of t+1 (before t+1's close is marked);
  a signal on the last bar is never filled; commission and slippage are 0;
- sma_crossover: SMAs compared exactly as integer window sums of micro-unit closes
  (fast_sum * slow vs slow_sum * fast), so no rounding can create or hide a cross;
  cross-up while flat buys floor(cash / open) units, cross-down while long sells all;
- buy_and_hold: buys on the first bar's close signal, never sells;
- equity at each close = cash + qty * close; gross exposure |qty * close|, net qty * close;
- metrics per the empyrical conventions, computed two-pass (admf streams them with
  Welford: a different route to the same numbers); Sharpe and Sortino of the returns in
  excess of rf_p = (1 + rf)^(1/P) - 1 per period; once equity is <= 0 the run is ruined
  and every statistic built from returns is None; drawdown at most 1;
- times as the file writes them: dates when every bar is at midnight, else date-times;
  numbers as number_text writes them.

Prints JSON {"metrics": {...}, "trades": [...],
             "equity": [[time, equity, cash, gross_exposure, net_exposure], ...]}.
"""
import argparse
import csv
import datetime
import decimal
import json
import math
import sys

METRIC_KEYS = [
    "final_equity", "total_return", "cagr", "sharpe", "sortino", "max_drawdown",
    "calmar", "win_rate", "profit_factor", "trades", "exposure", "bars", "ruined", "ruined_at",
]

EQUITY_COLUMNS = ["time", "equity", "cash", "gross_exposure", "net_exposure"]


def number_text(x):
    """The text of a finite float in admf's files: Python's shortest repr digits, laid out
    like JavaScript's Number.prototype.toString (positional for 1e-6 <= |x| < 1e21), with
    printf's exponent (1e+21, 1e-07); -0.0 as 0."""
    if x == 0:
        return "0"
    sign, digits, exp = decimal.Decimal(repr(x)).normalize().as_tuple()
    digits = "".join(map(str, digits))
    point = len(digits) + exp  # digits before the decimal point
    lead = "-" if sign else ""
    if not -6 < point <= 21:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{lead}{mantissa}e{point - 1:+03d}"
    if point <= 0:
        return f"{lead}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return lead + digits + "0" * (point - len(digits))
    return f"{lead}{digits[:point]}.{digits[point:]}"


def time_texts(dates):
    """The bars' times as the result files write them: one format for the whole file."""
    times = [datetime.datetime.fromisoformat(d) for d in dates]
    daily = all(t.time() == datetime.time(0) for t in times)
    return [t.strftime("%Y-%m-%d" if daily else "%Y-%m-%d %H:%M:%S") for t in times]


def to_micro(text):
    return int(round(float(text) * 1e6))


def load_bars(path):
    """Rows of the CSV as dicts: date (text as written), open and close (float), close_micro."""
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader)]
        missing = [c for c in ("date", "open", "high", "low", "close") if c not in header]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        col = {name: header.index(name) for name in ("date", "open", "close")}
        bars = []
        for row in reader:
            if not row:
                continue
            bars.append({
                "date": row[col["date"]].strip(),
                "open": float(row[col["open"]]),
                "close": float(row[col["close"]]),
                "close_micro": to_micro(row[col["close"]]),
            })
    return bars


def sma_signals(bars, fast, slow):
    """Signal per bar index: 'buy' on a cross-up, 'sell' on a cross-down, else None."""
    signals = [None] * len(bars)
    closes = [b["close_micro"] for b in bars]
    side = None
    for t in range(slow - 1, len(bars)):
        fast_sum = sum(closes[t - fast + 1:t + 1])
        slow_sum = sum(closes[t - slow + 1:t + 1])
        cmp = fast_sum * slow - slow_sum * fast
        if side is None:
            # First bar with a slow SMA: it fixes the starting side and cannot signal.
            side = "above" if cmp > 0 else "below" if cmp < 0 else "equal_start"
            continue
        new_side = "above" if cmp > 0 else "below" if cmp < 0 else side
        if new_side == "above" and side in ("below", "equal_start"):
            signals[t] = "buy"
        elif new_side == "below" and side in ("above", "equal_start"):
            signals[t] = "sell"
        side = new_side
    return signals


def buy_and_hold_signals(bars):
    signals = [None] * len(bars)
    if bars:
        signals[0] = "buy"
    return signals


def run_backtest(bars, signals, capital):
    """Walks the bars; returns (equity [(time, equity, cash, gross, net)], exposed flags,
    trades)."""
    cash = capital
    qty = 0
    entry = None  # (date, price) of the open position
    pending = None  # signal from the previous close, filled at this open
    equity, exposed, trades = [], [], []
    for t, bar in enumerate(bars):
        if pending == "buy":
            units = math.floor(cash / bar["open"])
            if units > 0:
                qty = units
                cash -= qty * bar["open"]
                entry = (bar["time"], bar["open"])
        elif pending == "sell":
            cash += qty * bar["open"]
            trades.append({
                "entry_time": entry[0], "entry_price": entry[1],
                "exit_time": bar["time"], "exit_price": bar["open"],
                "quantity": qty, "pnl": (bar["open"] - entry[1]) * qty,
            })
            qty, entry = 0, None
        pending = None

        held = qty * bar["close"]
        equity.append((bar["time"], cash + held, cash, abs(held), held))
        exposed.append(qty > 0)

        # The position state at this close decides whether a signal acts.
        signal = signals[t]
        if (signal == "buy" and qty == 0) or (signal == "sell" and qty > 0):
            pending = signal
    return equity, exposed, trades


def compute_metrics(capital, times, values, exposed, pnls, periods_per_year, risk_free_rate):
    n = len(values)
    curve = [capital] + values
    final = curve[-1]
    ruin = next((i for i, e in enumerate(values) if e <= 0), None)

    cagr = None
    sharpe = None
    sortino = None
    if n > 0 and ruin is None:
        cagr = (final / capital) ** (periods_per_year / n) - 1
        rf_per_period = (1 + risk_free_rate) ** (1 / periods_per_year) - 1
        excess = [curve[i] / curve[i - 1] - 1 - rf_per_period for i in range(1, n + 1)]
        mean = sum(excess) / n
        if n >= 2:
            std = math.sqrt(sum((x - mean) ** 2 for x in excess) / (n - 1))
            if std != 0:
                sharpe = mean / std * math.sqrt(periods_per_year)
        downside = math.sqrt(sum(min(x, 0.0) ** 2 for x in excess) / n)
        if downside != 0:
            sortino = mean / downside * math.sqrt(periods_per_year)

    max_dd = 0.0
    peak = capital
    for e in values:
        peak = max(peak, e)
        max_dd = max(max_dd, min(1.0, (peak - e) / peak))

    calmar = cagr / max_dd if cagr is not None and max_dd != 0 else None

    wins = [p for p in pnls if p > 0]
    losses = [p for p in pnls if p < 0]
    gross_loss = -sum(losses)
    return {
        "final_equity": final,
        "total_return": final / capital - 1,
        "cagr": cagr,
        "sharpe": sharpe,
        "sortino": sortino,
        "max_drawdown": max_dd,
        "calmar": calmar,
        "win_rate": len(wins) / len(pnls) if pnls else None,
        "profit_factor": sum(wins) / gross_loss if gross_loss != 0 else None,
        "trades": len(pnls),
        "exposure": sum(exposed) / n if n else 0.0,
        "bars": n,
        "ruined": ruin is not None,
        "ruined_at": None if ruin is None else times[ruin],
    }


def reference(csv_path, strategy, fast, slow, capital, periods_per_year, risk_free_rate):
    bars = load_bars(csv_path)
    for bar, time in zip(bars, time_texts([b["date"] for b in bars])):
        bar["time"] = time
    if strategy == "sma_crossover":
        if not 1 <= fast <= slow:
            raise ValueError("sma_crossover needs 1 <= fast <= slow")
        signals = sma_signals(bars, fast, slow)
    elif strategy == "buy_and_hold":
        signals = buy_and_hold_signals(bars)
    else:
        raise ValueError(f"unknown strategy {strategy!r}")
    equity, exposed, trades = run_backtest(bars, signals, capital)
    metrics = compute_metrics(capital, [row[0] for row in equity], [row[1] for row in equity],
                              exposed, [tr["pnl"] for tr in trades], periods_per_year,
                              risk_free_rate)
    return {"metrics": metrics, "trades": trades, "equity": [list(row) for row in equity]}


def add_arguments(parser):
    parser.add_argument("--csv", required=True, help="daily OHLCV CSV")
    parser.add_argument("--strategy", required=True, choices=["sma_crossover", "buy_and_hold"])
    parser.add_argument("--fast", type=int, default=10)
    parser.add_argument("--slow", type=int, default=30)
    parser.add_argument("--capital", type=float, default=100000.0)
    parser.add_argument("--periods-per-year", type=float, default=252.0)
    parser.add_argument("--risk-free-rate", type=float, default=0.0, help="annual, a fraction")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args()
    try:
        result = reference(args.csv, args.strategy, args.fast, args.slow, args.capital,
                           args.periods_per_year, args.risk_free_rate)
    except (OSError, ValueError) as err:
        print(f"reference_backtest: {err}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
