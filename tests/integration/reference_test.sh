#!/usr/bin/env bash
# The real CLI on real data must equal an independent Python backtest, number by number.
set -euo pipefail
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$ADMF" run configs/default.yaml --out "$out" >/dev/null
"$PYTHON" tests/reference/check_run.py --csv data/sp500_2000_daily_ohlcv.csv \
  --strategy sma_crossover --fast 10 --slow 30 --capital 100000 --results "$out/portfolio_sma"
"$PYTHON" tests/reference/check_run.py --csv data/sp500_2000_daily_ohlcv.csv \
  --strategy buy_and_hold --capital 100000 --results "$out/portfolio_hold"
